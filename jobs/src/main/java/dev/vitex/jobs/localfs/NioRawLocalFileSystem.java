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
    /**
     * One {@code stat}: what {@code ls -ld} and {@link File} calls gave the parent, but the owner's and group's
     * ids, not names: a name is a user-database look-up per file (~2 of ~3 s listing 20,000 files, issue 16),
     * made only when asked ({@link LazyOwnerStatus}), as the parent's {@code ls -ld} was.
     */
    private static final String STAT = "unix:mode,size,isDirectory,lastModifiedTime,lastAccessTime,uid,gid";
    private static final String OWNERS = "unix:owner,group";
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
        return new LazyOwnerStatus((Long) a.get("size"), (Boolean) a.get("isDirectory"), getDefaultBlockSize(f),
                ((FileTime) a.get("lastModifiedTime")).toMillis(), ((FileTime) a.get("lastAccessTime")).toMillis(),
                new FsPermission((short) (mode & 01777)), new Path(file.getPath()).makeQualified(getUri(), getWorkingDirectory()),
                file.getPath(), (Integer) a.get("uid"), (Integer) a.get("gid"));
    }

    /**
     * A status whose owner and group names are looked up on first use (a second {@code stat} of the file; its
     * numeric ids if it is gone by then). Serialised as a plain {@link FileStatus} with the names.
     */
    static final class LazyOwnerStatus extends FileStatus {
        private static final long serialVersionUID = 1L;
        private final String file;
        private final int uid;
        private final int gid;
        private boolean named;

        LazyOwnerStatus(long length, boolean dir, long blockSize, long modified, long accessed, FsPermission permission,
                        Path path, String file, int uid, int gid) {
            super(length, dir, 1, blockSize, modified, accessed, permission, null, null, path);
            this.file = file;
            this.uid = uid;
            this.gid = gid;
        }

        @Override
        public String getOwner() {
            name();
            return super.getOwner();
        }

        @Override
        public String getGroup() {
            name();
            return super.getGroup();
        }

        private synchronized void name() {
            if (named) {
                return;
            }
            named = true;
            try {
                Map<String, Object> a = Files.readAttributes(new File(file).toPath(), OWNERS);
                setOwner(((UserPrincipal) a.get("owner")).getName());
                setGroup(((UserPrincipal) a.get("group")).getName());
            } catch (IOException | RuntimeException e) {
                setOwner(Integer.toString(uid));
                setGroup(Integer.toString(gid));
            }
        }

        private Object writeReplace() throws IOException {
            return new FileStatus(this);
        }
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
