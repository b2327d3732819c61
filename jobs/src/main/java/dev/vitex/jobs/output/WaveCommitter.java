package dev.vitex.jobs.output;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaRDD;

/**
 * Commits one wave of task output into {@code attributions/} and {@code errors/}, computing it once.
 *
 * <ol>
 *   <li>{@link #submit}: the one Spark job of the wave runs the model, and each task writes its rows
 *       straight into table files under {@code _vitex_waves/<wave>/_attempts/} ({@link TaskTables}; file
 *       names carry the attempt). Spark returns one {@link TaskFiles} per partition, from the attempt that
 *       succeeded: a lost executor's tasks are recomputed, and a failed or duplicate attempt's files are
 *       never committed.</li>
 *   <li>{@link #commit}: those files are moved to {@code _vitex_waves/<wave>/attributions/} and
 *       {@code errors/}, then marker {@code _READY}.</li>
 *   <li>The wave's files are renamed into the tables; the wave folder (with any other attempt's files) is
 *       removed.</li>
 * </ol>
 * Steps 2 and 3 run while the next wave's job computes ({@code driver.Waves} submits it first); waves
 * are committed one at a time, in order. A kill before {@code _READY} leaves the tables as they were
 * (the wave folder is removed by the next run); a kill during the renames is finished by the next run
 * ({@link #recover}): each file is either still in the wave folder or already in its table, never in both.
 * Until issue 16 each wave's rows were written twice: as task output, then read back and split into the
 * tables by three more Spark jobs.
 */
public final class WaveCommitter {
    public static final String WAVES = "_vitex_waves";
    private static final String READY = "_READY";

    private final FileSystem fs;
    private final Path root;
    private final TableFiles tables;
    /** Whether {@code errors/} holds a file (so readers find its schema even when a run has no error). */
    private boolean errorsTableHasFile;

    /** Commits into {@code root}'s {@code attributions/} and {@code errors/}. */
    public WaveCommitter(FileSystem fs, Path root, TableFiles tables) {
        this.fs = fs;
        this.root = root;
        this.tables = tables;
    }

    /** What one wave committed: attribution rows (one per image × method × target) and error rows. */
    public record Committed(long attributionRows, long errorRows) {}

    /** A wave whose tasks have written their files (the model has run on it), not yet in the tables. */
    public record Staged(String waveName, Path wave, List<TaskFiles> tasks) {
        public Staged {
            tasks = List.copyOf(tasks);
        }
    }

    /** Where wave {@code waveName}'s task attempts write ({@link TaskTables}). */
    public Path attempts(String waveName) {
        return new Path(wave(waveName), TaskTables.ATTEMPTS);
    }

    private Path wave(String waveName) {
        return new Path(new Path(root, WAVES), waveName);
    }

    /**
     * Submits the wave's one Spark job without waiting for it: {@code tasks} must write under
     * {@link #attempts} of this wave (it is emptied first). A job submitted while another runs queues
     * behind it, so its tasks take the task slots as the other's last tasks end.
     */
    public Running submit(JavaRDD<TaskFiles> tasks, String waveName) throws IOException {
        Path wave = wave(waveName);
        fs.delete(wave, true);
        fs.mkdirs(new Path(wave, TaskTables.ATTEMPTS));
        return new Running(waveName, wave, tasks.collectAsync());
    }

    /** A wave whose Spark job is submitted. */
    public static final class Running {
        private final String waveName;
        private final Path wave;
        private final JavaFutureAction<List<TaskFiles>> job;

        private Running(String waveName, Path wave, JavaFutureAction<List<TaskFiles>> job) {
            this.waveName = waveName;
            this.wave = wave;
            this.job = job;
        }

        /** Waits for the job; its failure is thrown as Spark threw it ({@code collect()} would have). */
        public Staged await() throws IOException {
            try {
                return new Staged(waveName, wave, job.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                job.cancel(true);
                throw new IOException("interrupted while wave " + waveName + " was computed", e);
            } catch (ExecutionException e) {
                throw WaveCommitter.<RuntimeException>rethrow(e.getCause() == null ? e : e.getCause());
            }
        }

        /** Cancels the job (a wave after a failed one). */
        public void cancel() {
            job.cancel(true);
        }
    }

    /** Throws {@code t} as it is, checked or not: a failed Spark job throws a (checked) SparkException from collect(). */
    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T rethrow(Throwable t) throws T {
        throw (T) t;
    }

    /** Moves a staged wave's files into both tables; the rows committed. */
    public Committed commit(Staged staged) throws IOException {
        Path wave = staged.wave();
        Path attempts = new Path(wave, TaskTables.ATTEMPTS);
        long a = 0;
        long e = 0;
        for (TaskFiles t : staged.tasks()) {
            for (String f : t.files()) {
                Path target = new Path(wave, f);
                fs.mkdirs(target.getParent());
                if (!fs.rename(new Path(attempts, f), target)) {
                    throw new IOException("cannot move " + new Path(attempts, f) + " to " + target);
                }
            }
            a += t.attributionRows();
            e += t.errorRows();
        }
        if (e == 0 && !errorsTableHasFile && !hasParquet(fs, new Path(root, OutputFolder.ERRORS))) {
            emptyErrorFile(new Path(wave, OutputFolder.ERRORS), staged.waveName());
        }
        errorsTableHasFile = true;
        fs.delete(attempts, true); // other attempts' files (failed tasks, speculative duplicates)
        try (OutputStream o = fs.create(new Path(wave, READY), true)) {
            o.write('x');
        }
        publishFiles(fs, wave, root);
        fs.delete(wave, true);
        return new Committed(a, e);
    }

    /** A file of no rows: {@code errors/} is readable (its schema) even when a run has no error, as Spark's writes left it. */
    private void emptyErrorFile(Path dir, String waveName) throws IOException {
        fs.mkdirs(dir);
        tables.open(TableFiles.Table.ERRORS, dir.toString(), 0, 0, waveName + "-empty").close();
    }

    /** Finishes the renames of waves that were ready when a run was killed, removes the others. */
    public static void recover(FileSystem fs, Path root, Consumer<String> log) throws IOException {
        Path area = new Path(root, WAVES);
        for (FileStatus st : list(fs, area)) {
            if (st.getPath().getName().startsWith("task-")) {
                fs.delete(st.getPath(), true); // a run of an older version kept its task output here: its rows are in the tables
            } else if (fs.exists(new Path(st.getPath(), READY))) {
                publishFiles(fs, st.getPath(), root);
                fs.delete(st.getPath(), true);
                log.accept("committed wave " + st.getPath().getName() + " of an interrupted run (it was written, not yet moved)");
            } else {
                fs.delete(st.getPath(), true);
                log.accept("removed the uncommitted wave " + st.getPath().getName() + " of an interrupted run");
            }
        }
        fs.delete(area, true);
    }

    /** Removes the waves folder when it is empty (a kill's leftovers stay for the next run's recovery). */
    public void dropWavesFolder() {
        try {
            Path area = new Path(root, WAVES);
            if (list(fs, area).isEmpty()) {
                fs.delete(area, true);
            }
        } catch (IOException e) {
            // left for the next run's recovery
        }
    }

    /** Renames every Parquet file of the wave's tables into the same relative place under {@code root}. */
    private static void publishFiles(FileSystem fs, Path wave, Path root) throws IOException {
        for (String table : List.of(OutputFolder.ATTRIBUTIONS, OutputFolder.ERRORS)) {
            Path from = new Path(wave, table);
            Path to = new Path(root, table);
            fs.mkdirs(to);
            if (!fs.exists(from)) {
                continue;
            }
            String prefix = from.toUri().getPath();
            for (Path f : parquetFiles(fs, from)) {
                String rel = f.toUri().getPath().substring(prefix.length() + 1);
                Path target = new Path(to, rel);
                fs.mkdirs(target.getParent());
                if (!fs.rename(f, target)) {
                    throw new IOException("cannot move " + f + " to " + target);
                }
            }
        }
    }

    private static List<Path> parquetFiles(FileSystem fs, Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        String prefix = dir.toUri().getPath();
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(dir, true);
        while (it.hasNext()) {
            Path p = it.next().getPath();
            String rel = p.toUri().getPath().substring(prefix.length());
            if (p.getName().endsWith(".parquet") && !rel.contains("/_") && !rel.contains("/.")) {
                files.add(p);
            }
        }
        return files;
    }

    private static boolean hasParquet(FileSystem fs, Path dir) throws IOException {
        return fs.exists(dir) && !parquetFiles(fs, dir).isEmpty();
    }

    private static List<FileStatus> list(FileSystem fs, Path p) throws IOException {
        try {
            return List.of(fs.listStatus(p));
        } catch (FileNotFoundException e) {
            return List.of();
        }
    }
}
