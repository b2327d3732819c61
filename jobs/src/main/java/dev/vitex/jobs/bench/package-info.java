/**
 * The benchmark ({@code vitex bench}): plain inference, every method, the job end to end, memory and
 * Parquet bytes.
 * 
 * <p>May use: everything; nothing depends on it.
 */
package dev.vitex.jobs.bench;
