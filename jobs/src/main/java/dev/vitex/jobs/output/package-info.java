/**
 * What a run writes: the Parquet schemas and rows, the output folder (attributions, errors, manifests),
 * the manifest and the HTML report (originals decoded as subsampled thumbnails), the run's scratch folders;
 * {@link dev.vitex.jobs.output.RowEncoder} turns core's explain outcomes into Spark's internal rows, which
 * each task writes straight into the tables' Parquet files with Spark's own writer
 * ({@link dev.vitex.jobs.output.TaskTables}, {@link dev.vitex.jobs.output.TableFiles}: the non-public Spark
 * API vitex uses); and what keeps a folder
 * whole across kills and concurrent runs: the lock, atomic manifest writes, waves committed one by one,
 * the staged overwrite, resume's done work, redaction.
 *
 * <p>May use: {@code config}, core's {@code report}, {@code image}, {@code pipeline} (the outcomes it encodes), {@code grid}, {@code model}.
 */
package dev.vitex.jobs.output;
