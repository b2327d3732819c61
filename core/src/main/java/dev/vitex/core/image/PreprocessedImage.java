package dev.vitex.core.image;


/** A model input (normalised, channels × height × width, row-major) and the map back to its original image. */
public record PreprocessedImage(float[] input, int channels, int height, int width, ImageGeometry geometry) {
    public PreprocessedImage {
        if (input.length != channels * height * width) {
            throw new IllegalArgumentException("input has " + input.length + " values, expected "
                    + channels + "×" + height + "×" + width);
        }
    }
}
