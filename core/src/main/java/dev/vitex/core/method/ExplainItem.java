package dev.vitex.core.method;

/**
 * One preprocessed image to explain, with its targets.
 *
 * @param imageKey the image's content hash (sha256 hex); seeds derive from it, so results do not
 *     depend on partitioning or order
 * @param input normalised model input, C×H×W row-major
 * @param targets the classes to explain; one attribution each, in this order
 */
public record ExplainItem(String imageKey, float[] input, int[] targets) {
    public ExplainItem {
        if (targets.length == 0) {
            throw new IllegalArgumentException("an item needs at least one target");
        }
        targets = targets.clone();
    }

    @Override
    public int[] targets() {
        return targets.clone();
    }

    public int target(int i) {
        return targets[i];
    }

    public int targetCount() {
        return targets.length;
    }
}
