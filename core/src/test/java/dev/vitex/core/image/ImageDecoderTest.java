package dev.vitex.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitex.core.TestData;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every container the decoder promises, on the fixtures of scripts/make_decoder_fixtures.py (a
 * 24×16 picture of four flat blocks: red, green, blue, white) and on files written here.
 */
class ImageDecoderTest {
    private static final ImageDecoder DECODER = new ImageDecoder(DecodeOptions.defaults());
    /** Block centres (x, y) and their colours, as the fixture script paints them. */
    private static final int[][] CENTRES = {{6, 4}, {18, 4}, {6, 12}, {18, 12}};
    private static final int[][] COLOURS = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 255}};

    static byte[] fixture(String name) throws IOException {
        return Files.readAllBytes(TestData.resource("images/decode/" + name));
    }

    static float at(DecodedImage d, int c, int x, int y) {
        return d.rgb()[(c * d.height() + y) * d.width() + x];
    }

    /** Largest difference at the block centres from the painted colours. */
    static float blockError(DecodedImage d) {
        assertEquals(24, d.width(), "displayed width");
        assertEquals(16, d.height(), "displayed height");
        float worst = 0;
        for (int b = 0; b < 4; b++) {
            for (int c = 0; c < 3; c++) {
                worst = Math.max(worst, Math.abs(at(d, c, CENTRES[b][0], CENTRES[b][1]) - COLOURS[b][c]));
            }
        }
        return worst;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // file, tolerance at the block centres (8-bit units): lossless 0, lossy JPEG/WebP a few steps
        "lossless.webp, 0",
        "lossy.webp, 12",
        "broken_icc.jpg, 12",
        "exif6.jpg, 12",
        "exif8.webp, 0",
        "exif5.tif, 0",
    })
    void decodesTheBlocksAsDisplayed(String file, float tolerance) throws IOException {
        float err = blockError(DECODER.decode(fixture(file)));
        assertTrue(err <= tolerance, file + ": max error " + err + " > " + tolerance);
    }

    /**
     * CMYK JPEGs (Adobe APP14, as PIL and Photoshop write them) go through a CMYK ICC profile, so the
     * saturated blocks are not the naive 255 − C of PIL: the hues must survive (each block's own
     * channel dominates by far) and white stays white.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"cmyk_adobe.jpg", "cmyk_rgb_icc.jpg"})
    void cmykJpegsBecomeRgb(String file) throws IOException {
        DecodedImage d = DECODER.decode(fixture(file));
        assertEquals(24, d.width());
        for (int b = 0; b < 3; b++) {
            float own = at(d, b, CENTRES[b][0], CENTRES[b][1]);
            for (int c = 0; c < 3; c++) {
                if (c != b) {
                    float other = at(d, c, CENTRES[b][0], CENTRES[b][1]);
                    assertTrue(own - other >= 100, file + " block " + b + ": channel " + b + " = " + own + ", channel " + c + " = " + other);
                }
            }
        }
        for (int c = 0; c < 3; c++) {
            assertEquals(255, at(d, c, 18, 12), 12, file + " white, channel " + c);
        }
    }

    /** 16-bit grey TIFF: PIL's luma of each block (0.299 R + 0.587 G + 0.114 B) times 257, scaled back by 255/65535. */
    @Test
    void sixteenBitGrayTiff() throws IOException {
        DecodedImage d = DECODER.decode(fixture("gray16.tif"));
        double[] luma = {0.299 * 255, 0.587 * 255, 0.114 * 255, 255};
        for (int b = 0; b < 4; b++) {
            for (int c = 0; c < 3; c++) {
                assertEquals(Math.round(luma[b]), at(d, c, CENTRES[b][0], CENTRES[b][1]), 1e-3, "block " + b);
            }
        }
    }

    /** 16-bit RGB TIFF written here byte by byte (uncompressed, big-endian): samples scale by 255/65535. */
    @Test
    void sixteenBitRgbTiff() {
        int[] samples = {65535, 0, 257 * 10, 257 * 128, 65535, 0}; // two pixels, RGB interleaved
        DecodedImage d = DECODER.decode(rgb16Tiff(2, 1, samples));
        assertEquals(255f, d.rgb()[0], 1e-3f);
        assertEquals(0f, d.rgb()[2], 1e-3f);
        assertEquals(10f, d.rgb()[4], 1e-3f);
        assertEquals(128f, d.rgb()[1], 1e-3f);
        assertEquals(255f, d.rgb()[3], 1e-3f);
    }

    /** Header, IFD of 9 entries, BitsPerSample values, then the strip. */
    static byte[] rgb16Tiff(int width, int height, int[] samples) {
        int entries = 9;
        int bitsAt = 8 + 2 + 12 * entries + 4;
        int stripAt = bitsAt + 6;
        int stripBytes = samples.length * 2;
        ByteBuffer b = ByteBuffer.allocate(stripAt + stripBytes).put(new byte[] {'M', 'M', 0, 42}).putInt(8);
        b.putShort((short) entries);
        tag(b, 256, 3, 1, width << 16);            // ImageWidth (SHORT, left-justified)
        tag(b, 257, 3, 1, height << 16);           // ImageLength
        tag(b, 258, 3, 3, bitsAt);                 // BitsPerSample -> 16,16,16
        tag(b, 259, 3, 1, 1 << 16);                // no compression
        tag(b, 262, 3, 1, 2 << 16);                // RGB
        tag(b, 273, 4, 1, stripAt);                // StripOffsets
        tag(b, 277, 3, 1, 3 << 16);                // SamplesPerPixel
        tag(b, 278, 3, 1, height << 16);           // RowsPerStrip
        tag(b, 279, 4, 1, stripBytes);             // StripByteCounts
        b.putInt(0);
        b.putShort((short) 16).putShort((short) 16).putShort((short) 16);
        for (int v : samples) {
            b.putShort((short) v);
        }
        return b.array();
    }

    private static void tag(ByteBuffer b, int tag, int type, int count, int value) {
        b.putShort((short) tag).putShort((short) type).putInt(count).putInt(value);
    }

    /** A PNG whose header claims 20000×20000 (400 MP) is refused from the header: a few dozen bytes, no decoding. */
    @Test
    void pixelBombIsRefusedBeforeDecoding() {
        byte[] bomb = pngHeaderOnly(20000, 20000);
        assertTrue(bomb.length < 100);
        ImageException e = assertThrows(ImageException.class, () -> new ImageDecoder(100_000_000L).decode(bomb));
        assertEquals("decode", e.stage());
        assertTrue(e.getMessage().contains("20000×20000 = 400.0 MP") && e.getMessage().contains("decode.max_pixels"), e.getMessage());
    }

    @Test
    void extremeAspectRatioIsRefused() throws IOException {
        byte[] strip = encode(new BufferedImage(1000, 10, BufferedImage.TYPE_INT_RGB), "png");
        ImageException e = assertThrows(ImageException.class, () -> DECODER.decode(strip));
        assertTrue(e.getMessage().contains("100.0:1") && e.getMessage().contains("decode.max_aspect_ratio"), e.getMessage());
        DecodedImage ok = new ImageDecoder(new DecodeOptions(1_000_000, 100, true)).decode(strip);
        assertEquals(1000, ok.width());
    }

    static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(image, format, out), "no writer for " + format);
        return out.toByteArray();
    }

    /** PNG signature, IHDR (8-bit grey) and IEND: a valid header, no pixel data. */
    static byte[] pngHeaderOnly(int width, int height) {
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 0).put((byte) 0)
                .put((byte) 0).put((byte) 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        out.writeBytes(chunk("IHDR", ihdr.array()));
        out.writeBytes(chunk("IEND", new byte[0]));
        return out.toByteArray();
    }

    /** One PNG chunk: length, type, data, CRC-32 of type and data. */
    static byte[] chunk(String type, byte[] data) {
        CRC32 crc = new CRC32();
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        crc.update(t);
        crc.update(data);
        return ByteBuffer.allocate(12 + data.length).putInt(data.length).put(t).put(data).putInt((int) crc.getValue()).array();
    }
}
