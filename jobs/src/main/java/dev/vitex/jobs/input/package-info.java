/**
 * Where images come from: folders (local or Hadoop), globs and Parquet tables, planned on the driver and
 * turned into input rows (an image folder's as rows the driver holds, a Parquet table's as a Dataset); the
 * tasks read the referenced files with {@link dev.vitex.jobs.input.ImageFileReader}.
 * 
 * <p>May use: {@code config}, {@code output} (its {@code Schemas}). Runs on the driver, except the file reader (in tasks).
 */
package dev.vitex.jobs.input;
