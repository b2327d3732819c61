/**
 * Where images come from: folders (local or Hadoop), globs and Parquet tables, planned on the driver and
 * loaded as a Dataset of image references.
 * 
 * <p>May use: {@code config}. Runs on the driver.
 */
package dev.vitex.jobs.input;
