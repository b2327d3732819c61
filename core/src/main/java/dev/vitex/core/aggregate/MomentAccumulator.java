package dev.vitex.core.aggregate;

import ai.djl.ndarray.NDArray;

/**
 * Running sum and sum of squares, per element, of sample maps arriving in chunks of shape
 * (k, ...). Reductions over the chunk run on the engine; the running totals are kept in double
 * precision so that chunking (batch composition) does not change the result beyond rounding.
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
        add(sum, chunk.sum(new int[] {0}).toFloatArray());
        if (sumOfSquares != null) {
            add(sumOfSquares, chunk.square().sum(new int[] {0}).toFloatArray());
        }
        count += k;
    }

    private static void add(double[] into, float[] values) {
        if (values.length != into.length) {
            throw new IllegalArgumentException("chunk elements " + values.length + " ≠ accumulator size " + into.length);
        }
        for (int i = 0; i < into.length; i++) {
            into[i] += values[i];
        }
    }

    public long count() {
        return count;
    }

    public double[] result(Statistic statistic) {
        double[] out = new double[sum.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (statistic) {
                case SUM -> sum[i];
                case MEAN -> sum[i] / count;
                case MEAN_OF_SQUARES -> sumOfSquares[i] / count;
                case VARIANCE -> count < 2 ? 0.0
                        : Math.max(0.0, (sumOfSquares[i] - sum[i] * sum[i] / count) / (count - 1));
            };
        }
        return out;
    }
}
