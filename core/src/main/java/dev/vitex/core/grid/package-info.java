/**
 * Attribution units: the granularity (PATCH or PIXEL) and the {@link dev.vitex.core.grid.UnitGrid} that maps
 * each unit to its pixel box in the model input and in the original image.
 * 
 * <p>May use: {@code image} (geometry, resampling). No DJL.
 */
package dev.vitex.core.grid;
