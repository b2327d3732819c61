package dev.vitex.core.aggregate;

import ai.djl.ndarray.NDArray;

/**
 * Running sum and sum of squares, per element, of sample maps arriving in chunks of shape
 * (k, ...). Every sample is added on its own, in double precision: a float32 sum over the chunk
 * on the engine would round differently for every batch composition, and a float32 sum of squares
 * loses the variance to cancellation when samples are close (VarGrad with small noise).
 */
public final class MomentAccumulator {
    private final double[] sum;
    private final double[] sumOfSquares;
    private long count;

    public MomentAccumulator(int size, boolean squares) {
        this.sum = new double[size];
        this.sumOfSquares = squares ? new double[size] : null;
    }

    public static MomentAccumulator forStatistic(int size, Statistic statistic) {
        return new MomentAccumulator(size, statistic == Statistic.VARIANCE || statistic == Statistic.MEAN_OF_SQUARES);
    }

    /** Adds the k samples of a chunk of shape (k, ...). */
    public void add(NDArray chunk) {
        long k = chunk.getShape().get(0);
        float[] values = chunk.toFloatArray();
        if (values.length != k * sum.length) {
            throw new IllegalArgumentException("chunk of " + k + " samples has " + values.length
                    + " elements; expected " + k + " × " + sum.length);
        }
        for (int s = 0; s < k; s++) {
            int base = s * sum.length;
            for (int i = 0; i < sum.length; i++) {
                double v = values[base + i];
                sum[i] += v;
                if (sumOfSquares != null) {
                    sumOfSquares[i] += v * v;
                }
            }
        }
        count += k;
    }

    public long count() {
        return count;
    }

    public double[] result(Statistic statistic) {
        if (statistic == Statistic.MEAN && count == 1) {
            return sum.clone(); // a mean of one sample (saliency's gradient) is the sample: x / 1 == x exactly
        }
        double[] out = new double[sum.length];
        switch (statistic) { // one loop per statistic
            case SUM -> System.arraycopy(sum, 0, out, 0, out.length);
            case MEAN -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = sum[i] / count;
                }
            }
            case MEAN_OF_SQUARES -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = sumOfSquares[i] / count;
                }
            }
            case VARIANCE -> {
                for (int i = 0; i < out.length && count >= 2; i++) {
                    out[i] = Math.max(0.0, (sumOfSquares[i] - sum[i] * sum[i] / count) / (count - 1));
                }
            }
            default -> throw new IllegalArgumentException(String.valueOf(statistic));
        }
        return out;
    }
}
