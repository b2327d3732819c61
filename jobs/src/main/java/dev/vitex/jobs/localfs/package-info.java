/**
 * Hadoop's local file system ({@code file:}) without a child process per file: Hadoop's
 * {@code RawLocalFileSystem} runs {@code chmod} for every file and folder it creates and {@code ls -ld}
 * for every permission lookup when its native library is absent (always, for a job run from Maven
 * jars); {@link dev.vitex.jobs.localfs.NoForkLocalFileSystem} does both with {@code java.nio}, and
 * {@link dev.vitex.jobs.localfs.LocalFiles} puts it into the job's Hadoop configurations
 * ({@code fs.file.impl}, unless the user set one).
 *
 * <p>May use: Hadoop's file system API only. Runs on the driver and on executors.
 */
package dev.vitex.jobs.localfs;
