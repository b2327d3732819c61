package dev.vitex.jobs.localfs;

import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * {@link RawLocalFileSystem} whose permission changes and lookups use {@code java.nio} instead of
 * child processes. Without libhadoop, Hadoop runs {@code chmod} after creating every file (each Parquet
 * part, its {@code .crc}) and folder, and {@code ls -ld} whenever a listed file's permission or owner is
 * read (every {@code LocatedFileStatus}): measured 714 {@code chmod} processes in one 10,971-image run.
 * Where the platform has no POSIX attributes, or a mode carries bits {@code java.nio} cannot set
 * (sticky, setuid), the parent's way is used.
 */
public class NioRawLocalFileSystem extends RawLocalFileSystem {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("unix");
    /** One {@code stat}: what {@code ls -ld} and {@link File} calls gave the parent. */
    private static final String STAT = "unix:mode,size,isDirectory,lastModifiedTime,lastAccessTime,owner,group";
    private static final PosixFilePermission[] BITS = { // bit 8 (0400) down to bit 0 (0001)
        PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE,
        PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
        PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE,
    };

    @Override
    public void setPermission(Path p, FsPermission permission) throws IOException {
        short mode = permission.toShort();
        if (!POSIX || (mode & ~0777) != 0) {
            super.setPermission(p, permission);
            return;
        }
        try {
            Files.setPosixFilePermissions(pathToFile(p).toPath(), permissions(mode));
        } catch (NoSuchFileException e) {
            throw new FileNotFoundException("File " + p + " does not exist");
        } catch (UnsupportedOperationException e) {
            super.setPermission(p, permission);
        }
    }

    @Override
    public FileStatus getFileStatus(Path f) throws IOException {
        if (!POSIX) {
            return super.getFileStatus(f);
        }
        File file = pathToFile(f);
        Map<String, Object> a;
        try {
            a = Files.readAttributes(file.toPath(), STAT); // follows links, as the parent does
        } catch (NoSuchFileException e) {
            throw new FileNotFoundException("File " + f + " does not exist");
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return super.getFileStatus(f);
        }
        int mode = (Integer) a.get("mode");
        return new FileStatus((Long) a.get("size"), (Boolean) a.get("isDirectory"), 1, getDefaultBlockSize(f),
                ((FileTime) a.get("lastModifiedTime")).toMillis(), ((FileTime) a.get("lastAccessTime")).toMillis(),
                new FsPermission((short) (mode & 01777)), ((UserPrincipal) a.get("owner")).getName(),
                ((UserPrincipal) a.get("group")).getName(), new Path(file.getPath()).makeQualified(getUri(), getWorkingDirectory()));
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < BITS.length; i++) {
            if ((mode & (0400 >> i)) != 0) {
                set.add(BITS[i]);
            }
        }
        return set;
    }
}
