/**
 * The dataset audit ({@code vitex audit}) and the run comparison ({@code vitex compare}): Spark jobs over a
 * run's {@code attributions/} Parquet (wide or long layout) that write per-class summaries, SpRAy clusters
 * (Lapuschkin et al. 2019), per-image outlier scores and per-image explanation changes between two runs,
 * with static HTML pages (docs/audit.md).
 *
 * <p>May use: {@code config} (one-line errors), core {@code render}, {@code image}, {@code grid}; Spark SQL,
 * Spark MLlib, Commons Math. No DJL: the audit reads Parquet, it never runs a model.
 */
package dev.vitex.jobs.audit;
