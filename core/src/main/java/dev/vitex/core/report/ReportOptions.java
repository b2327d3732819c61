package dev.vitex.core.report;

import dev.vitex.core.render.HeatmapOptions;

/**
 * Options of the HTML report. Build with {@link #builder()}; values are validated.
 *
 * @param maxImages most images shown (default 200); a run with more shows a sample and says so
 * @param maxErrors most error rows listed (default 200)
 * @param thumbnailWidth CSS width of heatmap thumbnails in the table (default 260 px); each links
 *     to its full-size PNG
 * @param heatmap how overlays are drawn
 */
public record ReportOptions(int maxImages, int maxErrors, int thumbnailWidth, HeatmapOptions heatmap) {

    public ReportOptions {
        if (maxImages < 1) {
            throw new IllegalArgumentException("report max_images must be ≥ 1, got " + maxImages + " (default 200)");
        }
        if (maxErrors < 0) {
            throw new IllegalArgumentException("report max_errors must be ≥ 0, got " + maxErrors + " (default 200)");
        }
        if (thumbnailWidth < 32) {
            throw new IllegalArgumentException("report thumbnail width must be ≥ 32 px, got " + thumbnailWidth + " (default 260)");
        }
        if (heatmap == null) {
            throw new IllegalArgumentException("report heatmap options are missing (use HeatmapOptions.defaults())");
        }
    }

    public static ReportOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Mutable builder holding the defaults; {@link #build()} validates. */
    public static final class Builder {
        private int maxImages = 200;
        private int maxErrors = 200;
        private int thumbnailWidth = 260;
        private HeatmapOptions heatmap = HeatmapOptions.defaults();

        private Builder() {}

        public Builder maxImages(int value) {
            this.maxImages = value;
            return this;
        }

        public Builder maxErrors(int value) {
            this.maxErrors = value;
            return this;
        }

        public Builder thumbnailWidth(int value) {
            this.thumbnailWidth = value;
            return this;
        }

        public Builder heatmap(HeatmapOptions value) {
            this.heatmap = value;
            return this;
        }

        public ReportOptions build() {
            return new ReportOptions(maxImages, maxErrors, thumbnailWidth, heatmap);
        }
    }
}
