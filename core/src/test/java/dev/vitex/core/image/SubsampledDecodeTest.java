package dev.vitex.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitex.core.TestData;
import dev.vitex.core.model.ModelCard;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Region + subsampled decoding against the full-resolution decode of the same file: the model
 * inputs may differ only by the decimation's aliasing (bounded below; the numbers are printed and
 * quoted in docs/methods.md § Preprocessing), the geometry not at all, and the raster decoded stays
 * within a small multiple of the model input whatever the image's size.
 */
class SubsampledDecodeTest {
    /** A 224-px ImageNet-style card (bicubic, centre crop) and the fixture's 64-px bilinear card. */
    static ModelCard card(int size, String resize, String crop) {
        Path any = TestData.shapesCard();
        return new ModelCard(any, "t", "torchscript", any, size, size, 16, 3, 1 / 255.0, new double[] {0.5, 0.5, 0.5},
                new double[] {0.5, 0.5, 0.5}, resize, crop, "tensor", List.of("a"));
    }

    /** Photo-like: smooth shading, sharp-edged shapes and sensor-like noise (σ ≈ 6 levels). */
    static BufferedImage photo(int w, int h, long seed) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Random r = new Random(seed);
        double[][] disks = new double[12][];
        for (int i = 0; i < disks.length; i++) {
            disks[i] = new double[] {r.nextDouble() * w, r.nextDouble() * h, (0.03 + 0.1 * r.nextDouble()) * Math.min(w, h),
                    r.nextInt(256), r.nextInt(256), r.nextInt(256)};
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double u = (double) x / w;
                double v = (double) y / h;
                double[] c = {128 + 90 * Math.sin(3 * u + 1), 128 + 90 * Math.cos(4 * v), 128 + 80 * Math.sin(5 * (u + v))};
                for (double[] d : disks) {
                    if (Math.hypot(x - d[0], y - d[1]) < d[2]) {
                        c = new double[] {d[3], d[4], d[5]};
                    }
                }
                int rgb = 0;
                for (int k = 0; k < 3; k++) {
                    rgb = (rgb << 8) | (int) Math.max(0, Math.min(255, Math.round(c[k] + 6 * r.nextGaussian())));
                }
                img.setRGB(x, y, rgb);
            }
        }
        return img;
    }

    record Diff(double max, double mean) {}

    static Diff compare(ModelCard card, byte[] bytes) {
        return compare(card, bytes, Preprocessor.OVERSAMPLE);
    }

    static Diff compare(ModelCard card, byte[] bytes, int oversample) {
        Preprocessor pre = new Preprocessor(card);
        PreprocessedImage full = pre.preprocess(bytes, 0);
        PreprocessedImage sub = pre.preprocess(bytes, oversample);
        assertEquals(full.geometry(), sub.geometry());
        double max = 0;
        double sum = 0;
        for (int i = 0; i < full.input().length; i++) {
            double d = Math.abs(full.input()[i] - sub.input()[i]);
            max = Math.max(max, d);
            sum += d;
        }
        return new Diff(max, sum / full.input().length);
    }

    static void report(String what, Diff d) {
        System.out.printf("subsampled vs full decode, %s: max %.4f, mean %.5f (normalised units; one 8-bit step = %.4f)%n",
                what, d.max, d.mean, 1 / 127.5);
    }

    /** The bundled sample images are 64 px, the fixture model's input: no subsampling, identical inputs. */
    @Test
    void fixtureSamplesAtInputSizeAreUnchanged() throws IOException {
        ModelCard card = ModelCard.load(TestData.shapesCard());
        try (var files = Files.walk(TestData.samples())) {
            for (Path f : files.filter(p -> p.toString().endsWith(".png")).limit(5).toList()) {
                Diff d = compare(card, Files.readAllBytes(f));
                assertEquals(0.0, d.max, f.toString());
            }
        }
    }

    /** A fixture sample drawn at 10× (640 px, nearest-neighbour), then fed to the 64-px fixture card. */
    @Test
    void fixtureSampleAt10x() throws IOException {
        Path f;
        try (var files = Files.walk(TestData.samples())) {
            f = files.filter(p -> p.toString().endsWith(".png")).sorted().findFirst().orElseThrow();
        }
        BufferedImage small = javax.imageio.ImageIO.read(f.toFile());
        BufferedImage big = new BufferedImage(640, 640, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 640; y++) {
            for (int x = 0; x < 640; x++) {
                big.setRGB(x, y, small.getRGB(x / 10, y / 10));
            }
        }
        Diff d = compare(ModelCard.load(TestData.shapesCard()), ImageDecoderTest.encode(big, "png"));
        report("fixture sample at 640 px, 64-px card", d);
        // sharp-edged blocks 10 px wide decimated every 3 px: the worst case for aliasing
        assertTrue(d.max <= 0.25 && d.mean <= 1.5 / 127.5, d.toString());
    }

    @Test
    void photoLikeImage() throws IOException {
        BufferedImage photo = photo(3000, 2000, 7);
        for (String format : new String[] {"png", "jpg"}) {
            byte[] bytes = ImageDecoderTest.encode(photo, format);
            Diff crop = compare(card(224, "bicubic", "center"), bytes);
            report("3000×2000 photo-like " + format + ", 224 bicubic centre crop", crop);
            Diff fixture = compare(ModelCard.load(TestData.shapesCard()), bytes);
            report("3000×2000 photo-like " + format + ", 64-px fixture card", fixture);
            // mean below one 8-bit step; the max is aliasing at sharp edges and noise (docs/methods.md)
            assertTrue(crop.mean <= 1.0 / 127.5 && crop.max <= 0.25, format + " " + crop);
            assertTrue(fixture.mean <= 1.0 / 127.5 && fixture.max <= 0.25, format + " " + fixture);
        }
    }

    /** However large the image, the raster decoded is at most ~2·OVERSAMPLE× the model input per side (plus the filter's reach). */
    @Test
    void rasterStaysSmall() throws IOException {
        ModelCard card = card(224, "bicubic", "center");
        Preprocessor pre = new Preprocessor(card);
        byte[] bytes = ImageDecoderTest.encode(photo(6000, 1500, 3), "png");
        try (SourceImage source = new ImageDecoder(DecodeOptions.defaults()).open(bytes)) {
            Preprocessor.Box box = pre.box(source.width(), source.height());
            DecodedRegion region = pre.decodeBox(source, box, Preprocessor.OVERSAMPLE);
            int limit = 2 * Preprocessor.OVERSAMPLE * 224 + 16;
            System.out.printf("6000×1500 → 224 centre crop: decoded %d×%d every %d px%n",
                    region.pixels().width(), region.pixels().height(), region.step());
            assertTrue(region.step() >= 2, "step " + region.step());
            assertTrue(region.pixels().width() <= limit && region.pixels().height() <= limit,
                    region.pixels().width() + "×" + region.pixels().height());
            // the centre crop of a 4:1 image: only the middle ~quarter of the width is decoded
            assertTrue(region.pixels().width() * region.step() < 2000, "decoded width in source pixels");
        }
    }
}
