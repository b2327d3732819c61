package dev.vitex.core.pipeline;

import dev.vitex.core.image.PreprocessedImage;
import dev.vitex.core.model.TargetSelector.ClassScores;
import dev.vitex.core.pipeline.ImageOutcome.Failed;
import java.util.List;

/** One image of a group through its stages (mutable, private to one {@link GroupExplainer} call). */
final class ImageWork {
    final int index;
    final ImageInput input;
    String sha;
    PreprocessedImage pre;
    int labelIndex = -1;
    ClassScores scores;
    int[] targets;
    boolean failed;
    int attributions;
    int errors;

    ImageWork(int index, ImageInput input) {
        this.index = index;
        this.input = input;
    }

    ImageFacts facts() {
        return new ImageFacts(index, input.id(), sha, pre == null ? null : pre.geometry(), scores);
    }

    /** An error that ends the image: later stages skip it. */
    void fail(List<ImageOutcome> outcomes, String stage, String method, String errorClass, String message) {
        failed = true;
        error(outcomes, stage, method, errorClass, message);
    }

    /** An error of one stage (e.g. one method); the image goes on. */
    void error(List<ImageOutcome> outcomes, String stage, String method, String errorClass, String message) {
        errors++;
        outcomes.add(new Failed(facts(), stage, method, errorClass, message));
    }
}
