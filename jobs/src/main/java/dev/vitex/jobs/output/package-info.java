/**
 * What a run writes: the Parquet schemas and rows, the output folder (attributions, errors, manifests),
 * the manifest and the HTML report (originals decoded as subsampled thumbnails), and the run's scratch folders.
 * 
 * <p>May use: {@code config}, core's {@code report} and {@code image}.
 */
package dev.vitex.jobs.output;
