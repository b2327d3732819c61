/**
 * What a run writes: the Parquet schemas and rows, the output folder (attributions, errors, manifests),
 * the manifest and the HTML report (originals decoded as subsampled thumbnails), the run's scratch folders;
 * {@link dev.vitex.jobs.output.RowEncoder} turns core's explain outcomes into rows.
 *
 * <p>May use: {@code config}, core's {@code report}, {@code image}, {@code pipeline} (the outcomes it encodes), {@code grid}, {@code model}.
 */
package dev.vitex.jobs.output;
