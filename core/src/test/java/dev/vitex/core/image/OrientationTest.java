package dev.vitex.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vitex.core.TestData;
import dev.vitex.core.model.ModelCard;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * All eight EXIF orientations: the upright picture is stored turned the other way (built here from
 * rotations and flips, as the EXIF specification describes each value) in a lossless PNG tagged
 * with an {@code eXIf} chunk; decoding must give the upright pixels exactly, and the model input
 * must equal that of the untagged upright file.
 */
class OrientationTest {
    private static final int W = 7;
    private static final int H = 4;

    static BufferedImage upright() {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Random r = new Random(13);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                img.setRGB(x, y, r.nextInt(1 << 24));
            }
        }
        return img;
    }

    static BufferedImage rotateCw(BufferedImage a) {
        BufferedImage b = new BufferedImage(a.getHeight(), a.getWidth(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                b.setRGB(a.getHeight() - 1 - y, x, a.getRGB(x, y));
            }
        }
        return b;
    }

    static BufferedImage flipLeftRight(BufferedImage a) {
        BufferedImage b = new BufferedImage(a.getWidth(), a.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                b.setRGB(a.getWidth() - 1 - x, y, a.getRGB(x, y));
            }
        }
        return b;
    }

    /**
     * What a camera stores for a scene a viewer must show as {@code upright}: the inverse of the
     * display operation (2 mirror, 3 rotate 180°, 4 flip, 5 transpose, 6 rotate 90° CW,
     * 7 transverse, 8 rotate 90° CCW).
     */
    static BufferedImage stored(BufferedImage upright, int orientation) {
        BufferedImage u = upright;
        return switch (orientation) {
            case 1 -> u;
            case 2 -> flipLeftRight(u);
            case 3 -> rotateCw(rotateCw(u));
            case 4 -> flipLeftRight(rotateCw(rotateCw(u)));
            case 5 -> flipLeftRight(rotateCw(u)); // transpose is its own inverse
            case 6 -> rotateCw(rotateCw(rotateCw(u))); // undo a 90° CW turn
            case 7 -> flipLeftRight(rotateCw(rotateCw(rotateCw(u)))); // transverse is its own inverse
            case 8 -> rotateCw(u);
            default -> throw new IllegalArgumentException();
        };
    }

    /** A big-endian TIFF structure with one IFD0 entry: Orientation (SHORT). */
    static byte[] exifOrientation(int value) {
        return ByteBuffer.allocate(26).put(new byte[] {'M', 'M', 0, 42}).putInt(8).putShort((short) 1)
                .putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) value).putShort((short) 0)
                .putInt(0).array();
    }

    /** The PNG with an eXIf chunk right after IHDR. */
    static byte[] taggedPng(BufferedImage stored, int orientation) throws IOException {
        byte[] png = ImageDecoderTest.encode(stored, "png");
        int afterIhdr = 8 + 12 + 13;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(png, 0, afterIhdr);
        out.writeBytes(ImageDecoderTest.chunk("eXIf", exifOrientation(orientation)));
        out.write(png, afterIhdr, png.length - afterIhdr);
        return out.toByteArray();
    }

    @ParameterizedTest(name = "orientation {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void displayedPixelsAreTheUprightPixels(int orientation) throws IOException {
        BufferedImage up = upright();
        BufferedImage st = stored(up, orientation);
        byte[] tagged = taggedPng(st, orientation);
        assertEquals(Orientation.ofExif(orientation), ExifOrientation.read(tagged));
        DecodedImage expected = RasterToRgb.convert(up);
        DecodedImage got = new ImageDecoder(DecodeOptions.defaults()).decode(tagged);
        assertEquals(W, got.width());
        assertEquals(H, got.height());
        assertArrayEquals(expected.rgb(), got.rgb());
        // decode.orientation = ignore: the stored pixels
        DecodedImage raw = new ImageDecoder(new DecodeOptions(1_000_000, 20, false)).decode(tagged);
        assertArrayEquals(RasterToRgb.convert(st).rgb(), raw.rgb());
        // the model input and geometry are those of the upright file
        ModelCard card = ModelCard.load(TestData.shapesCard());
        PreprocessedImage a = new Preprocessor(card).preprocess(ImageDecoderTest.encode(up, "png"));
        PreprocessedImage b = new Preprocessor(card).preprocess(tagged);
        assertEquals(a.geometry(), b.geometry());
        assertEquals(0f, TestData.maxAbsDiff(a.input(), b.input()), Arrays.toString(new int[] {orientation}));
    }
}
