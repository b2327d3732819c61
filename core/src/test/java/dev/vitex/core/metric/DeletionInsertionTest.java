package dev.vitex.core.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitex.core.TestModels;
import dev.vitex.core.grid.Granularity;
import dev.vitex.core.method.Attribution;
import dev.vitex.core.method.ExplainContext;
import dev.vitex.core.method.ExplainItem;
import dev.vitex.core.model.InferenceMode;
import dev.vitex.core.model.VitModel;
import dev.vitex.core.perturb.Baseline;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Deletion and insertion in closed form on models/test/single-cell, whose logits are
 * k_c m² + l_c m + b_c with m the mean of patch (row 2, col 5) (constants from
 * scripts/make_fixture_model.py). The target's probability takes only two values — p_clean, and
 * p_removed with that patch replaced by the baseline — and switches at the step where the patch is
 * reached. So for a ranking that puts it at position r, each curve is a step function whose
 * trapezoid area is written out below.
 */
class DeletionInsertionTest {
    private static final double[] K = {1.5, -2.0, 0.75, 3.0};
    private static final double[] L = {0.5, 1.25, -1.0, 0.0};
    private static final double[] B = {0.1, -0.3, 0.2, 0.05};
    private static final int TARGET = 3;

    private static double probability(double m, int target) {
        double[] logits = new double[4];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < 4; c++) {
            logits[c] = K[c] * m * m + L[c] * m + B[c];
            max = Math.max(max, logits[c]);
        }
        double sum = 0;
        for (double v : logits) {
            sum += Math.exp(v - max);
        }
        return Math.exp(logits[target] - max) / sum;
    }

    /** Scores on a grid of {@code cell}-pixel cells that rank the cell holding patch 21 at position r. */
    private static Attribution ranked(int cell, int r, Baseline baseline) {
        int cols = 64 / cell;
        int special = (16 / cell) * cols + (40 / cell); // the cell containing pixel (16, 40)
        List<Integer> order = new ArrayList<>();
        for (int j = 0; j < cols * cols; j++) {
            if (j != special) {
                order.add(j);
            }
        }
        order.add(r, special);
        float[] scores = new float[cols * cols];
        for (int p = 0; p < order.size(); p++) {
            scores[order.get(p)] = order.size() - p;
        }
        return new Attribution("test", "{}", cell == 1 ? Granularity.PIXEL : Granularity.PATCH, cols, cols, cell,
                scores, TARGET, 0f, 0, null, baseline);
    }

    /** Trapezoid area of a curve over h-spaced points that is {@code before} for t < switchAt and {@code after} from it on. */
    private static double stepArea(int steps, int switchAt, double before, double after) {
        double h = 1.0 / steps;
        return h * ((switchAt - 1) * before + (before + after) / 2 + (steps - switchAt) * after);
    }

    @ParameterizedTest
    @CsvSource({"8, 0, 0.0", "8, 13, 0.0", "8, 63, 0.0", "16, 5, 0.0", "8, 30, 0.25"})
    void curvesAreTheClosedFormStepFunctions(int cell, int rank, double baseline) {
        VitModel model = TestModels.testModel("single-cell");
        float[] x = TestModels.randomInput(8);
        for (int i = 0; i < x.length; i++) {
            x[i] = 0.5f + 0.5f * x[i]; // patch mean ≈ 0.5, far from the baselines: the two probabilities differ
        }
        double m = 0;
        for (int c = 0; c < 3; c++) {
            for (int y = 16; y < 24; y++) {
                for (int xx = 40; xx < 48; xx++) {
                    m += x[c * 4096 + y * 64 + xx];
                }
            }
        }
        m /= 192;
        double pClean = probability(m, TARGET);
        double pRemoved = probability(baseline, TARGET);
        // The metrics remove units to the attribution's own baseline (it travels with the attribution).
        Attribution a = ranked(cell, rank, Baseline.parse("[" + baseline + "," + baseline + "," + baseline + "]", 3));
        int units = a.scores().length;
        int steps = Math.min(units, 32);
        int perStep = units / steps;
        int switchAt = rank / perStep + 1; // first step whose top t·perStep units include the cell
        // Batch size 5 splits curves across batches; LOG_SOFTMAX shows the run's mode is ignored.
        ExplainContext ctx = new ExplainContext(model, InferenceMode.LOG_SOFTMAX, 5, Granularity.PATCH, 1);
        QualityScores q = new MetricsEvaluator().evaluate(ctx,
                List.of(new ExplainItem(TestModels.key("single"), x, new int[] {TARGET})), List.of(a)).get(0);
        double deletion = stepArea(steps, switchAt, pClean, pRemoved);
        double insertion = stepArea(steps, switchAt, pRemoved, pClean);
        assertTrue(Math.abs(pClean - pRemoved) > 0.05, "the check needs distinct probabilities");
        System.out.printf("cell %d rank %d: deletion %.6f (closed form %.6f), insertion %.6f (%.6f)%n",
                cell, rank, q.deletionAuc(), deletion, q.insertionAuc(), insertion);
        assertEquals(deletion, q.deletionAuc(), 1e-5);
        assertEquals(insertion, q.insertionAuc(), 1e-5);
        assertEquals(steps + 1, q.deletionCurve().length);
        assertEquals(pClean, q.deletionCurve()[0], 1e-5);
        assertEquals(pRemoved, q.insertionCurve()[0], 1e-5);
        assertTrue(q.deletionAuc() >= 0 && q.deletionAuc() <= 1 && q.insertionAuc() >= 0 && q.insertionAuc() <= 1);
    }
}
