package dev.vitex.core.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * A decoded {@link BufferedImage} as 8-bit-range planar RGB: grayscale is replicated, palettes are
 * looked up, alpha is dropped (as PIL's {@code convert("RGB")}), 16-bit samples are scaled to
 * 0..255. Samples are read from the raster rather than through {@code getRGB}, which would apply a
 * gamma conversion to grayscale images. CMYK/YCCK arrive here already converted to RGB by the
 * TwelveMonkeys JPEG reader.
 */
final class RasterToRgb {
    private RasterToRgb() {}

    static DecodedImage convert(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int plane = w * h;
        float[] rgb = new float[3 * plane];
        ColorModel cm = image.getColorModel();
        if (cm instanceof IndexColorModel icm) {
            // the palette looked up from the raster's indices: what getRGB(x, y) returns, without its per-pixel calls
            int[] palette = new int[icm.getMapSize()];
            icm.getRGBs(palette);
            int[] index = new int[w];
            Raster raster = image.getRaster();
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, index);
                for (int x = 0; x < w; x++) {
                    int argb = index[x] < palette.length ? palette[index[x]] : icm.getRGB(index[x]);
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
            throw new ImageException("decode", "unsupported colour model: " + colourBands + " colour components in colour "
                    + "space type " + space + " (RGB, grayscale, palette and CMYK/YCCK JPEG images are supported)");
        }
        int bits = cm.getComponentSize(0);
        double scale = 255.0 / ((1L << bits) - 1);
        Raster raster = image.getRaster();
        if (bits == 8 && bytes(raster, gray ? 1 : 3, rgb, w, h)) {
            return new DecodedImage(w, h, rgb);
        }
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

    /**
     * 8-bit samples read straight from a byte raster's array (PNG and JPEG decode into one): the same values
     * as {@code getSamples} (× 1.0), without its per-sample calls through the sample model. False when the
     * raster is not laid out that way (the caller reads it through {@code getSamples}).
     */
    private static boolean bytes(Raster raster, int bands, float[] rgb, int w, int h) {
        if (!(raster.getDataBuffer() instanceof DataBufferByte buffer) || buffer.getNumBanks() != 1
                || !(raster.getSampleModel() instanceof ComponentSampleModel model)) {
            return false;
        }
        byte[] data = buffer.getData();
        int pixelStride = model.getPixelStride();
        int lineStride = model.getScanlineStride();
        int origin = buffer.getOffset() - raster.getSampleModelTranslateY() * lineStride
                - raster.getSampleModelTranslateX() * pixelStride;
        int plane = w * h;
        for (int c = 0; c < 3; c++) {
            int offset = origin + model.getOffset(0, 0, bands == 1 ? 0 : c);
            for (int y = 0; y < h; y++) {
                int at = offset + y * lineStride;
                int base = c * plane + y * w;
                for (int x = 0; x < w; x++) {
                    rgb[base + x] = data[at + x * pixelStride] & 0xff;
                }
            }
        }
        return true;
    }
}
