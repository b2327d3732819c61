/**
 * The benchmark ({@code vitex bench}): plain inference, every method, the job end to end, memory and
 * Parquet bytes.
 * 
 * <p>May use: everything; only {@code gpu} depends on it (its plain throughput, {@link dev.vitex.jobs.bench.PlainThroughput}).
 */
package dev.vitex.jobs.bench;
