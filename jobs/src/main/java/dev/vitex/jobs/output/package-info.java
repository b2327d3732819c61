/**
 * What a run writes: the Parquet schemas and rows, the output folder (attributions, errors, manifests),
 * the manifest and the HTML report.
 * 
 * <p>May use: {@code config}, core's {@code report}.
 */
package dev.vitex.jobs.output;
