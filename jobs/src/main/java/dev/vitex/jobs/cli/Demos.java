package dev.vitex.jobs.cli;

import dev.vitex.jobs.config.JobConfig;
import dev.vitex.jobs.driver.AttributionRun;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What `vitex demo` prints after its run: where the output is, how to look at it, and one image's maps. */
public final class Demos {
    private static final String SHADES = " .:-=+*#%@";

    private Demos() {}

    public static void print(PrintStream out, AttributionRun.Result r, JobConfig config) {
        String dir = r.sink().display();
        String rel = relative(dir);
        long rows = r.rowsPerMethod().values().stream().mapToLong(Long::longValue).sum();
        long errors = r.errorsByStage().values().stream().mapToLong(Long::longValue).sum();
        out.println();
        out.printf(Locale.ROOT, "vitex demo: %d image(s) explained with %d method(s) in %.1f s (%.1f images/s); %d failed.%n",
                r.explained(), config.methods.size(), r.seconds(), r.imagesRead() / Math.max(r.seconds(), 1e-9), r.failed());
        out.println();
        out.println("Output: " + dir);
        out.printf(Locale.ROOT, "  attributions/   Parquet, %d rows: one per image × method × target, partitioned by method%n", rows);
        out.printf(Locale.ROOT, "  errors/         Parquet, %d rows: images that could not be explained, with stage and reason%n", errors);
        out.println("  _manifest.json  run id, configuration, model and sha256, versions, counts, timings");
        if (r.report() != null) {
            out.println("  report/         heatmaps on the original images, every method side by side");
        }
        if (!r.samples().isEmpty()) {
            out.println();
            printSamples(out, r.samples());
        }
        out.println();
        out.println("Look at it:");
        if (r.report() != null) {
            out.println("  open " + relative(r.report()) + "    (in a browser; works offline)");
        }
        out.println("  cat " + rel + "/_manifest.json");
        out.println("  duckdb -c \"SELECT method, image_id, target_label, target_score FROM read_parquet('" + rel
                + "/attributions/*/*.parquet', hive_partitioning = true) ORDER BY image_id LIMIT 10\"");
        out.println("  python3 -c \"import pandas as pd; print(pd.read_parquet('" + rel + "/attributions').head())\"");
        out.println("  (more in README.md, section 'Reading results')");
    }

    /** One image's maps side by side, as characters from low to high score (each map scaled to its own range). */
    static void printSamples(PrintStream out, List<AttributionRun.Sample> samples) {
        AttributionRun.Sample first = samples.get(0);
        out.printf(Locale.ROOT, "%s (target %s, score %.3f), positive attribution per %s, ' ' (≤ 0) → '@' (highest):%n",
                first.imageId(), first.targetLabel(), first.targetScore(), first.granularity().toLowerCase(Locale.ROOT));
        int cell = 0;
        for (AttributionRun.Sample s : samples) {
            cell = Math.max(cell, Math.max(s.gridWidth(), Math.min(10, s.method().length())));
        }
        List<AttributionRun.Sample> shown = new ArrayList<>();
        for (AttributionRun.Sample s : samples) {
            if (s.gridWidth() <= 16 && s.gridHeight() <= 16 && shown.size() < 8) {
                shown.add(s);
            }
        }
        if (shown.isEmpty()) {
            out.println("  (grids too large to draw here)");
            return;
        }
        StringBuilder head = new StringBuilder("  ");
        for (AttributionRun.Sample s : shown) {
            String n = s.method().length() > cell ? s.method().substring(0, cell) : s.method();
            head.append(String.format(Locale.ROOT, "%-" + cell + "s   ", n));
        }
        out.println(head.toString().stripTrailing());
        int rows = shown.stream().mapToInt(AttributionRun.Sample::gridHeight).max().orElse(0);
        for (int y = 0; y < rows; y++) {
            StringBuilder line = new StringBuilder("  ");
            for (AttributionRun.Sample s : shown) {
                StringBuilder c = new StringBuilder();
                if (y < s.gridHeight()) {
                    float hi = 0;
                    for (float v : s.scores()) {
                        hi = Math.max(hi, v);
                    }
                    for (int x = 0; x < s.gridWidth(); x++) {
                        float v = s.scores()[y * s.gridWidth() + x];
                        int k = hi > 0 && v > 0 ? Math.round(v / hi * (SHADES.length() - 1)) : 0;
                        c.append(SHADES.charAt(k));
                    }
                }
                line.append(String.format(Locale.ROOT, "%-" + cell + "s   ", c));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    private static String relative(String dir) {
        String here = Path.of("").toAbsolutePath().toString();
        if (dir.startsWith(here + "/")) {
            return dir.substring(here.length() + 1);
        }
        return dir;
    }
}
