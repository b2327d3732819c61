/**
 * The command line: picocli commands (run, demo, bench) and the demo's printout.
 * 
 * <p>May use: {@code config}, {@code driver}.
 */
package dev.vitex.jobs.cli;
