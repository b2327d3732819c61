package dev.vitex.core.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes PNG, JPEG, BMP and GIF bytes to 8-bit-range RGB: grayscale is replicated, palettes are
 * looked up, alpha is dropped (as PIL's {@code convert("RGB")}), 16-bit samples are scaled to
 * 0..255. Samples are read from the raster rather than through {@code getRGB}, which would apply a
 * gamma conversion to grayscale images.
 */
public final class ImageDecoder {
    static {
        ImageIO.setUseCache(false); // no temp files from executors
    }

    private final long maxPixels;

    /** @param maxPixels the largest width × height decoded; larger images are refused before decoding */
    public ImageDecoder(long maxPixels) {
        if (maxPixels < 1) {
            throw new IllegalArgumentException("max_pixels must be ≥ 1, got " + maxPixels);
        }
        this.maxPixels = maxPixels;
    }

    public DecodedImage decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new ImageException("decode", "empty file (0 bytes)");
        }
        BufferedImage image;
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new ImageException("decode", "not a recognised image format (PNG, JPEG, BMP, GIF)");
            }
            ImageReader reader = readers.next();
            String format = reader.getFormatName().toUpperCase(Locale.ROOT);
            try {
                reader.setInput(in, true, true);
                long width = reader.getWidth(0);
                long height = reader.getHeight(0);
                if (width * height > maxPixels) {
                    throw new ImageException("decode", String.format(Locale.ROOT,
                            "image is %d×%d = %.1f MP, above the decode cap of %.1f MP (option decode.max_pixels)",
                            width, height, width * height / 1e6, maxPixels / 1e6));
                }
                image = reader.read(0);
            } catch (IOException | RuntimeException e) {
                if (e instanceof ImageException ie) {
                    throw ie;
                }
                throw new ImageException("decode", "corrupt or truncated " + format + ": " + describe(e), e);
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new ImageException("decode", "cannot read image bytes: " + describe(e), e);
        }
        if (image == null) {
            throw new ImageException("decode", "not a recognised image format (PNG, JPEG, BMP, GIF)");
        }
        return toRgb(image);
    }

    private static DecodedImage toRgb(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int plane = w * h;
        float[] rgb = new float[3 * plane];
        ColorModel cm = image.getColorModel();
        if (cm instanceof IndexColorModel) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int argb = image.getRGB(x, y);
                    int i = y * w + x;
                    rgb[i] = (argb >> 16) & 0xff;
                    rgb[plane + i] = (argb >> 8) & 0xff;
                    rgb[2 * plane + i] = argb & 0xff;
                }
            }
            return new DecodedImage(w, h, rgb);
        }
        int space = cm.getColorSpace().getType();
        int colourBands = cm.getNumColorComponents();
        boolean gray = space == ColorSpace.TYPE_GRAY && colourBands == 1;
        boolean rgbSpace = space == ColorSpace.TYPE_RGB && colourBands == 3;
        if (!gray && !rgbSpace) {
            throw new ImageException("decode", "unsupported colour model: " + colourBands + " colour components in colour space type "
                    + space + " (only RGB, grayscale and palette images are supported; CMYK/YCCK are not)");
        }
        int bits = cm.getComponentSize(0);
        double scale = 255.0 / ((1L << bits) - 1);
        Raster raster = image.getRaster();
        int[] samples = new int[w];
        for (int c = 0; c < 3; c++) {
            int band = gray ? 0 : c;
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, band, samples);
                int base = c * plane + y * w;
                for (int x = 0; x < w; x++) {
                    rgb[base + x] = (float) (samples[x] * scale);
                }
            }
        }
        return new DecodedImage(w, h, rgb);
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : " (" + m + ")");
    }
}
