package dev.vitex.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitex.core.TestData;
import dev.vitex.core.model.ModelCard;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class PreprocessorTest {

    private static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(image, format, out), "no writer for " + format);
        return out.toByteArray();
    }

    private static final ImageDecoder DECODER = new ImageDecoder(100_000_000L);

    @Test
    void grayscaleIsReplicatedWithoutGamma() throws IOException {
        BufferedImage gray = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        int[] values = {0, 17, 100, 128, 200, 255};
        gray.getRaster().setPixels(0, 0, 3, 2, values);
        DecodedImage d = DECODER.decode(encode(gray, "png"));
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 6; i++) {
                assertEquals(values[i], d.rgb()[c * 6 + i], 0f, "channel " + c + " pixel " + i);
            }
        }
    }

    @Test
    void sixteenBitIsScaledTo8BitRange() throws IOException {
        BufferedImage g16 = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
        g16.getRaster().setPixels(0, 0, 2, 1, new int[] {65535, 257 * 100});
        DecodedImage d = DECODER.decode(encode(g16, "png"));
        assertEquals(255f, d.rgb()[0], 1e-3f);
        assertEquals(100f, d.rgb()[1], 1e-3f);
    }

    @Test
    void paletteAndAlphaBecomeRgb() throws IOException {
        byte[] r = {(byte) 255, 0, 10};
        byte[] g = {0, (byte) 255, 20};
        byte[] b = {0, 0, 30};
        IndexColorModel palette = new IndexColorModel(8, 3, r, g, b);
        BufferedImage indexed = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_INDEXED, palette);
        indexed.getRaster().setPixels(0, 0, 3, 1, new int[] {2, 0, 1});
        for (String format : new String[] {"png", "gif"}) {
            DecodedImage d = DECODER.decode(encode(indexed, format));
            assertEquals(10f, d.rgb()[0], 0f, format);
            assertEquals(20f, d.rgb()[3], 0f, format);
            assertEquals(30f, d.rgb()[6], 0f, format);
            assertEquals(255f, d.rgb()[1], 0f, format);
            assertEquals(255f, d.rgb()[3 + 2], 0f, format);
        }
        // a 2-bit palette (PNG packs 4 pixels per byte)
        IndexColorModel small = new IndexColorModel(2, 3, r, g, b);
        BufferedImage packed = new BufferedImage(5, 1, BufferedImage.TYPE_BYTE_BINARY, small);
        packed.getRaster().setPixels(0, 0, 5, 1, new int[] {1, 2, 0, 2, 1});
        DecodedImage p = DECODER.decode(encode(packed, "png"));
        assertEquals(Arrays.toString(new float[] {0, 10, 255, 10, 0, 255, 20, 0, 20, 255, 0, 30, 0, 30, 0}),
                Arrays.toString(p.rgb()), "2-bit palette");
        BufferedImage bgr = new BufferedImage(2, 1, BufferedImage.TYPE_3BYTE_BGR);
        bgr.setRGB(0, 0, (7 << 16) | (8 << 8) | 9);
        DecodedImage bmp = DECODER.decode(encode(bgr, "bmp"));
        assertEquals(Arrays.toString(new float[] {7, 0, 8, 0, 9, 0}), Arrays.toString(bmp.rgb()), "BMP");
        BufferedImage rgba = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
        rgba.setRGB(0, 0, (40 << 24) | (1 << 16) | (2 << 8) | 3);
        DecodedImage d = DECODER.decode(encode(rgba, "png"));
        assertEquals(Arrays.toString(new float[] {1, 2, 3}), Arrays.toString(d.rgb()), "alpha is dropped");
    }

    @Test
    void jpegDecodesCloseToItsSource() throws IOException {
        BufferedImage rgb = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                rgb.setRGB(x, y, (200 << 16) | (100 << 8) | 50);
            }
        }
        DecodedImage d = DECODER.decode(encode(rgb, "jpg"));
        assertEquals(200f, d.rgb()[0], 4f);
        assertEquals(100f, d.rgb()[256], 4f);
        assertEquals(50f, d.rgb()[512], 4f);
    }

    @Test
    void badBytesAreDecodeErrorsWithReasons() throws IOException {
        assertDecodeError(new byte[0], "empty file");
        assertDecodeError("this is not an image".getBytes(), "not a recognised image");
        BufferedImage rgb = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        byte[] png = encode(rgb, "png");
        assertDecodeError(Arrays.copyOf(png, png.length / 2), "corrupt or truncated PNG");
        ImageException big = assertThrows(ImageException.class, () -> new ImageDecoder(1000).decode(png));
        assertTrue(big.getMessage().contains("32×32") && big.getMessage().contains("decode.max_pixels"), big.getMessage());
    }

    private static void assertDecodeError(byte[] bytes, String expected) {
        ImageException e = assertThrows(ImageException.class, () -> DECODER.decode(bytes));
        assertEquals("decode", e.stage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    /** 8-bit values map exactly as (v − 127.5)/127.5 for an image already at the input size. */
    @Test
    void normalisationIsExactAtInputSize() {
        ModelCard card = ModelCard.load(TestData.shapesCard());
        int n = card.inputHeight() * card.inputWidth();
        float[] rgb = new float[3 * n];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = i % 256;
        }
        PreprocessedImage p = new Preprocessor(card).preprocess(new DecodedImage(card.inputWidth(), card.inputHeight(), rgb));
        for (int i = 0; i < rgb.length; i++) {
            assertEquals((float) ((rgb[i] - 127.5) / 127.5), p.input()[i], 0f);
        }
    }

    /**
     * An encoded image already at the input size (decoded with a margin: a whole-pixel box inside a
     * larger region, the copy path of the resampler) is only normalised, exactly.
     */
    @Test
    void anEncodedImageAtInputSizeIsOnlyNormalised() throws IOException {
        ModelCard card = ModelCard.load(TestData.shapesCard());
        int h = card.inputHeight();
        int w = card.inputWidth();
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, ((x * 4) & 0xFF) << 16 | ((y * 4) & 0xFF) << 8 | ((x * y) & 0xFF));
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(img, "png", png);
        float[] in = new Preprocessor(card).preprocess(png.toByteArray()).input();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = img.getRGB(x, y);
                for (int ch = 0; ch < 3; ch++) {
                    int v = (rgb >> (16 - 8 * ch)) & 0xFF;
                    assertEquals((float) ((v - 127.5) / 127.5), in[(ch * h + y) * w + x], 0f, "at " + x + "," + y);
                }
            }
        }
    }

    /** Against PIL's bilinear resize (what Hugging Face processors do), which rounds to 8 bits between passes. */
    @Test
    void resizeMatchesPil() throws IOException {
        ModelCard card = ModelCard.load(TestData.shapesCard());
        var reference = TestData.json(TestData.resource("reference/preprocess.json"));
        int checked = 0;
        for (var entry : reference.getAsJsonArray("images")) {
            var obj = entry.getAsJsonObject();
            byte[] bytes = Files.readAllBytes(TestData.resource(obj.get("file").getAsString()));
            float[] expected = TestData.floats(obj.get("bilinear_resize_normalized"));
            float[] got = new Preprocessor(card).preprocess(bytes).input();
            double mean = 0;
            for (int i = 0; i < got.length; i++) {
                mean += Math.abs(got[i] - expected[i]);
            }
            mean /= got.length;
            float max = TestData.maxAbsDiff(got, expected);
            System.out.printf("%s vs PIL: max %.4f, mean %.5f (one 8-bit step = %.4f)%n", obj.get("file"), max, mean, 1 / 127.5);
            assertTrue(max <= 2.5 / 127.5, "max diff " + max);
            assertTrue(mean <= 0.5 / 127.5, "mean diff " + mean);
            checked++;
        }
        assertTrue(checked >= 2);
    }
}
