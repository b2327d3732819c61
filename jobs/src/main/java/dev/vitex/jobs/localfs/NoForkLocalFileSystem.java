package dev.vitex.jobs.localfs;

import org.apache.hadoop.fs.LocalFileSystem;

/**
 * Hadoop's checksummed local file system ({@code file:}) over a {@link NioRawLocalFileSystem}: the same
 * files, {@code .crc} files and permissions, without a {@code chmod} or {@code ls} process per file.
 * Named by {@code fs.file.impl} ({@link LocalFiles}); Hadoop instantiates it by its no-argument constructor.
 */
public class NoForkLocalFileSystem extends LocalFileSystem {
    public NoForkLocalFileSystem() {
        super(new NioRawLocalFileSystem());
    }
}
