/**
 * Where images come from: folders (local or Hadoop), globs and Parquet tables, planned on the driver and
 * loaded as a Dataset of image references; the
 * tasks read the referenced files with {@link dev.vitex.jobs.input.ImageFileReader}.
 * 
 * <p>May use: {@code config}. Runs on the driver, except the file reader (in tasks).
 */
package dev.vitex.jobs.input;
