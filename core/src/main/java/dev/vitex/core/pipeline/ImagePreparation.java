package dev.vitex.core.pipeline;

import dev.vitex.core.image.DecodeOptions;
import dev.vitex.core.image.ImageException;
import dev.vitex.core.image.Preprocessor;
import dev.vitex.core.model.ModelCard;
import dev.vitex.core.model.TargetRule;
import java.util.List;

/**
 * The first stage of every image of a group: its read error if the caller had one, its content hash,
 * its label checked against the model's classes (when the targets need it), then decoding and
 * preprocessing; each failure becomes the image's error row of stage read, decode or preprocess.
 */
final class ImagePreparation {
    private final ModelCard card;
    private final TargetRule rule;
    private final Preprocessor preprocessor;

    ImagePreparation(ModelCard card, TargetRule rule, DecodeOptions decode) {
        this.card = card;
        this.rule = rule;
        this.preprocessor = new Preprocessor(card, decode);
    }

    /** Hash, check the label, decode and preprocess {@code w}; a failure is added to {@code outcomes}. */
    void prepare(ImageWork w, List<ImageOutcome> outcomes) {
        ImageInput in = w.input;
        if (in.readError() != null) {
            w.fail(outcomes, "read", null, in.readError().errorClass(), in.readError().message());
            return;
        }
        w.sha = in.contentKey();
        if (rule.needsLabel()) {
            if (in.label() == null || in.label().isBlank()) {
                w.fail(outcomes, "read", null, "InputException", "no label for --targets label (the image is not in a "
                        + "class folder and there is no label column)");
                return;
            }
            w.labelIndex = TargetRule.classIndex(in.label(), card.labels());
            if (w.labelIndex < 0) {
                w.fail(outcomes, "read", null, "InputException", "unknown label \"" + in.label() + "\": not a class of "
                        + "model " + card.name() + " " + TargetRule.labelsHint(card.labels()) + " nor an index 0.."
                        + (card.numClasses() - 1));
                return;
            }
        }
        try {
            w.pre = in.bytes() != null ? preprocessor.preprocess(in.bytes()) : preprocessor.preprocess(in.decoded());
        } catch (ImageException e) {
            w.fail(outcomes, e.stage(), null, "ImageException", Failures.describe(e));
        } catch (OutOfMemoryError e) {
            w.fail(outcomes, "decode", null, "OutOfMemoryError", "not enough executor memory to decode this image; "
                    + "lower decode.max_pixels or give executors more memory");
        } catch (RuntimeException e) {
            w.fail(outcomes, "preprocess", null, e.getClass().getSimpleName(), Failures.describe(e));
        }
    }
}
