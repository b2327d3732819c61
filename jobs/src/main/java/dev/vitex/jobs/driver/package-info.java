/**
 * One run on the driver: checks before Spark, the Spark session, partitioning into waves, progress
 * lines, the manifest over the run's life and the run's statistics and health; hands partitions to the
 * executor and results to the output.
 * 
 * <p>May use: {@code config}, {@code input}, {@code executor}, {@code output}, {@code localfs}.
 */
package dev.vitex.jobs.driver;
