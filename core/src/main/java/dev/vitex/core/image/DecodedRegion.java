package dev.vitex.core.image;

/**
 * Part of a displayed image, decoded every {@code step}-th pixel: raster pixel (i, j) stands for
 * the displayed square [originX + i·step, originX + (i+1)·step) × [originY + j·step, …).
 */
public record DecodedRegion(DecodedImage pixels, double originX, double originY, int step) {}
