package dev.vitex.core;

import dev.vitex.core.grid.Unit;
import dev.vitex.core.image.Preprocessor;
import dev.vitex.core.method.ExplainItem;
import dev.vitex.core.model.ModelCard;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** The shapes fixture: images, their ground-truth boxes, preprocessed through the real Preprocessor. */
public final class Fixtures {
    private Fixtures() {}

    /** A fixture image: id (relative path), class index, ground-truth box [y0, y1) × [x0, x1), model input. */
    public record Shape(String imageId, int label, int y0, int x0, int y1, int x1, float[] input, String sha256) {
        public ExplainItem item(int... targets) {
            return new ExplainItem(sha256, input, targets);
        }

        /** Whether a unit's pixel box intersects the ground-truth box. */
        public boolean overlaps(Unit u) {
            return u.y0() < y1 && y0 < u.y1() && u.x0() < x1 && x0 < u.x1();
        }
    }

    public static List<Shape> shapes(ModelCard card) {
        Preprocessor pre = new Preprocessor(card);
        List<Shape> out = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(TestData.samples().resolve("boxes.csv"));
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(",");
                Path file = TestData.samples().resolve(f[0]);
                byte[] bytes = Files.readAllBytes(file);
                out.add(new Shape(f[0], card.labels().indexOf(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]),
                        Integer.parseInt(f[4]), Integer.parseInt(f[5]), pre.preprocess(bytes).input(), sha256(bytes)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
