package dev.vitex.core.report;

import dev.vitex.core.grid.Unit;
import dev.vitex.core.method.Attribution;
import dev.vitex.core.render.ScoreGrid;
import java.util.List;

/**
 * One heatmap in the report: an attribution of one method for one target of one image.
 *
 * @param targetLabel the target's class name (the card's label), shown beside its index
 * @param attribution the method's scores and target (method, target, target score, grid)
 * @param units the grid's units with their original-image boxes, row-major (the Parquet
 *     {@code units} column, or {@code UnitGrid.units(geometry)})
 * @param deletionAuc deletion AUC, or null when not computed
 * @param insertionAuc insertion AUC, or null when not computed
 */
public record ReportCell(String targetLabel, Attribution attribution, List<Unit> units,
                         Double deletionAuc, Double insertionAuc) {

    public ReportCell {
        if (attribution == null || units == null) {
            throw new IllegalArgumentException("a report cell needs an attribution and its units");
        }
        units = List.copyOf(units);
        // Validates the units against the grid now, not when the page is half written.
        ScoreGrid.of(attribution, units);
    }

    public String method() {
        return attribution.method();
    }

    public int target() {
        return attribution.target();
    }

    public float targetScore() {
        return attribution.targetScore();
    }

    ScoreGrid grid() {
        return ScoreGrid.of(attribution, units);
    }
}
