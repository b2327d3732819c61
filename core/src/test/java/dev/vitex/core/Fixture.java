package dev.vitex.core;

import dev.vitex.core.grid.Granularity;
import dev.vitex.core.method.ExplainContext;
import dev.vitex.core.method.ExplainItem;
import dev.vitex.core.metric.Box;
import dev.vitex.core.model.InferenceMode;
import dev.vitex.core.model.ModelCard;
import dev.vitex.core.model.PreprocessedImage;
import dev.vitex.core.model.Preprocessor;
import dev.vitex.core.model.VitModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The committed fixtures as test objects: models loaded once per test JVM (they are read-only and
 * shared safely), the shapes samples preprocessed, with their ground-truth boxes.
 */
public final class Fixture {
    private static final Map<Path, VitModel> MODELS = new HashMap<>();
    private static List<Sample> samples;

    private Fixture() {}

    /** One evaluation image of samples/shapes: its model input, label index and object box. */
    public record Sample(String id, int label, float[] input, String sha256, Box box) {
        public ExplainItem item(int... targets) {
            return new ExplainItem(sha256, input, targets.length == 0 ? new int[] {label} : targets);
        }
    }

    public static synchronized VitModel model(Path card) {
        return MODELS.computeIfAbsent(card.toAbsolutePath().normalize(), p -> VitModel.load(ModelCard.load(p)));
    }

    public static VitModel shapesModel() {
        return model(TestData.shapesCard());
    }

    public static VitModel testModel(String name) {
        return model(TestData.testModel(name));
    }

    public static ExplainContext context(VitModel model, int batchSize, Granularity granularity, long seed) {
        return new ExplainContext(model, InferenceMode.LOGITS, batchSize, granularity, seed);
    }

    /** All 24 shapes samples, in boxes.csv order. */
    public static synchronized List<Sample> shapes() {
        if (samples == null) {
            ModelCard card = shapesModel().card();
            Preprocessor pre = new Preprocessor(card);
            List<Sample> out = new ArrayList<>();
            try {
                List<String> lines = Files.readAllLines(TestData.samples().resolve("boxes.csv"));
                for (String line : lines.subList(1, lines.size())) {
                    if (line.isBlank()) {
                        continue;
                    }
                    String[] f = line.split(",");
                    byte[] bytes = Files.readAllBytes(TestData.samples().resolve(f[0]));
                    PreprocessedImage image = pre.preprocess(bytes);
                    Box box = new Box(Integer.parseInt(f[2]), Integer.parseInt(f[3]), Integer.parseInt(f[4]), Integer.parseInt(f[5]));
                    out.add(new Sample(f[0], card.labels().indexOf(f[1]), image.input(), sha256(bytes), box));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            samples = List.copyOf(out);
        }
        return samples;
    }

    /** {@code perClass} samples of each class (the first ones of each folder). */
    public static List<Sample> shapes(int perClass) {
        Map<Integer, Integer> seen = new HashMap<>();
        List<Sample> out = new ArrayList<>();
        for (Sample s : shapes()) {
            if (seen.merge(s.label(), 1, Integer::sum) <= perClass) {
                out.add(s);
            }
        }
        return out;
    }

    /** A reproducible input in [−1, 1] (the normalised range), for the analytic models. */
    public static float[] randomInput(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[3 * 64 * 64];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return x;
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String key(String name) {
        return sha256(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
