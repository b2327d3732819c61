/**
 * The job's configuration: every option declared once ({@link dev.vitex.jobs.config.Options}: key, type,
 * default, validation, help), the typed {@link dev.vitex.jobs.config.JobConfig} read from them and HOCON
 * files, targets, and the serializable {@link dev.vitex.jobs.config.RunSpec} the driver broadcasts to executors.
 * 
 * <p>May use: core's model, grid and method packages (to parse and validate names), {@code localfs} (the
 * Hadoop configurations it builds name it). Runs on the driver, and {@code HadoopConf} on executors too.
 */
package dev.vitex.jobs.config;
