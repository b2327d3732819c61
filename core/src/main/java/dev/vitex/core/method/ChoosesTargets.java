package dev.vitex.core.method;

import dev.vitex.core.model.TargetSelector.ClassScores;
import java.util.List;

/**
 * A method whose first pass evaluates x itself, so that pass's scores of every class can pick each
 * image's one target: the pipeline then spends no separate target-selection forward on the group
 * (methods.md § Targets). The targets are picked inside the pass, before its backward.
 */
public interface ChoosesTargets extends Explainer {

    /** Image {@code image}'s one target, from every class's scores of its x under the inference mode. */
    @FunctionalInterface
    interface TargetChoice {
        int target(int image, ClassScores scores);
    }

    /** An image whose target is chosen in the pass: its content hash and model input (as in {@link ExplainItem}). */
    record Image(String imageKey, float[] input) {}

    /**
     * What the pass gave: every class's scores of each image and its attribution for the chosen target,
     * both in the images' order.
     */
    record Chosen(List<ClassScores> scores, List<Attribution> attributions) {}

    /** Whether this method, as configured, evaluates x itself in its first pass (else it cannot choose). */
    boolean choosesTargets();

    /**
     * One attribution per image, for the target {@code choice} picks from the scores of the method's
     * own pass on x; equal to {@link #explain} with those targets given.
     */
    Chosen explainChoosingTargets(ExplainContext context, List<Image> images, TargetChoice choice);
}
