package dev.vitex.core.pipeline;

import dev.vitex.core.method.Attribution;
import dev.vitex.core.metric.QualityScores;
import java.util.Locale;

/** One result of a group, about one image: an attribution, an error, or the image's final status. */
public sealed interface ImageOutcome {
    ImageFacts image();

    /**
     * One attribution of the image.
     *
     * @param params the method's canonical parameter JSON
     * @param elapsedMs the method's time on the group, per attribution
     * @param quality deletion/insertion scores, null without metrics or when they failed (then the
     *     image also has an error of stage {@code method})
     */
    record Explained(ImageFacts image, Attribution attribution, String params, double elapsedMs, QualityScores quality)
            implements ImageOutcome {}

    /**
     * One failure of the image.
     *
     * @param stage read, decode, preprocess, model or method
     * @param method the method that failed (stage method), else null
     */
    record Failed(ImageFacts image, String stage, String method, String errorClass, String message)
            implements ImageOutcome {}

    /** The last outcome of every image: {@link Status}. */
    record Finished(ImageFacts image, Status status) implements ImageOutcome {}

    /** explained: ≥ 1 attribution; failed: none, and ≥ 1 error; done: nothing was left to do (resume). */
    enum Status {
        EXPLAINED, FAILED, DONE;

        /** The name in the output's status column. */
        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
