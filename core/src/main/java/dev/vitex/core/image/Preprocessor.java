package dev.vitex.core.image;

import dev.vitex.core.model.ModelCard;

/**
 * Turns an image into exactly what the model receives, following its card: resize with the card's
 * filter (to {@code input_size}, or the shorter side first for {@code crop = center}), crop, then
 * {@code (v · rescale − mean) / std} per channel.
 *
 * <p>Encoded images are never decoded whole: the crop box is computed in source coordinates from
 * the header, and only that box (plus the filter's reach) is decoded, every k-th pixel, with k the
 * largest step that still leaves at least {@value #OVERSAMPLE}× the model's input resolution for
 * the antialiased resize (docs/methods.md § Preprocessing gives the resulting differences).
 */
public final class Preprocessor {
    /** The decoded raster keeps at least this many source samples per model-input pixel (when the source has them). */
    public static final int OVERSAMPLE = 3;

    private final ModelCard card;
    private final ResampleFilter filter;
    private final ImageDecoder decoder;

    public Preprocessor(ModelCard card, DecodeOptions options) {
        this.card = card;
        this.filter = ResampleFilter.parse(card.resize());
        this.decoder = new ImageDecoder(options);
    }

    public Preprocessor(ModelCard card, long maxPixels) {
        this(card, DecodeOptions.defaults().withMaxPixels(maxPixels));
    }

    public Preprocessor(ModelCard card) {
        this(card, DecodeOptions.defaults());
    }

    /** Decodes (the needed region, subsampled) and preprocesses an encoded image. */
    public PreprocessedImage preprocess(byte[] encoded) {
        return preprocess(encoded, OVERSAMPLE);
    }

    /** As {@link #preprocess(byte[])}, keeping at least {@code oversample} source samples per input pixel; 0 = full resolution. */
    public PreprocessedImage preprocess(byte[] encoded, int oversample) {
        try (SourceImage source = decoder.open(encoded)) {
            Box box = box(source.width(), source.height());
            return resample(decodeBox(source, box, oversample), box);
        }
    }

    /** Decodes the box and the filter's reach around it, every k-th pixel (k from {@code oversample}). */
    DecodedRegion decodeBox(SourceImage source, Box box, int oversample) {
        int step = oversample <= 0 ? 1 : Math.max(1, (int) Math.floor(Math.min(box.scaleX, box.scaleY) / oversample));
        // the filter reaches 2 output pixels (bicubic) beyond the box, plus one step of rounding
        double reachX = 2 * Math.max(box.scaleX, 1) + step + 1;
        double reachY = 2 * Math.max(box.scaleY, 1) + step + 1;
        int x0 = (int) Math.floor(box.offsetX - reachX);
        int y0 = (int) Math.floor(box.offsetY - reachY);
        int x1 = (int) Math.ceil(box.offsetX + card.inputWidth() * box.scaleX + reachX);
        int y1 = (int) Math.ceil(box.offsetY + card.inputHeight() * box.scaleY + reachY);
        return source.read(x0, y0, x1, y1, step);
    }

    /** Preprocesses an already decoded image (at full resolution). */
    public PreprocessedImage preprocess(DecodedImage image) {
        return resample(new DecodedRegion(image, 0, 0, 1), box(image.width(), image.height()));
    }

    /**
     * Where the model input lies in the displayed image: the card's resize (and centre crop) as a
     * box of {@code inputWidth·scaleX × inputHeight·scaleY} source pixels starting at (offsetX, offsetY).
     */
    record Box(ImageGeometry geometry, double scaleX, double scaleY, double offsetX, double offsetY) {}

    Box box(int width, int height) {
        int outH = card.inputHeight();
        int outW = card.inputWidth();
        int resizedH = outH;
        int resizedW = outW;
        if (card.crop().equals("center")) {
            // Scale so that both sides cover the target, keeping the aspect ratio, then cut the middle.
            double s = Math.max((double) outH / height, (double) outW / width);
            resizedH = Math.max(outH, (int) Math.round(height * s));
            resizedW = Math.max(outW, (int) Math.round(width * s));
        }
        int top = (resizedH - outH) / 2;
        int left = (resizedW - outW) / 2;
        double scaleX = (double) width / resizedW;
        double scaleY = (double) height / resizedH;
        ImageGeometry geometry = new ImageGeometry(width, height, resizedW, resizedH, top, left);
        return new Box(geometry, scaleX, scaleY, left * scaleX, top * scaleY);
    }

    private PreprocessedImage resample(DecodedRegion region, Box box) {
        int outH = card.inputHeight();
        int outW = card.inputWidth();
        DecodedImage px = region.pixels();
        int step = region.step();
        ResampleFilter.Weights wx = filter.weights(px.width(), outW, box.scaleX / step, (box.offsetX - region.originX()) / step);
        ResampleFilter.Weights wy = filter.weights(px.height(), outH, box.scaleY / step, (box.offsetY - region.originY()) / step);
        float[] resized = ResampleFilter.apply(px.rgb(), 3, px.height(), px.width(), wy, wx);
        double[] mean = card.mean();
        double[] std = card.std();
        double rescale = card.rescale();
        float[] input = new float[3 * outH * outW];
        int plane = outH * outW;
        for (int c = 0; c < 3; c++) {
            // (v·rescale − mean)/std, computed as (v − mean/rescale)/(std/rescale) so that 8-bit values map
            // exactly as (v − 127.5)/127.5 for the usual rescale 1/255, mean = std = 0.5; the two constants
            // once per channel (the launcher's C1 JIT does not hoist them)
            double shift = mean[c] / rescale;
            double scale = std[c] / rescale;
            for (int i = c * plane; i < (c + 1) * plane; i++) {
                input[i] = (float) ((resized[i] - shift) / scale);
            }
        }
        return new PreprocessedImage(input, 3, outH, outW, box.geometry);
    }
}
