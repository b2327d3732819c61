package dev.vitex.jobs.output;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The children vitex writes into an output folder, and the two file-level operations that keep a
 * folder whole across kills.
 *
 * <p><b>Overwrite without deleting first.</b> An overwrite of a folder that holds a previous run
 * writes into {@code _vitex_staging/<run id>/} beside it. At the end, {@link #swapIn}: marker
 * {@code _COMMITTED} in the staging folder; delete the previous run's children, marker
 * {@code _OLD_DELETED}; rename the staged children into place; delete the staging folder. A kill before
 * {@code _COMMITTED} leaves the previous run untouched (the staging folder is removed by the next run);
 * a kill after it is finished by the next run ({@link #recover}): the new run is complete by then.
 * Only the names of {@link #OWNED} are ever deleted.
 *
 * <p><b>Stale {@code _temporary}.</b> Spark's file commit protocol stages task output in
 * {@code <table>/_temporary/}; a killed run leaves it behind, and a later job commit could merge
 * committed task folders from it into the table. {@link #cleanTemporary} removes them first.
 */
public final class OutputFolder {
    public static final String ATTRIBUTIONS = "attributions";
    public static final String ERRORS = "errors";
    public static final String REPORT = "report";
    public static final String STAGING = "_vitex_staging";
    /** Every name vitex writes at the top of an output folder: the only names it ever deletes. */
    public static final List<String> OWNED = List.of(ATTRIBUTIONS, ERRORS, REPORT, ManifestFile.NAME, ManifestFile.HISTORY,
            STAGING, WaveCommitter.WAVES, OutputLock.NAME);
    private static final String COMMITTED = "_COMMITTED";
    private static final String OLD_DELETED = "_OLD_DELETED";

    private final FileSystem fs;
    private final Path dir;

    public OutputFolder(FileSystem fs, Path dir) {
        this.fs = fs;
        this.dir = dir;
    }

    public Path path() {
        return dir;
    }

    public FileSystem fs() {
        return fs;
    }

    /** Where an overwrite run stages its output. */
    public Path staging(String runId) {
        return new Path(new Path(dir, STAGING), runId);
    }

    /** Whether the folder holds a previous run: a manifest vitex wrote (whatever else it holds). */
    public boolean hasVitexOutput() {
        return ManifestFile.isVitex(ManifestFile.read(fs, dir));
    }

    /** Names in the folder that vitex does not write (a folder with such names and no manifest is not vitex's). */
    public List<String> foreignChildren() throws IOException {
        List<String> foreign = new ArrayList<>();
        for (FileStatus st : list(dir)) {
            String n = st.getPath().getName();
            if (!OWNED.contains(n) && !n.startsWith(OutputLock.NAME) && !n.startsWith("." + ManifestFile.NAME)) {
                foreign.add(n);
            }
        }
        return foreign;
    }

    /** Makes the staged run of {@code runId} the folder's content (see the class comment). */
    public void swapIn(String runId) throws IOException {
        Path staged = staging(runId);
        touch(new Path(staged, COMMITTED));
        finishSwap(staged);
    }

    private void finishSwap(Path staged) throws IOException {
        if (!fs.exists(new Path(staged, OLD_DELETED))) {
            for (String n : OWNED) {
                if (!n.equals(STAGING) && !n.equals(OutputLock.NAME)) {
                    fs.delete(new Path(dir, n), true);
                }
            }
            touch(new Path(staged, OLD_DELETED));
        }
        for (FileStatus st : list(staged)) {
            String n = st.getPath().getName();
            if (OWNED.contains(n) && !fs.rename(st.getPath(), new Path(dir, n))) {
                throw new IOException("cannot move " + st.getPath() + " to " + new Path(dir, n));
            }
        }
        fs.delete(staged, true);
        removeEmptyStagingArea();
    }

    /**
     * Settles what interrupted runs left in the staging area: a committed overwrite is finished, an
     * uncommitted one removed (the previous run stays). Call with the folder's lock held.
     */
    public void recover(Consumer<String> log) throws IOException {
        for (FileStatus st : list(new Path(dir, STAGING))) {
            Path staged = st.getPath();
            if (fs.exists(new Path(staged, COMMITTED))) {
                finishSwap(staged);
                log.accept("finished the overwrite of run " + staged.getName() + ", which was interrupted while "
                        + "replacing the previous output");
            } else {
                fs.delete(staged, true);
                log.accept("removed the partial output of the interrupted overwrite run " + staged.getName()
                        + " (the previous output was kept)");
            }
        }
        removeEmptyStagingArea();
    }

    private void removeEmptyStagingArea() throws IOException {
        Path area = new Path(dir, STAGING);
        if (fs.exists(area) && list(area).isEmpty()) {
            fs.delete(area, true);
        }
    }

    /** Removes {@code _temporary} folders under {@code root}'s tables; returns how many. */
    public static int cleanTemporary(FileSystem fs, Path root) throws IOException {
        int n = 0;
        for (String table : List.of(ATTRIBUTIONS, ERRORS)) {
            Path t = new Path(new Path(root, table), "_temporary");
            if (fs.exists(t)) {
                fs.delete(t, true);
                n++;
            }
        }
        return n;
    }

    private List<FileStatus> list(Path p) throws IOException {
        try {
            return List.of(fs.listStatus(p));
        } catch (FileNotFoundException e) {
            return List.of();
        }
    }

    private void touch(Path p) throws IOException {
        try (OutputStream o = fs.create(p, true)) {
            o.write('x');
        }
    }
}
