package dev.vitex.core.render;

import dev.vitex.core.grid.Granularity;

/**
 * How heatmap overlays are drawn. Build with {@link #builder()}; every value is validated here, so a
 * renderer never sees a nonsensical option.
 *
 * @param upsampling how grid scores spread over pixels (AUTO: nearest for PATCH, bilinear for PIXEL)
 * @param lowPercentile lower clipping percentile of the scores (0–100, default 0.5)
 * @param highPercentile upper clipping percentile (0–100, default 99.5); the colour limit is
 *     {@code max(|p_low|, |p_high|)}, symmetric around zero
 * @param maxAlpha opacity of the overlay at full colour (0–1, default 0.75); opacity is
 *     proportional to |score|, so zero scores leave the image as it is
 * @param minDisplaySide small images are enlarged (whole factor, nearest) until their short side
 *     reaches this (default 256 px)
 * @param maxDisplaySide large images are shrunk until their long side fits (default 1024 px)
 * @param drawGrid draw the unit grid faintly over PATCH maps (default true)
 * @param colourBar draw the colour bar with raw score values beside the image (default true)
 */
public record HeatmapOptions(OverlayUpsampling upsampling, double lowPercentile, double highPercentile, double maxAlpha,
                             int minDisplaySide, int maxDisplaySide, boolean drawGrid, boolean colourBar) {

    public HeatmapOptions {
        if (upsampling == null) {
            throw new IllegalArgumentException("upsampling must be one of AUTO, NEAREST, BILINEAR, got null");
        }
        if (!(lowPercentile >= 0 && highPercentile <= 100 && lowPercentile < highPercentile)) {
            throw new IllegalArgumentException("clipping percentiles must satisfy 0 ≤ low < high ≤ 100, got low = "
                    + lowPercentile + ", high = " + highPercentile + " (default 0.5 and 99.5)");
        }
        if (!(maxAlpha > 0 && maxAlpha <= 1)) {
            throw new IllegalArgumentException("max_alpha must be in (0, 1], got " + maxAlpha + " (default 0.75)");
        }
        if (minDisplaySide < 1 || maxDisplaySide < minDisplaySide) {
            throw new IllegalArgumentException("display sides must satisfy 1 ≤ min ≤ max, got min = " + minDisplaySide
                    + ", max = " + maxDisplaySide + " (default 256 and 1024)");
        }
    }

    /** The defaults: AUTO, 0.5/99.5, alpha 0.75, 256–1024 px, grid and colour bar on. */
    public static HeatmapOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().upsampling(upsampling).percentiles(lowPercentile, highPercentile).maxAlpha(maxAlpha)
                .displaySides(minDisplaySide, maxDisplaySide).drawGrid(drawGrid).colourBar(colourBar);
    }

    /** The upsampling actually used for a grid of this granularity. */
    public OverlayUpsampling upsamplingFor(Granularity granularity) {
        if (upsampling != OverlayUpsampling.AUTO) {
            return upsampling;
        }
        return granularity == Granularity.PATCH ? OverlayUpsampling.NEAREST : OverlayUpsampling.BILINEAR;
    }

    /** Mutable builder holding the defaults; {@link #build()} validates. */
    public static final class Builder {
        private OverlayUpsampling upsampling = OverlayUpsampling.AUTO;
        private double lowPercentile = 0.5;
        private double highPercentile = 99.5;
        private double maxAlpha = 0.75;
        private int minDisplaySide = 256;
        private int maxDisplaySide = 1024;
        private boolean drawGrid = true;
        private boolean colourBar = true;

        private Builder() {}

        public Builder upsampling(OverlayUpsampling value) {
            this.upsampling = value;
            return this;
        }

        public Builder percentiles(double low, double high) {
            this.lowPercentile = low;
            this.highPercentile = high;
            return this;
        }

        public Builder maxAlpha(double value) {
            this.maxAlpha = value;
            return this;
        }

        public Builder displaySides(int min, int max) {
            this.minDisplaySide = min;
            this.maxDisplaySide = max;
            return this;
        }

        public Builder drawGrid(boolean value) {
            this.drawGrid = value;
            return this;
        }

        public Builder colourBar(boolean value) {
            this.colourBar = value;
            return this;
        }

        public HeatmapOptions build() {
            return new HeatmapOptions(upsampling, lowPercentile, highPercentile, maxAlpha,
                    minDisplaySide, maxDisplaySide, drawGrid, colourBar);
        }
    }
}
