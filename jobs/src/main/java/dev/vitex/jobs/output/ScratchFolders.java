package dev.vitex.jobs.output;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Temporary folders of one run (local copies of a model fetched from a Hadoop URI, the report's
 * scratch folder before its upload), deleted together when the run ends, whether it succeeded or
 * not. A folder that cannot be deleted is logged, never fails the run.
 */
public final class ScratchFolders implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("vitex");
    private final List<Path> folders = new ArrayList<>();

    /** A new empty folder under java.io.tmpdir, deleted by {@link #close}. */
    public synchronized Path create(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        folders.add(dir);
        return dir;
    }

    @Override
    public synchronized void close() {
        for (Path dir : folders) {
            delete(dir);
        }
        folders.clear();
    }

    /** Deletes {@code dir} and everything under it; failures are logged. */
    public static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not delete the temporary folder {}: {}", dir, e.getMessage());
        }
    }
}
