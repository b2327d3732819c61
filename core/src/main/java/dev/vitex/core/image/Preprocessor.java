package dev.vitex.core.image;

import dev.vitex.core.model.ModelCard;


/**
 * Turns an RGB image into exactly what the model receives, following its card: resize with the
 * card's filter (to {@code input_size}, or the shorter side first for {@code crop = center}), crop,
 * then {@code (v · rescale − mean) / std} per channel.
 */
public final class Preprocessor {
    private final ModelCard card;
    private final ResampleFilter filter;
    private final ImageDecoder decoder;

    public Preprocessor(ModelCard card, long maxPixels) {
        this.card = card;
        this.filter = ResampleFilter.parse(card.resize());
        this.decoder = new ImageDecoder(maxPixels);
    }

    public Preprocessor(ModelCard card) {
        this(card, 100_000_000L);
    }

    /** Decodes and preprocesses an encoded image (PNG, JPEG, BMP, GIF). */
    public PreprocessedImage preprocess(byte[] encoded) {
        return preprocess(decoder.decode(encoded));
    }

    public PreprocessedImage preprocess(DecodedImage image) {
        int outH = card.inputHeight();
        int outW = card.inputWidth();
        int resizedH = outH;
        int resizedW = outW;
        if (card.crop().equals("center")) {
            // Scale so that both sides cover the target, keeping the aspect ratio, then cut the middle.
            double s = Math.max((double) outH / image.height(), (double) outW / image.width());
            resizedH = Math.max(outH, (int) Math.round(image.height() * s));
            resizedW = Math.max(outW, (int) Math.round(image.width() * s));
        }
        float[] resized = filter.apply(image.rgb(), 3, image.height(), image.width(), resizedH, resizedW);
        int top = (resizedH - outH) / 2;
        int left = (resizedW - outW) / 2;
        double[] mean = card.mean();
        double[] std = card.std();
        double rescale = card.rescale();
        float[] input = new float[3 * outH * outW];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < outH; y++) {
                int src = (c * resizedH + y + top) * resizedW + left;
                int dst = (c * outH + y) * outW;
                for (int x = 0; x < outW; x++) {
                    input[dst + x] = normalize(resized[src + x], rescale, mean[c], std[c]);
                }
            }
        }
        ImageGeometry geometry = new ImageGeometry(image.width(), image.height(), resizedW, resizedH, top, left);
        return new PreprocessedImage(input, 3, outH, outW, geometry);
    }

    /**
     * {@code (v·rescale − mean)/std}, computed as {@code (v − mean/rescale)/(std/rescale)} so that
     * 8-bit values map exactly as {@code (v − 127.5)/127.5} for the usual rescale 1/255, mean = std = 0.5.
     */
    private static float normalize(float v, double rescale, double mean, double std) {
        return (float) ((v - mean / rescale) / (std / rescale));
    }
}
