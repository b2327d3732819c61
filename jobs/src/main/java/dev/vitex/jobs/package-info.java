/**
 * The Spark job. {@link dev.vitex.jobs.AttributionJob} is the entry point ({@code spark-submit --class}); the
 * sub-packages follow where the code runs: {@code cli} → {@code config} → {@code driver} (with {@code input})
 * → {@code executor} → {@code output}; {@code bench} measures all of it.
 */
package dev.vitex.jobs;
