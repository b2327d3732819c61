package dev.vitex.core.image;

/**
 * The affine map from model-input pixel coordinates back to the original image: the original was
 * resized to {@code resizedWidth×resizedHeight}, then a window starting at ({@code cropTop},
 * {@code cropLeft}) was kept. Coordinates are continuous pixel edges (0 = left edge of pixel 0).
 */
public record ImageGeometry(int originalWidth, int originalHeight, int resizedWidth, int resizedHeight,
                            int cropTop, int cropLeft) {

    /** The geometry of an input that was not resized (the identity map). */
    public static ImageGeometry identity(int width, int height) {
        return new ImageGeometry(width, height, width, height, 0, 0);
    }

    public double toOriginalX(double x) {
        return (x + cropLeft) * originalWidth / resizedWidth;
    }

    public double toOriginalY(double y) {
        return (y + cropTop) * originalHeight / resizedHeight;
    }
}
