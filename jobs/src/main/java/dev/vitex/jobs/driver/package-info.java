/**
 * One run on the driver: checks before Spark, the Spark session, partitioning, progress lines and the
 * run's statistics; hands partitions to the executor and results to the output.
 * 
 * <p>May use: {@code config}, {@code input}, {@code executor}, {@code output}.
 */
package dev.vitex.jobs.driver;
