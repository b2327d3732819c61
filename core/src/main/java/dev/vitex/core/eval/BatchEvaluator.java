package dev.vitex.core.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.vitex.core.model.InferenceMode;
import dev.vitex.core.model.TargetScores;
import dev.vitex.core.model.VitModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Packs the samples of many requests (images × targets × perturbations) into model batches of
 * exactly {@code batchSize} inputs — a batch may mix images — and routes each result back to its
 * request. Every batch lives in its own NDManager scope, closed before the next one starts, so
 * native memory stays flat however long the run.
 */
public final class BatchEvaluator {
    private final VitModel model;
    private final InferenceMode mode;
    private final int batchSize;

    public BatchEvaluator(VitModel model, InferenceMode mode, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch_size must be ≥ 1, got " + batchSize);
        }
        this.model = model;
        this.mode = mode;
        this.batchSize = batchSize;
    }

    /** No-grad forward passes; sinks receive target scores only. */
    public void scores(List<EvaluationRequest> requests) {
        run(requests, false);
    }

    /** Forward + backward passes; sinks receive target scores and per-sample gradients (times the multiplier). */
    public void gradients(List<EvaluationRequest> requests) {
        run(requests, true);
    }

    private record Segment(EvaluationRequest request, int from, int count, NDArray multiplier) {}

    private void run(List<EvaluationRequest> requests, boolean withGradients) {
        int next = 0;
        int offset = 0;
        while (next < requests.size()) {
            try (NDManager scope = model.newScope()) {
                List<Segment> segments = new ArrayList<>();
                NDList inputs = new NDList();
                int[] targets = new int[batchSize];
                int filled = 0;
                while (filled < batchSize && next < requests.size()) {
                    EvaluationRequest request = requests.get(next);
                    int take = Math.min(batchSize - filled, request.count() - offset);
                    Samples samples = request.source().make(scope, offset, offset + take);
                    if (samples.inputs().getShape().get(0) != take) {
                        throw new IllegalStateException("sample source returned " + samples.inputs().getShape()
                                + " for " + take + " samples");
                    }
                    inputs.add(samples.inputs());
                    segments.add(new Segment(request, offset, take, samples.multiplier()));
                    for (int i = 0; i < take; i++) {
                        targets[filled + i] = request.target();
                    }
                    filled += take;
                    offset += take;
                    if (offset == request.count()) {
                        next++;
                        offset = 0;
                    }
                }
                NDArray batch = inputs.size() == 1 ? inputs.get(0) : NDArrays.concat(inputs);
                int[] batchTargets = filled == batchSize ? targets : Arrays.copyOf(targets, filled);
                TargetScores out = withGradients
                        ? model.targetScoresWithGradients(batch, batchTargets, mode)
                        : new TargetScores(model.targetScores(batch, batchTargets, mode), null);
                int pos = 0;
                for (Segment s : segments) {
                    NDIndex rows = new NDIndex("{}:{}", pos, pos + s.count());
                    NDArray scores = out.scores().get(rows);
                    NDArray values = null;
                    if (withGradients) {
                        values = out.gradients().get(rows);
                        if (s.multiplier() != null) {
                            values = values.mul(s.multiplier());
                        }
                    }
                    s.request().sink().accept(s.from(), scores, values);
                    pos += s.count();
                }
            }
        }
    }
}
