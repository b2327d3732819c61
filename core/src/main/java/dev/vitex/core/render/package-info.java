/**
 * Heatmaps: an attribution laid over the original image (colormap, display scale, upsampling, colour bar).
 * 
 * <p>May use: {@code image}, {@code grid}, {@code method}. No DJL, no Spark.
 */
package dev.vitex.core.render;
