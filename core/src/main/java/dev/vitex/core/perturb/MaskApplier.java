package dev.vitex.core.perturb;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.vitex.core.model.EngineArrays;

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
}
