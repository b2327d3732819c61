package dev.vitex.core.perturb;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.vitex.core.model.EngineArrays;
import java.util.Arrays;

/**
 * Applies unit masks on the engine: {@code z = x ⊙ (1 − M) + r ⊙ M}, where M is the mask expanded
 * from its rows × cols cells to the input's pixels by {@link MaskUpsampling} (two small matrix
 * products) and broadcast over channels; r is the replacement image. It is computed as
 * {@code z = x + M ⊙ (r − x)} with {@code r − x} formed once per image: two passes over the k
 * perturbed inputs instead of three (the mask methods' only per-sample work besides the model).
 */
public final class MaskApplier {
    private final int rows;
    private final int cols;
    private final int height;
    private final int width;
    private final float[] rowMatrix;
    private final float[] colMatrixT;

    public MaskApplier(int rows, int cols, int height, int width, MaskUpsampling upsampling) {
        this.rows = rows;
        this.cols = cols;
        this.height = height;
        this.width = width;
        this.rowMatrix = upsampling.matrix(rows, height); // H × rows
        float[] colMatrix = upsampling.matrix(cols, width); // W × cols
        this.colMatrixT = new float[cols * width];
        for (int p = 0; p < width; p++) {
            for (int j = 0; j < cols; j++) {
                colMatrixT[j * width + p] = colMatrix[p * cols + j];
            }
        }
    }

    /**
     * @param masks k masks of rows × cols values in [0, 1] (1 = removed), concatenated
     * @param x the input, (1, C, H, W)
     * @param replacement r, (1, C, H, W)
     * @return the k perturbed inputs, (k, C, H, W), in {@code scope}
     */
    public NDArray apply(NDManager scope, float[] masks, NDArray x, NDArray replacement) {
        int k = masks.length / (rows * cols);
        NDArray m = EngineArrays.floats(scope, masks, new Shape(k, rows, cols));
        NDArray expanded = EngineArrays.floats(scope, rowMatrix, new Shape(height, rows)).matMul(m)
                .matMul(EngineArrays.floats(scope, colMatrixT, new Shape(cols, width)))
                .reshape(k, 1, height, width);
        return expanded.mul(replacement.sub(x)).addi(x);
    }

    /** Fills the mask of sample i (rows × cols values, 1 = removed); it arrives all zeros. */
    @FunctionalInterface
    public interface MaskSource {
        void fill(int i, float[] mask);
    }

    /**
     * Samples {@code from..to} of {@code source} applied to one image: each mask filled on its own,
     * then all of them expanded and mixed in one engine call.
     *
     * @param input the image, C·H·W floats
     * @param reference r, C·H·W floats
     * @return the perturbed inputs, (to − from, C, H, W), in {@code scope}
     */
    public NDArray apply(NDManager scope, int from, int to, MaskSource source, float[] input, float[] reference,
                         int channels) {
        int size = rows * cols;
        float[] masks = new float[(to - from) * size];
        float[] one = new float[size];
        for (int i = from; i < to; i++) {
            Arrays.fill(one, 0f);
            source.fill(i, one);
            System.arraycopy(one, 0, masks, (i - from) * size, size);
        }
        Shape image = new Shape(1, channels, height, width);
        return apply(scope, masks, EngineArrays.floats(scope, input, image), EngineArrays.floats(scope, reference, image));
    }
}
