/**
 * What a run writes: the Parquet schemas and rows, the output folder (attributions, errors, manifests),
 * the manifest and the HTML report; and what keeps a folder whole across kills and concurrent runs: the
 * lock, atomic manifest writes, waves committed one by one, the staged overwrite, resume's done work.
 * 
 * <p>May use: {@code config}, core's {@code report}.
 */
package dev.vitex.jobs.output;
