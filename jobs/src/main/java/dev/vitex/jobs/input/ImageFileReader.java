package dev.vitex.jobs.input;

import dev.vitex.jobs.config.HadoopConf;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads image files in a task (local or any Hadoop file system), refusing files above the byte cap
 * before reading them. One per task: file systems are looked up once per scheme and authority.
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
        if (hadoop == null) {
            hadoop = HadoopConf.shared(hadoopSettings); // not rebuilt per task: it sets every key of the driver's configuration
        }
        Path p = new Path(path);
        URI uri = p.toUri();
        String fsKey = uri.getScheme() + "://" + uri.getAuthority();
        FileSystem fs = fileSystems.get(fsKey);
        if (fs == null) {
            fs = p.getFileSystem(hadoop);
            fileSystems.put(fsKey, fs);
        }
        FileStatus status = fs.getFileStatus(p);
        if (status.getLen() > maxBytes) {
            throw new IOException("file is " + status.getLen() + " bytes, above decode.max_file_bytes = " + maxBytes);
        }
        byte[] bytes = new byte[(int) status.getLen()];
        try (InputStream in = fs.open(p)) {
            int off = 0;
            while (off < bytes.length) {
                int n = in.read(bytes, off, bytes.length - off);
                if (n < 0) {
                    throw new IOException("file shrank while being read (" + off + " of " + bytes.length + " bytes)");
                }
                off += n;
            }
        }
        return bytes;
    }
}
