/**
 * Images in: reading encoded bytes ({@link dev.vitex.core.image.ImageDecoder}: PNG, JPEG incl. CMYK/YCCK, TIFF,
 * WebP, BMP, GIF through explicitly registered ImageIO readers; caps and the EXIF orientation from the header),
 * decoding only the region the model needs, subsampled ({@link dev.vitex.core.image.SourceImage}), the model
 * card's preprocessing (resize, crop, normalisation: {@link dev.vitex.core.image.Preprocessor}), the geometry
 * that maps model-input pixels back to the displayed image, and the antialiased resampling filters.
 *
 * <p>May use: {@code model.ModelCard} (the preprocessing a card declares), TwelveMonkeys ImageIO. No DJL, no Spark.
 */
package dev.vitex.core.image;
