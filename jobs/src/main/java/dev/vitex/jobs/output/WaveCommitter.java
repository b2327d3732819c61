package dev.vitex.jobs.output;

import static org.apache.spark.sql.functions.col;

import dev.vitex.jobs.config.JobConfig;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Commits one wave of task output into {@code attributions/} and {@code errors/}, computing it once.
 *
 * <ol>
 *   <li>The wave's task output (every row kind) is written to {@code _vitex_waves/<wave>/task/}: the one
 *       Spark job that runs the model, committed by Spark's file commit protocol (a lost executor's
 *       tasks are recomputed and committed once).</li>
 *   <li>That Parquet is read back and split into {@code _vitex_waves/<wave>/attributions/} and
 *       {@code errors/} (two jobs that only read Parquet), then marker {@code _READY}.</li>
 *   <li>The split files are renamed into the tables; the wave folder is removed.</li>
 * </ol>
 * Steps 2 and 3 ({@link #commit(Staged)}) may run on another thread while the next wave's step 1 runs
 * ({@code driver.Waves}); waves are still committed one at a time, in order.
 * A kill before {@code _READY} leaves the tables as they were (the wave folder is removed by the next
 * run); a kill during the renames is finished by the next run ({@link #recover}): each file is either
 * still in the wave folder or already in its table, never in both.
 */
public final class WaveCommitter {
    public static final String WAVES = "_vitex_waves";
    private static final String READY = "_READY";
    private static final String POOL_PROPERTY = "spark.scheduler.pool";

    private final SparkSession spark;
    private final FileSystem fs;
    private final Path root;
    private final JobConfig.Layout layout;

    /** Commits into {@code root}'s {@code attributions/} and {@code errors/}. */
    public WaveCommitter(SparkSession spark, FileSystem fs, Path root, JobConfig.Layout layout) {
        this.spark = spark;
        this.fs = fs;
        this.root = root;
        this.layout = layout;
    }

    /** What one wave committed: attribution rows (one per image × method × target) and error rows. */
    public record Committed(long attributionRows, long errorRows) {}

    /** A wave whose task output is written (the model has run on it), not yet in the tables. */
    public record Staged(String waveName, Path wave) {}

    /**
     * The Spark scheduler pool of the commit's jobs. Under FAIR scheduling (the job's default) they take
     * the next free task slot ahead of the next wave's model tasks, so a wave's commit overlaps the next
     * wave's compute instead of waiting for it to drain.
     */
    public static final String COMMIT_POOL = "vitex-commit";

    /** Runs the model on the wave: its task output is written once, through Spark's commit protocol. */
    public Staged stage(Dataset<Row> taskOutput, String waveName) throws IOException {
        Path wave = new Path(new Path(root, WAVES), waveName);
        fs.delete(wave, true);
        taskOutput.write().mode(SaveMode.Overwrite).parquet(new Path(wave, "task").toString());
        return new Staged(waveName, wave);
    }

    /** Splits a staged wave into both tables (jobs that only read Parquet) and renames them in; the rows committed. */
    public Committed commit(Staged staged) throws IOException {
        String pool = spark.sparkContext().getLocalProperty(POOL_PROPERTY);
        spark.sparkContext().setLocalProperty(POOL_PROPERTY, COMMIT_POOL);
        try {
            return split(staged.wave());
        } finally {
            spark.sparkContext().setLocalProperty(POOL_PROPERTY, pool);
        }
    }

    private Committed split(Path wave) throws IOException {
        Path task = new Path(wave, "task");
        Dataset<Row> staged = spark.read().schema(Schemas.TASK_OUTPUT).parquet(task.toString());
        Dataset<Row> attributions = staged.filter(col("kind").equalTo(Schemas.ATTRIBUTION)).select(columns(Schemas.WIDE));
        if (layout == JobConfig.Layout.LONG) {
            attributions = AttributionSink.toLong(attributions);
        }
        attributions.write().mode(SaveMode.Overwrite).partitionBy("method")
                .parquet(new Path(wave, OutputFolder.ATTRIBUTIONS).toString());
        staged.filter(col("kind").equalTo(Schemas.ERROR)).select(columns(Schemas.ERRORS))
                .write().mode(SaveMode.Overwrite).parquet(new Path(wave, OutputFolder.ERRORS).toString());
        try (OutputStream o = fs.create(new Path(wave, READY), true)) {
            o.write('x');
        }
        long a = 0;
        long e = 0;
        for (Row r : staged.groupBy("kind").count().collectAsList()) { // one small job: a count per row kind
            a += Schemas.ATTRIBUTION.equals(r.getString(0)) ? r.getLong(1) : 0;
            e += Schemas.ERROR.equals(r.getString(0)) ? r.getLong(1) : 0;
        }
        publish(wave);
        return new Committed(a, e);
    }

    /** Finishes the renames of waves that were ready when a run was killed, removes the others. */
    public static void recover(FileSystem fs, Path root, Consumer<String> log) throws IOException {
        Path area = new Path(root, WAVES);
        for (FileStatus st : list(fs, area)) {
            if (st.getPath().getName().startsWith("task-")) {
                fs.delete(st.getPath(), true); // a killed run's kept task output: its rows are in the tables
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

    private void publish(Path wave) throws IOException {
        publishFiles(fs, wave, root);
        // the wave's task output is kept for the end of the run (report, samples) in the run's folder
        Path kept = new Path(runOutputDir(wave.getName().substring(0, wave.getName().lastIndexOf("-w"))), wave.getName());
        fs.mkdirs(kept.getParent());
        fs.rename(new Path(wave, "task"), kept);
        fs.delete(wave, true);
    }

    private Path runOutputDir(String runId) {
        return new Path(new Path(root, WAVES), "task-" + runId);
    }

    /** The task output of every wave of run {@code runId} committed so far (read from Parquet). */
    public Dataset<Row> runOutput(String runId) throws IOException {
        Path dir = runOutputDir(runId);
        fs.mkdirs(dir);
        return spark.read().schema(Schemas.TASK_OUTPUT).option("recursiveFileLookup", "true").parquet(dir.toString());
    }

    /** Removes the kept task output of run {@code runId} (and the waves folder when it is empty). */
    public void dropRunOutput(String runId) {
        try {
            fs.delete(runOutputDir(runId), true);
            Path area = new Path(root, WAVES);
            if (list(fs, area).isEmpty()) {
                fs.delete(area, true);
            }
        } catch (IOException e) {
            // left for the next run's recovery
        }
    }

    /** Renames every Parquet file of the wave's split tables into the same relative place under {@code root}. */
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

    private static List<FileStatus> list(FileSystem fs, Path p) throws IOException {
        try {
            return List.of(fs.listStatus(p));
        } catch (FileNotFoundException e) {
            return List.of();
        }
    }

    private static Column[] columns(StructType schema) {
        List<Column> cols = new ArrayList<>();
        for (StructField f : schema.fields()) {
            cols.add(col(f.name()));
        }
        return cols.toArray(Column[]::new);
    }
}
