package dev.vitex.jobs.localfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vitex.jobs.config.HadoopConf;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The job's local file system against Hadoop's own (which forks {@code chmod} / {@code ls -ld} without
 * libhadoop): the same operations Spark's writers and committers do give the same files with the same
 * permissions, and the same statuses (mode, owner, group, length, times), sticky bit included.
 */
class NoForkLocalFileSystemTest {
    @TempDir
    java.nio.file.Path dir;

    private static FileSystem fileSystem(Class<?> impl, String umask) throws IOException {
        Configuration conf = new Configuration();
        conf.set(LocalFiles.IMPL_KEY, impl.getName());
        conf.set("fs.permissions.umask-mode", umask);
        return FileSystem.newInstance(URI.create("file:///"), conf); // not the JVM's cached instance
    }

    /** What a Parquet write and its commit do: folders, files with checksums, explicit modes, renames. */
    private static void writeLikeSpark(FileSystem fs, Path root) throws IOException {
        Path task = new Path(root, "_temporary/0/task_0");
        fs.mkdirs(task);
        try (OutputStream o = fs.create(new Path(task, "part-0.parquet"))) {
            o.write(new byte[] {1, 2, 3});
        }
        try (OutputStream o = fs.create(new Path(root, "private.bin"), new FsPermission((short) 0640), true, 4096,
                (short) 1, 1 << 20, null)) {
            o.write(4);
        }
        fs.mkdirs(new Path(root, "locked"), new FsPermission((short) 0700));
        fs.rename(new Path(task, "part-0.parquet"), new Path(root, "part-0.parquet"));
        fs.setPermission(new Path(root, "locked"), new FsPermission((short) 0751));
        fs.setPermission(new Path(root, "_temporary"), new FsPermission((short) 01777)); // sticky: the parent's way
    }

    /** Relative path → permission string, for every file and folder under {@code root}. */
    private static Map<String, String> modes(java.nio.file.Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<java.nio.file.Path> all = Files.walk(root)) {
            for (java.nio.file.Path p : all.toList()) {
                out.put(root.relativize(p).toString(), PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"022", "077"})
    void writesTheSameFilesWithTheSamePermissionsAsHadoopsLocalFileSystem(String umask) throws IOException {
        java.nio.file.Path ours = Files.createDirectories(dir.resolve("ours"));
        java.nio.file.Path hadoops = Files.createDirectories(dir.resolve("hadoop"));
        try (FileSystem a = fileSystem(NoForkLocalFileSystem.class, umask);
             FileSystem b = fileSystem(LocalFileSystem.class, umask)) {
            assertEquals(NoForkLocalFileSystem.class, a.getClass());
            writeLikeSpark(a, new Path(ours.toUri()));
            writeLikeSpark(b, new Path(hadoops.toUri()));
        }
        Map<String, String> expected = modes(hadoops);
        assertEquals(expected, modes(ours));
        // and the closed form: a file is 0666 and a folder 0777, less the umask
        int mask = Integer.parseInt(umask, 8);
        assertEquals(rwx(0666 & ~mask), expected.get("part-0.parquet"));
        assertEquals(rwx(0777 & ~mask), expected.get("_temporary/0"));
        assertEquals(rwx(0640 & ~mask), expected.get("private.bin"));
        assertEquals(rwx(0640 & ~mask), expected.get(".private.bin.crc"), "a checksum file has its file's mode");
        assertEquals(rwx(0751), expected.get("locked"));
    }

    private static String rwx(int mode) {
        return PosixFilePermissions.toString(NioRawLocalFileSystem.permissions(mode));
    }

    @Test
    void statusesAreTheSameAsFromLsLd() throws IOException {
        try (FileSystem ours = fileSystem(NoForkLocalFileSystem.class, "022");
             FileSystem hadoops = fileSystem(LocalFileSystem.class, "022")) {
            Path root = new Path(dir.toUri());
            writeLikeSpark(hadoops, root);
            List<Path> paths = new ArrayList<>();
            try (Stream<java.nio.file.Path> all = Files.walk(dir)) {
                all.forEach(p -> paths.add(new Path(p.toUri())));
            }
            assertEquals(9, paths.size());
            for (Path p : paths) {
                FileStatus x = ours.getFileStatus(p);
                FileStatus y = hadoops.getFileStatus(p);
                String what = p.toString();
                assertEquals(y.getPath(), x.getPath(), what);
                assertEquals(y.getPermission(), x.getPermission(), what);
                assertEquals(y.getOwner(), x.getOwner(), what);
                assertEquals(y.getGroup(), x.getGroup(), what);
                assertEquals(y.getLen(), x.getLen(), what);
                assertEquals(y.isDirectory(), x.isDirectory(), what);
                assertEquals(y.getModificationTime(), x.getModificationTime(), what);
                assertEquals(y.getBlockSize(), x.getBlockSize(), what);
            }
            assertEquals(FsPermission.valueOf("drwxrwxrwt"), ours.getFileStatus(new Path(root, "_temporary")).getPermission());
            assertEquals(hadoops.listStatus(root).length, ours.listStatus(root).length);
            // listed statuses look their owner and group up when asked (issue 16: a name look-up per listed file), and
            // a serialised one carries the names
            for (FileStatus x : ours.listStatus(root)) {
                FileStatus y = hadoops.getFileStatus(x.getPath());
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                try (ObjectOutputStream o = new ObjectOutputStream(bytes)) {
                    o.writeObject(x);
                }
                FileStatus copy;
                try (ObjectInputStream i = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                    copy = (FileStatus) i.readObject();
                } catch (ClassNotFoundException e) {
                    throw new AssertionError(e);
                }
                assertEquals(FileStatus.class, copy.getClass());
                for (FileStatus z : List.of(x, copy)) {
                    assertEquals(y.getOwner(), z.getOwner(), z.getPath().toString());
                    assertEquals(y.getGroup(), z.getGroup(), z.getPath().toString());
                    assertEquals(y.getPermission(), z.getPermission(), z.getPath().toString());
                    assertEquals(y.getLen(), z.getLen(), z.getPath().toString());
                }
                assertFalse(y.getOwner().isEmpty());
            }
            Path missing = new Path(root, "missing");
            assertThrows(FileNotFoundException.class, () -> ours.getFileStatus(missing));
            assertThrows(FileNotFoundException.class, () -> ours.setPermission(missing, new FsPermission((short) 0644)));
        }
    }

    @Test
    void theJobsConfigurationsNameItUnlessTheUserNamedAnother() {
        assertEquals(NoForkLocalFileSystem.class.getName(), LocalFiles.configure(new Configuration(false)).get(LocalFiles.IMPL_KEY));
        Configuration user = new Configuration(false);
        user.set(LocalFiles.IMPL_KEY, LocalFileSystem.class.getName());
        assertEquals(LocalFileSystem.class.getName(), LocalFiles.implementation(user));
        assertEquals(NoForkLocalFileSystem.class.getName(),
                HadoopConf.toConfiguration(Map.of("a", "1")).get(LocalFiles.IMPL_KEY));
        assertEquals(NoForkLocalFileSystem.class.getName(), HadoopConf.toConfiguration(Map.of()).get(LocalFiles.IMPL_KEY));
        assertEquals("mine", HadoopConf.toConfiguration(Map.of(LocalFiles.IMPL_KEY, "mine")).get(LocalFiles.IMPL_KEY));
        // tasks share one configuration per broadcast map instead of building one each (issue 16)
        Map<String, String> broadcast = Map.of("fs.s3a.endpoint", "http://x");
        Configuration shared = HadoopConf.shared(broadcast);
        assertSame(shared, HadoopConf.shared(broadcast));
        assertEquals("http://x", shared.get("fs.s3a.endpoint"));
    }
}
