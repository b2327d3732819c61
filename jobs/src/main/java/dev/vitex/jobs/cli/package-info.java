/**
 * The command line: picocli commands ({@code run}, {@code demo}, {@code bench}, {@code --version}), the
 * run options built from {@code config}'s declarations, exit statuses, and the demo's printout.
 * 
 * <p>May use: {@code config}, {@code driver}, {@code bench} (the benchmark's own command line) and
 * {@code output} (build versions for {@code --version}).
 */
package dev.vitex.jobs.cli;
