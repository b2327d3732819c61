package dev.vitex.jobs;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.vitex.jobs.AttributionJob;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Shared helpers of the job tests: fixture paths, a local[2] Spark session, in-process runs, odd images. */
final class JobTests {
    private static SparkSession spark;

    private JobTests() {}

    /** The repository root (tests run in jobs/). */
    static Path root() {
        Path here = Path.of("").toAbsolutePath();
        return Files.isDirectory(here.resolve("models")) ? here : here.getParent();
    }

    static Path shapesCard() {
        return root().resolve("models/vit-shapes-tiny/vit-shapes-tiny.json");
    }

    static Path samples() {
        return root().resolve("samples/shapes");
    }

    /**
     * The session every in-process job of the test JVM runs in (the job reuses an active session and
     * leaves it running), with the settings the job would use on its own.
     */
    static synchronized SparkSession spark() {
        if (spark == null || spark.sparkContext().isStopped()) {
            spark = SparkSession.builder().master("local[2]").appName("vitex-tests")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.ui.enabled", "false")
                    .config("spark.ui.showConsoleProgress", "false")
                    .config("spark.sql.shuffle.partitions", "4")
                    .config("spark.sql.artifact.isolation.enabled", "false")
                    .config("spark.executor.heartbeatInterval", "2s")
                    .getOrCreate();
        }
        return spark;
    }

    /** The outcome of one command line run in this JVM. */
    record Run(int status, String out, String err) {
        Run expectOk() {
            if (status != 0) {
                throw new AssertionError("exit status " + status + "\nstdout:\n" + out + "\nstderr:\n" + err);
            }
            return this;
        }
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = AttributionJob.execute(args, o, e);
        }
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static String[] args(List<String> base, String... more) {
        List<String> all = new ArrayList<>(base);
        all.addAll(Arrays.asList(more));
        return all.toArray(String[]::new);
    }

    static Dataset<Row> attributions(Path out) {
        return spark().read().parquet(out.resolve("attributions").toString());
    }

    static Dataset<Row> errors(Path out) {
        return spark().read().parquet(out.resolve("errors").toString());
    }

    static JsonObject manifest(Path out) {
        try {
            return JsonParser.parseString(Files.readString(out.resolve("_manifest.json"))).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bundled samples (24 PNGs in class folders, plus boxes.csv) copied under {@code dir}. */
    static Path copySamples(Path dir) {
        try (Stream<Path> files = Files.walk(samples())) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path to = dir.resolve(samples().relativize(f).toString());
                Files.createDirectories(to.getParent());
                Files.copy(f, to);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sample image files (relative id → path), sorted. */
    static Map<String, Path> sampleImages(Path dir) {
        Map<String, Path> out = new java.util.TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(f -> f.toString().endsWith(".png") && !f.toString().contains("/extra/"))
                    .forEach(f -> out.put(dir.relativize(f).toString(), f));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * Odd and broken files under {@code dir/extra/}: the ones that must work (8-bit gray, 16-bit gray,
     * palette PNGs, a CMYK JPEG) and the ones that must become error rows (zero bytes, truncated PNG,
     * text named .png, an image above a 100,000-pixel decode cap). Returns id → expected stage (null = works).
     */
    static Map<String, String> addOddFiles(Path dir, Path sourcePng) {
        try {
            Path extra = Files.createDirectories(dir.resolve("extra"));
            BufferedImage src = ImageIO.read(sourcePng.toFile());
            Map<String, String> expected = new HashMap<>();

            BufferedImage gray = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
            draw(gray, src);
            ImageIO.write(gray, "png", extra.resolve("gray8.png").toFile());
            expected.put("extra/gray8.png", null);

            BufferedImage gray16 = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_USHORT_GRAY);
            draw(gray16, src);
            ImageIO.write(gray16, "png", extra.resolve("gray16.png").toFile());
            expected.put("extra/gray16.png", null);

            byte[] r = new byte[256];
            byte[] g = new byte[256];
            byte[] b = new byte[256];
            for (int i = 0; i < 256; i++) {
                r[i] = (byte) ((i & 0xE0));
                g[i] = (byte) ((i & 0x1C) << 3);
                b[i] = (byte) ((i & 0x03) << 6);
            }
            BufferedImage palette = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_BYTE_INDEXED,
                    new IndexColorModel(8, 256, r, g, b));
            draw(palette, src);
            ImageIO.write(palette, "png", extra.resolve("palette.png").toFile());
            expected.put("extra/palette.png", null);

            Files.write(extra.resolve("zero.png"), new byte[0]);
            expected.put("extra/zero.png", "decode");
            byte[] png = Files.readAllBytes(sourcePng);
            Files.write(extra.resolve("truncated.png"), Arrays.copyOf(png, png.length / 2));
            expected.put("extra/truncated.png", "decode");
            Files.writeString(extra.resolve("text.png"), "this is a text file, not a PNG\n");
            expected.put("extra/text.png", "decode");
            Files.write(extra.resolve("cmyk.jpg"), cmykJpeg(40, 30));
            expected.put("extra/cmyk.jpg", null); // TwelveMonkeys reads CMYK (core ImageDecoderTest checks its colours)

            BufferedImage big = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
            draw(big, src);
            ImageIO.write(big, "png", extra.resolve("big.png").toFile());
            expected.put("extra/big.png", "decode");
            return expected;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void draw(BufferedImage target, BufferedImage src) {
        Graphics2D g = target.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, target.getWidth(), target.getHeight());
        g.drawImage(src, 0, 0, target.getWidth(), target.getHeight(), null);
        g.dispose();
    }

    /** A 4-component (CMYK) JPEG, as print workflows write them. */
    static byte[] cmykJpeg(int w, int h) throws IOException {
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 4, null);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 4; c++) {
                    raster.setSample(x, y, c, (x * 7 + y * 3 + c * 50) & 0xff);
                }
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(raster, null, null), null);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    static float[] floats(List<Float> list) {
        float[] a = new float[list.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = list.get(i);
        }
        return a;
    }

    static float maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("length " + a.length + " vs " + b.length);
        }
        float m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
