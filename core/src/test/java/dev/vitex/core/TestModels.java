package dev.vitex.core;

import ai.djl.Device;
import dev.vitex.core.grid.Granularity;
import dev.vitex.core.method.ExplainContext;
import dev.vitex.core.method.ExplainItem;
import dev.vitex.core.metric.Box;
import dev.vitex.core.model.BatchGate;
import dev.vitex.core.model.InferenceMode;
import dev.vitex.core.model.ModelCard;
import dev.vitex.core.model.Precision;
import dev.vitex.core.model.VitModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Models loaded once per test JVM (read-only, safely shared by test classes and threads), the
 * shapes fixture cached, and inputs for the analytic test models.
 */
public final class TestModels {
    private static final Map<String, VitModel> MODELS = new HashMap<>();
    private static List<Fixtures.Shape> shapes;

    private TestModels() {}

    public static VitModel model(Path card) {
        return model(card, Precision.FP32);
    }

    public static synchronized VitModel model(Path card, Precision precision) {
        Path p = card.toAbsolutePath().normalize();
        return MODELS.computeIfAbsent(p + "@" + precision,
                k -> VitModel.load(ModelCard.load(p), Device.cpu(), BatchGate.UNLIMITED, precision));
    }

    public static VitModel shapesModel() {
        return model(TestData.shapesCard());
    }

    /** The shapes model's bf16 variant (card field precisions). */
    public static VitModel shapesModel(Precision precision) {
        return model(TestData.shapesCard(), precision);
    }

    public static VitModel testModel(String name) {
        return model(TestData.testModel(name));
    }

    public static ExplainContext context(VitModel model, int batchSize, Granularity granularity, long seed) {
        return new ExplainContext(model, InferenceMode.LOGITS, batchSize, granularity, seed);
    }

    /** The 24 shapes samples in boxes.csv order, preprocessed for the shapes model. */
    public static synchronized List<Fixtures.Shape> shapes() {
        if (shapes == null) {
            shapes = List.copyOf(Fixtures.shapes(shapesModel().card()));
        }
        return shapes;
    }

    /** The first {@code perClass} samples of each class. */
    public static List<Fixtures.Shape> shapes(int perClass) {
        Map<Integer, Integer> seen = new HashMap<>();
        List<Fixtures.Shape> out = new ArrayList<>();
        for (Fixtures.Shape s : shapes()) {
            if (seen.merge(s.label(), 1, Integer::sum) <= perClass) {
                out.add(s);
            }
        }
        return out;
    }

    /** The sample explained for its true class. */
    public static ExplainItem item(Fixtures.Shape s) {
        return s.item(s.label());
    }

    public static Box box(Fixtures.Shape s) {
        return new Box(s.y0(), s.x0(), s.y1(), s.x1());
    }

    /** A reproducible 3×64×64 input in [−1, 1] (the normalised range), for the analytic models. */
    public static float[] randomInput(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[3 * 64 * 64];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return x;
    }

    /** An image key for a synthetic input. */
    public static String key(String name) {
        return Fixtures.sha256(name.getBytes(StandardCharsets.UTF_8));
    }
}
