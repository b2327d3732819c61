package dev.vitex.core.image;

/** An RGB image as planar floats in [0, 255] (3 × height × width, row-major). */
public record DecodedImage(int width, int height, float[] rgb) {
    public DecodedImage {
        if (rgb.length != 3 * width * height) {
            throw new IllegalArgumentException("expected " + 3 * width * height + " values, got " + rgb.length);
        }
    }
}
