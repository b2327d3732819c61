package dev.vitex.core.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.vitex.core.model.InferenceMode;
import dev.vitex.core.model.TargetPicker;
import dev.vitex.core.model.TargetScores;
import dev.vitex.core.model.TargetSelector.ClassScores;
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

    /** No-grad forward passes; sinks receive target scores only. Every request needs its target. */
    public void scores(List<EvaluationRequest> requests) {
        if (requests.stream().anyMatch(EvaluationRequest::choosesTarget)) {
            throw new IllegalArgumentException("a request that chooses its target needs a gradient run");
        }
        run(requests, false);
    }

    /**
     * Forward + backward passes; sinks receive target scores and per-sample gradients (times the
     * multiplier). A request that chooses its target does so in the batch holding its sample 0 (its
     * first), before that batch's backward; its later samples get the same target.
     */
    public void gradients(List<EvaluationRequest> requests) {
        run(requests, true);
    }

    /** Samples [from, from + count) of request {@code index}, at row {@code row} of the batch. */
    private record Segment(int index, EvaluationRequest request, int row, int from, int count, NDArray multiplier) {}

    private void run(List<EvaluationRequest> requests, boolean withGradients) {
        int[] chosen = new int[requests.size()]; // each request's target, −1 until a choosing request has picked
        for (int r = 0; r < chosen.length; r++) {
            chosen[r] = requests.get(r).target();
        }
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
                    segments.add(new Segment(next, request, filled, offset, take, samples.multiplier()));
                    Arrays.fill(targets, filled, filled + take, chosen[next]);
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
                        ? model.targetScoresWithGradients(batch, picker(segments, batchTargets, chosen), mode)
                        : new TargetScores(model.targetScores(batch, batchTargets, mode), null);
                for (Segment s : segments) {
                    NDIndex rows = new NDIndex("{}:{}", s.row(), s.row() + s.count());
                    NDArray scores = out.scores().get(rows);
                    NDArray values = null;
                    if (withGradients) {
                        values = out.gradients().get(rows);
                        if (s.multiplier() != null) {
                            values = values.mul(s.multiplier());
                        }
                    }
                    s.request().sink().accept(s.from(), scores, values);
                }
            }
        }
    }

    /**
     * The batch's targets: as given, and for each request still to choose, its choice from the class
     * scores of its sample 0 (the segment's first row), recorded in {@code chosen} for its later batches.
     */
    private static TargetPicker picker(List<Segment> segments, int[] targets, int[] chosen) {
        if (Arrays.stream(targets).allMatch(t -> t >= 0)) {
            return TargetPicker.fixed(targets);
        }
        return scores -> {
            List<ClassScores> rows = ClassScores.rows(scores);
            for (Segment s : segments) {
                if (chosen[s.index()] < 0) {
                    if (s.from() != 0) {
                        throw new IllegalStateException("a choosing request's first batch lacks its sample 0");
                    }
                    chosen[s.index()] = s.request().choice().applyAsInt(rows.get(s.row()));
                    Arrays.fill(targets, s.row(), s.row() + s.count(), chosen[s.index()]);
                }
            }
            return targets;
        };
    }
}
