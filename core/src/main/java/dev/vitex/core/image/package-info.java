/**
 * Images in: decoding bytes to RGB floats ({@link dev.vitex.core.image.ImageDecoder}), the model card's
 * preprocessing (resize, crop, normalisation: {@link dev.vitex.core.image.Preprocessor}), the geometry that maps
 * model-input pixels back to the original image, and the antialiased resampling filters.
 * 
 * <p>May use: {@code model.ModelCard} (the preprocessing a card declares). No DJL, no Spark.
 */
package dev.vitex.core.image;
