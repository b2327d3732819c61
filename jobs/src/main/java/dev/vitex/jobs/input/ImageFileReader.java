package dev.vitex.jobs.input;

import dev.vitex.jobs.config.HadoopConf;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads image files in a task ({@code file:} through java.nio, any other Hadoop file system through
 * Hadoop), refusing files above the byte cap before reading them. One per task: file systems are
 * looked up once per scheme and authority.
 */
public final class ImageFileReader {
    private final Map<String, String> hadoopSettings;
    private final long maxBytes;
    private final Map<String, FileSystem> fileSystems = new HashMap<>();
    private Configuration hadoop;

    /** @param maxBytes decode.max_file_bytes */
    public ImageFileReader(Map<String, String> hadoopSettings, long maxBytes) {
        this.hadoopSettings = hadoopSettings;
        this.maxBytes = maxBytes;
    }

    public byte[] read(String path) throws IOException {
        Path p = new Path(path);
        URI uri = p.toUri();
        if ("file".equals(uri.getScheme()) && uri.getAuthority() == null) {
            return readLocal(p);
        }
        if (hadoop == null) {
            hadoop = HadoopConf.shared(hadoopSettings); // not rebuilt per task: it sets every key of the driver's configuration
        }
        String fsKey = uri.getScheme() + "://" + uri.getAuthority();
        FileSystem fs = fileSystems.get(fsKey);
        if (fs == null) {
            fs = p.getFileSystem(hadoop);
            fileSystems.put(fsKey, fs);
        }
        FileStatus status = fs.getFileStatus(p);
        checkSize(status.getLen());
        try (InputStream in = fs.open(p)) {
            return readFully(in, status.getLen());
        }
    }

    /**
     * A {@code file:} path straight through {@code java.nio}: Hadoop's checksummed local file system
     * stats the file twice and looks for a {@code .crc} beside it (5 % of the task threads' samples for
     * saliency, issue 16). A {@code .crc} that Hadoop wrote beside an image is not checked. A missing file
     * is the same {@code FileNotFoundException} as through Hadoop (the error rows' {@code error_class}).
     */
    private byte[] readLocal(Path p) throws IOException {
        java.nio.file.Path file = java.nio.file.Path.of(p.toUri());
        try {
            long size = Files.size(file);
            checkSize(size);
            try (InputStream in = Files.newInputStream(file)) {
                return readFully(in, size);
            }
        } catch (NoSuchFileException e) {
            throw new FileNotFoundException("File " + p + " does not exist");
        }
    }

    /** The byte cap, checked before a byte is read. */
    private void checkSize(long size) throws IOException {
        if (size > maxBytes) {
            throw new IOException("file is " + size + " bytes, above decode.max_file_bytes = " + maxBytes);
        }
    }

    private static byte[] readFully(InputStream in, long length) throws IOException {
        byte[] bytes = new byte[(int) length];
        int off = 0;
        while (off < bytes.length) {
            int n = in.read(bytes, off, bytes.length - off);
            if (n < 0) {
                throw new IOException("file shrank while being read (" + off + " of " + bytes.length + " bytes)");
            }
            off += n;
        }
        return bytes;
    }
}
