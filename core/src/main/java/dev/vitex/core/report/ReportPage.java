package dev.vitex.core.report;

import dev.vitex.core.method.RandomScores;
import dev.vitex.core.render.HeatmapOptions;
import dev.vitex.core.render.ScoreFormat;
import dev.vitex.core.render.ScoreScale;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report's single HTML page. The markup is XHTML-compatible (every element closed, attributes
 * quoted, only XML's own entities), so tests can parse it as XML, and it needs nothing beyond
 * itself and its PNGs: inline CSS, system fonts, no scripts.
 */
final class ReportPage {
    /** A rendered heatmap: the cell, its PNG (relative to the report folder) and its colour scale. */
    record RenderedCell(ReportCell cell, String href, ScoreScale scale) {}

    /** One target of one image: its heatmaps by method. */
    record TargetRow(int target, String targetLabel, float targetScore, Map<String, RenderedCell> cells) {}

    /** One image: its original's PNG and its target rows. */
    record ImageRows(ReportImage image, String originalHref, List<TargetRow> targets) {}

    private final ReportOptions options;

    ReportPage(ReportOptions options) {
        this.options = options;
    }

    String html(RunSummary summary, List<String> methods, List<ImageRows> rows, long totalImages) {
        StringBuilder h = new StringBuilder(16_384 + rows.size() * 1024);
        h.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n")
                .append("<meta charset=\"utf-8\"/>\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
                .append("<title>vitex report \u2014 ").append(Html.text(summary.runId())).append("</title>\n")
                .append("<style>\n").append(css()).append("</style>\n</head>\n<body>\n");
        header(h, summary, methods, rows.size(), totalImages);
        errors(h, summary);
        table(h, methods, rows);
        h.append("<footer>Written by vitex. Static files only: this page and its images work offline."
                + " Click a heatmap for its full-size PNG.</footer>\n</body>\n</html>\n");
        return h.toString();
    }

    private void header(StringBuilder h, RunSummary s, List<String> methods, int shown, long total) {
        h.append("<header>\n<h1>Attribution report</h1>\n<dl class=\"meta\">\n");
        meta(h, "Run", "<code>" + Html.text(s.runId()) + "</code>");
        meta(h, "Model", "<code>" + Html.text(s.modelName()) + "</code>");
        meta(h, "Methods", Html.text(String.join(", ", methods)));
        h.append("</dl>\n");
        if (!s.counts().isEmpty()) {
            h.append("<ul class=\"counts\">\n");
            for (Map.Entry<String, Long> e : s.counts().entrySet()) {
                h.append("<li><span class=\"n\">").append(e.getValue()).append("</span> ")
                        .append(Html.text(e.getKey())).append("</li>\n");
            }
            h.append("</ul>\n");
        }
        h.append("<p class=\"sample\">");
        if (shown < total) {
            h.append("Showing ").append(shown).append(" of ").append(total)
                    .append(" images (a fixed sample by hash of the image id); the Parquet output has everything.");
        } else {
            h.append("Showing all ").append(shown).append(" images.");
        }
        h.append("</p>\n");
        legend(h);
        h.append("</header>\n");
    }

    private static void meta(StringBuilder h, String name, String valueHtml) {
        h.append("<div><dt>").append(name).append("</dt><dd>").append(valueHtml).append("</dd></div>\n");
    }

    private void legend(StringBuilder h) {
        HeatmapOptions o = options.heatmap();
        h.append("<div class=\"legend\"><span class=\"ramp\"></span><div>")
                .append("<b>Blue</b> lowers the target score, <b>red</b> raises it, clear is neutral. ")
                .append("Each map has its own scale, symmetric around zero at the larger of its ")
                .append(ScoreFormat.format(o.lowPercentile())).append("th and ")
                .append(ScoreFormat.format(o.highPercentile()))
                .append("th percentiles; its colour bar shows raw scores. ")
                .append("Deletion AUC: lower is better; insertion AUC: higher is better; in brackets, the random method's "
                        + "on the same image and target when it ran.</div></div>\n");
    }

    private void errors(StringBuilder h, RunSummary s) {
        h.append("<section class=\"errors\">\n");
        if (s.totalErrors() == 0) {
            h.append("<h2>Errors</h2>\n<p class=\"ok\">No errors: every image read was explained.</p>\n</section>\n");
            return;
        }
        h.append("<h2>Errors (").append(s.totalErrors()).append(")</h2>\n");
        List<ReportError> listed = s.errors().subList(0, Math.min(s.errors().size(), options.maxErrors()));
        if (listed.size() < s.totalErrors()) {
            h.append("<p>Listing ").append(listed.size()).append(" of ").append(s.totalErrors())
                    .append("; the <code>errors</code> table of the output has all of them.</p>\n");
        }
        if (!listed.isEmpty()) {
            h.append("<table class=\"errtable\">\n<thead><tr><th>image_id</th><th>stage</th><th>method</th>"
                    + "<th>message</th></tr></thead>\n<tbody>\n");
            for (ReportError e : listed) {
                h.append("<tr><td><code>").append(Html.text(e.imageId())).append("</code></td><td>")
                        .append(Html.text(e.stage())).append("</td><td>")
                        .append(e.method() == null ? "\u2014" : Html.text(e.method())).append("</td><td>")
                        .append(Html.text(e.message())).append("</td></tr>\n");
            }
            h.append("</tbody>\n</table>\n");
        }
        h.append("</section>\n");
    }

    private void table(StringBuilder h, List<String> methods, List<ImageRows> rows) {
        if (rows.isEmpty()) {
            h.append("<main>\n<p class=\"empty\">No image has attributions to show; the errors above say why.</p>\n</main>\n");
            return;
        }
        h.append("<main>\n<table class=\"images\">\n<thead><tr><th>Image</th><th>Target</th>");
        for (String m : methods) {
            h.append("<th>").append(Html.text(m)).append("</th>");
        }
        h.append("</tr></thead>\n");
        for (ImageRows image : rows) {
            // One tbody per image keeps its target rows together and draws the separator between images.
            h.append("<tbody>\n");
            List<TargetRow> targets = image.targets();
            int span = Math.max(1, targets.size());
            for (int i = 0; i < span; i++) {
                h.append("<tr>");
                if (i == 0) {
                    imageCell(h, image, span);
                }
                if (targets.isEmpty()) {
                    h.append("<td class=\"none\" colspan=\"").append(methods.size() + 1)
                            .append("\">No attributions for this image.</td>");
                } else {
                    targetCells(h, image.image(), targets.get(i), methods);
                }
                h.append("</tr>\n");
            }
            h.append("</tbody>\n");
        }
        h.append("</table>\n</main>\n");
    }

    private void imageCell(StringBuilder h, ImageRows image, int span) {
        ReportImage img = image.image();
        String id = Html.text(img.imageId());
        h.append("<th class=\"img\" scope=\"rowgroup\"").append(span > 1 ? " rowspan=\"" + span + "\"" : "").append(">")
                .append("<a href=\"").append(image.originalHref()).append("\"><img src=\"").append(image.originalHref())
                .append("\" alt=\"original image ").append(id).append("\"/></a>")
                .append("<div class=\"id\" title=\"").append(id).append("\">").append(id).append("</div>")
                .append("<div class=\"size\">").append(img.image().width()).append("\u00d7").append(img.image().height())
                .append(" px</div>")
                .append("<div class=\"pred\">predicted <b>").append(Html.text(img.predictedLabel())).append("</b> ")
                .append(ScoreFormat.format(img.predictedScore())).append("</div></th>");
    }

    private void targetCells(StringBuilder h, ReportImage image, TargetRow row, List<String> methods) {
        boolean differs = image.predictedLabel() != null && row.targetLabel() != null
                && !image.predictedLabel().equals(row.targetLabel());
        h.append("<td class=\"target").append(differs ? " differs" : "").append("\"><b>")
                .append(Html.text(ReportWriter.label(row.targetLabel(), row.target()))).append("</b>")
                .append("<div class=\"muted\">class ").append(row.target()).append("</div>")
                .append("<div>score ").append(ScoreFormat.format(row.targetScore())).append("</div>")
                .append(differs ? "<div class=\"flag\">not the predicted class</div>" : "")
                .append("</td>");
        for (String method : methods) {
            RenderedCell cell = row.cells().get(method);
            if (cell == null) {
                h.append("<td class=\"none\">no result<div class=\"muted\">see errors</div></td>");
                continue;
            }
            String alt = Html.text(method + " heatmap of " + image.imageId() + " for " + ReportWriter.label(row.targetLabel(), row.target()));
            h.append("<td class=\"map\"><a href=\"").append(cell.href()).append("\"><img src=\"").append(cell.href())
                    .append("\" alt=\"").append(alt).append("\"/></a>");
            h.append("<div class=\"stats\">colour scale \u00b1").append(ScoreFormat.format(cell.scale().limit()));
            ReportCell c = cell.cell();
            // random's AUCs on the same image and target, when it ran: the level a method must beat
            RenderedCell random = method.equals(RandomScores.NAME) ? null : row.cells().get(RandomScores.NAME);
            if (c.deletionAuc() != null || c.insertionAuc() != null) {
                h.append("<br/>");
                if (c.deletionAuc() != null) {
                    h.append("deletion <b>").append(auc(c.deletionAuc())).append("</b>")
                            .append(versusRandom(random == null ? null : random.cell().deletionAuc()));
                }
                if (c.deletionAuc() != null && c.insertionAuc() != null) {
                    h.append(" \u00b7 ");
                }
                if (c.insertionAuc() != null) {
                    h.append("insertion <b>").append(auc(c.insertionAuc())).append("</b>")
                            .append(versusRandom(random == null ? null : random.cell().insertionAuc()));
                }
            }
            h.append("</div></td>");
        }
    }

    private static String versusRandom(Double randomAuc) {
        return randomAuc == null ? "" : " <span class=\"muted\">(random " + auc(randomAuc) + ")</span>";
    }

    private static String auc(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    /** Inline style sheet; no characters that XML would need escaped. */
    private String css() {
        int w = options.thumbnailWidth();
        return String.join("\n",
                ":root { --fg: #1d2330; --muted: #667085; --line: #e3e7ee; --bg: #f6f7f9; --card: #ffffff; --accent: #b2182b; }",
                "* { box-sizing: border-box; }",
                "body { margin: 0; padding: 24px 28px 40px; background: var(--bg); color: var(--fg);",
                "  font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', 'Liberation Sans', sans-serif; }",
                "h1 { font-size: 22px; margin: 0 0 10px; letter-spacing: -0.01em; }",
                "h2 { font-size: 16px; margin: 0 0 8px; }",
                "code { font: 12.5px/1.3 ui-monospace, 'DejaVu Sans Mono', 'Liberation Mono', monospace; }",
                "header, section.errors { background: var(--card); border: 1px solid var(--line); border-radius: 10px;",
                "  padding: 16px 20px; margin-bottom: 16px; }",
                "dl.meta { display: flex; flex-wrap: wrap; gap: 6px 28px; margin: 0 0 10px; }",
                "dl.meta div { display: flex; gap: 8px; align-items: baseline; }",
                "dt { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: 0.05em; }",
                "dd { margin: 0; font-weight: 600; }",
                "ul.counts { display: flex; flex-wrap: wrap; gap: 8px; list-style: none; padding: 0; margin: 0 0 10px; }",
                "ul.counts li { background: var(--bg); border: 1px solid var(--line); border-radius: 999px; padding: 2px 12px; }",
                "ul.counts .n { font-weight: 700; }",
                "p.sample { margin: 0 0 10px; color: var(--muted); }",
                ".legend { display: flex; gap: 12px; align-items: center; color: var(--muted); font-size: 13px; }",
                ".legend .ramp { flex: none; width: 160px; height: 12px; border-radius: 3px; border: 1px solid #c8cdd6;",
                "  background: linear-gradient(to right, #2166ac, #4393c3, #92c5de, #d1e5f0, #f7f7f7, #fddbc7, #f4a582, #d6604d, #b2182b); }",
                "section.errors p.ok { margin: 0; color: #1a7f37; }",
                "table { border-collapse: collapse; }",
                "table.errtable { width: 100%; font-size: 13px; }",
                "table.errtable th, table.errtable td { text-align: left; padding: 4px 10px 4px 0; border-bottom: 1px solid var(--line);",
                "  vertical-align: top; }",
                "table.errtable td:last-child { color: var(--accent); }",
                "table.images { background: var(--card); border: 1px solid var(--line); border-radius: 10px; }",
                "table.images thead th { position: sticky; top: 0; background: #eef1f5; z-index: 1; text-align: left;",
                "  font-size: 13px; padding: 8px 12px; border-bottom: 1px solid var(--line); }",
                "table.images tbody { border-top: 1px solid var(--line); }",
                "table.images td, table.images th.img { padding: 10px 12px; vertical-align: top; text-align: left; font-weight: normal; }",
                "table.images img { display: block; width: " + w + "px; height: auto;",
                "  border: 1px solid var(--line); border-radius: 4px; background: #fff; }",
                "th.img img { width: " + Math.max(96, w * 3 / 4) + "px; }",
                "th.img .id { margin-top: 6px; max-width: " + Math.max(96, w * 3 / 4) + "px; overflow-wrap: anywhere;",
                "  font: 12.5px/1.3 ui-monospace, 'DejaVu Sans Mono', monospace; }",
                ".size, .muted { color: var(--muted); font-size: 12px; }",
                ".pred { margin-top: 4px; }",
                "td.target { min-width: 110px; }",
                "td.target .flag { margin-top: 4px; color: var(--accent); font-size: 12px; }",
                "td.map .stats { margin-top: 4px; font-size: 12px; color: var(--muted); }",
                "td.map .stats b { color: var(--fg); }",
                "td.none { color: var(--muted); font-style: italic; }",
                "p.empty { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 16px 20px; }",
                "a:hover img { outline: 2px solid #4393c3; }",
                "footer { margin-top: 18px; color: var(--muted); font-size: 12px; }",
                "");
    }
}
