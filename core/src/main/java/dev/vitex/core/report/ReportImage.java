package dev.vitex.core.report;

import dev.vitex.core.image.DecodedImage;
import dev.vitex.core.image.ImageDecoder;
import java.util.List;

/**
 * One image of the report with all its heatmaps (every method and target).
 *
 * @param imageId the run's image id (shown escaped; file names are derived safely from it)
 * @param image the ORIGINAL decoded image (not the model input)
 * @param predictedLabel the model's top class name
 * @param predictedScore its score under the run's inference mode
 * @param cells the heatmaps, any order; the report groups them by target and method
 */
public record ReportImage(String imageId, DecodedImage image, String predictedLabel, float predictedScore,
                          List<ReportCell> cells) {

    public ReportImage {
        if (imageId == null || image == null) {
            throw new IllegalArgumentException("a report image needs its id and decoded image");
        }
        cells = List.copyOf(cells);
    }

    /** Convenience for callers holding encoded bytes (any format ImageDecoder reads): decodes them whole, as displayed. */
    public static ReportImage decode(String imageId, byte[] encoded, String predictedLabel, float predictedScore,
                                     List<ReportCell> cells) {
        return new ReportImage(imageId, new ImageDecoder(100_000_000L).decode(encoded), predictedLabel, predictedScore, cells);
    }
}
