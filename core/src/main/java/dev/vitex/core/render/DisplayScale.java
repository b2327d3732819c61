package dev.vitex.core.render;

import dev.vitex.core.image.DecodedImage;
import dev.vitex.core.image.ResampleFilter;

/**
 * The size at which an original image is shown: small images are enlarged by a whole factor with
 * nearest-neighbour (a 64×64 image becomes 256×256, every source pixel a crisp 4×4 block, so the
 * auditor sees exactly what was there), large ones are shrunk to keep report files small.
 *
 * @param width displayed width in pixels
 * @param height displayed height in pixels
 */
public record DisplayScale(int originalWidth, int originalHeight, int width, int height) {

    /**
     * Enlarges by the smallest whole factor that brings the short side to {@code minSide} (without
     * taking the long side past {@code maxSide}); shrinks when the long side exceeds {@code maxSide}.
     */
    public static DisplayScale of(int originalWidth, int originalHeight, int minSide, int maxSide) {
        int shortSide = Math.min(originalWidth, originalHeight);
        int longSide = Math.max(originalWidth, originalHeight);
        if (shortSide < minSide) {
            int factor = (minSide + shortSide - 1) / shortSide;
            while (factor > 1 && (long) longSide * factor > maxSide) {
                factor--;
            }
            return new DisplayScale(originalWidth, originalHeight, originalWidth * factor, originalHeight * factor);
        }
        if (longSide > maxSide) {
            double s = (double) maxSide / longSide;
            return new DisplayScale(originalWidth, originalHeight,
                    Math.max(1, (int) Math.round(originalWidth * s)), Math.max(1, (int) Math.round(originalHeight * s)));
        }
        return new DisplayScale(originalWidth, originalHeight, originalWidth, originalHeight);
    }

    /** Original-image x of the centre of display column {@code dx}. */
    public double originalX(int dx) {
        return (dx + 0.5) * originalWidth / width;
    }

    /** Original-image y of the centre of display row {@code dy}. */
    public double originalY(int dy) {
        return (dy + 0.5) * originalHeight / height;
    }

    /** Display x of original-image x (continuous). */
    public double displayX(double x) {
        return x * width / originalWidth;
    }

    /** Display y of original-image y (continuous). */
    public double displayY(double y) {
        return y * height / originalHeight;
    }

    /** The image's RGB planes (0–255) at display size: nearest when enlarging, antialiased bilinear when shrinking. */
    public float[] resample(DecodedImage image) {
        if (image.width() != originalWidth || image.height() != originalHeight) {
            throw new IllegalArgumentException("image is " + image.width() + "×" + image.height() + ", scale is for "
                    + originalWidth + "×" + originalHeight);
        }
        if (width == originalWidth && height == originalHeight) {
            return image.rgb();
        }
        ResampleFilter filter = width > originalWidth ? ResampleFilter.NEAREST : ResampleFilter.BILINEAR;
        return filter.apply(image.rgb(), 3, originalHeight, originalWidth, height, width);
    }
}
