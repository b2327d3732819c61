package dev.vitex.core.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.vitex.core.Fixtures;
import dev.vitex.core.TestModels;
import dev.vitex.core.aggregate.Statistic;
import dev.vitex.core.eval.Samples;
import dev.vitex.core.grid.Granularity;
import dev.vitex.core.model.InferenceMode;
import dev.vitex.core.model.TargetSelector;
import dev.vitex.core.model.TargetSelector.ClassScores;
import dev.vitex.core.model.VitModel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A choosing gradient method with several samples per image, at batch sizes that split an image's
 * samples across batches (BatchEvaluator: the choice is made in the batch holding sample 0, the later
 * batches reuse it): targets and class scores equal a separate {@link TargetSelector} forward's, and
 * the attributions equal the same method's plain {@code explain} on those targets, exactly.
 */
class ChoosingAcrossBatchesTest {

    /** Three samples per image: x, 2x, 3x (sample 0 is x, so it can choose); the mean of input × gradient. */
    private static final class ScaledSaliency extends GradientExplainer {
        ScaledSaliency() {
            super("scaled_saliency", new ParamReader("scaled_saliency", Map.of()));
        }

        @Override
        protected int sampleCount() {
            return 3;
        }

        @Override
        protected int inputSample() {
            return 0;
        }

        @Override
        protected Statistic statistic() {
            return Statistic.MEAN;
        }

        @Override
        protected Samples samples(NDManager scope, GradientImage image, int from, int to) {
            NDArray x = image.x(scope);
            NDArray z = x.mul(from + 1);
            for (int i = from + 1; i < to; i++) {
                z = z.concat(x.mul(i + 1));
            }
            return new Samples(z, z);
        }

        @Override
        protected void describe(CanonicalParams params) {
        }
    }

    @Test
    void aChoiceMadeInSampleZerosBatchHoldsForTheImagesLaterBatches() {
        VitModel model = TestModels.shapesModel();
        List<Fixtures.Shape> shapes = TestModels.shapes(1); // one per class: 4 images, 12 samples
        List<ChoosesTargets.Image> images = shapes.stream().map(s -> new ChoosesTargets.Image(s.sha256(), s.input())).toList();
        ScaledSaliency method = new ScaledSaliency();
        assertTrue(method.choosesTargets());
        for (int batch : new int[] {2, 5, 12}) {
            for (InferenceMode mode : List.of(InferenceMode.LOGITS, InferenceMode.SOFTMAX)) {
                ExplainContext context = new ExplainContext(model, mode, batch, Granularity.PATCH, 1L);
                // the second-best class: a choice no default would make by accident
                ChoosesTargets.Chosen chosen = method.explainChoosingTargets(context, images, (i, s) -> s.top(2)[1]);
                List<ClassScores> separate = new TargetSelector(model, mode, batch)
                        .classScores(shapes.stream().map(Fixtures.Shape::input).toList());
                List<ExplainItem> items = shapes.stream().map(s -> s.item(separate.get(shapes.indexOf(s)).top(2)[1])).toList();
                List<Attribution> plain = method.explain(context, items);
                for (int i = 0; i < shapes.size(); i++) {
                    String what = "image " + i + " batch " + batch + " " + mode;
                    assertArrayEquals(separate.get(i).scores(), chosen.scores().get(i).scores(), 1e-6f, what);
                    assertEquals(items.get(i).target(0), chosen.attributions().get(i).target(), what);
                    assertArrayEquals(plain.get(i).scores(), chosen.attributions().get(i).scores(), what);
                    assertEquals(plain.get(i).targetScore(), chosen.attributions().get(i).targetScore(), what);
                    assertEquals(3, chosen.attributions().get(i).modelPasses(), what);
                }
            }
        }
    }
}
