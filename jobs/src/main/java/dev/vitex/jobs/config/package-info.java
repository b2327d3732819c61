/**
 * The job's configuration: options with their defaults and validation, HOCON files, targets, and the
 * serializable {@link dev.vitex.jobs.config.RunSpec} the driver broadcasts to executors.
 * 
 * <p>May use: core's model and method packages (to validate names). Runs on the driver.
 */
package dev.vitex.jobs.config;
