package dev.vitex.jobs.output;

import dev.vitex.jobs.output.TableFiles.Table;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.datasources.OutputWriter;

/**
 * The end of a task: its output rows written straight into the table files of its wave
 * ({@code <wave>/_attempts/attributions/method=<m>/…}, {@code …/errors/…}: one file per table part, named
 * after the partition and the attempt, so attempts never share a file), and one {@link TaskFiles} returned
 * to the driver, which moves the successful attempts' files into the wave ({@link WaveCommitter}).
 * Image status rows are not written (the run's counts come from {@code RunStats}).
 */
public final class TaskTables implements FlatMapFunction<Iterator<InternalRow>, TaskFiles> {
    private static final long serialVersionUID = 1L;
    /** The folder under a wave where task attempts write. */
    public static final String ATTEMPTS = "_attempts";

    private final Broadcast<TableFiles> tables;
    private final String attempts;
    private final String tag;

    /**
     * @param attempts the wave's attempt folder (a path or URI string)
     * @param tag unique to the wave (in every file name, so files of different waves and runs never clash)
     */
    public TaskTables(Broadcast<TableFiles> tables, String attempts, String tag) {
        this.tables = tables;
        this.attempts = attempts;
        this.tag = tag;
    }

    @Override
    public Iterator<TaskFiles> call(Iterator<InternalRow> rows) {
        TableFiles t = tables.value();
        TaskContext task = TaskContext.get();
        int partition = task == null ? 0 : task.partitionId();
        int attempt = task == null ? 0 : task.attemptNumber();
        String fileTag = tag + "-a" + attempt;
        TableRows mapper = new TableRows(t);
        Map<String, OutputWriter> open = new LinkedHashMap<>(); // relative folder → its file
        long attributions = 0;
        long errors = 0;
        boolean done = false;
        try {
            while (rows.hasNext()) {
                InternalRow r = rows.next();
                switch (TableRows.kind(r)) {
                    case ATTRIBUTION -> {
                        OutputWriter w = writer(open, t, Table.ATTRIBUTIONS,
                                Table.ATTRIBUTIONS.folder() + "/method=" + TableRows.method(r), partition, attempt, fileTag);
                        mapper.attributions(r, w::write);
                        attributions++;
                    }
                    case ERROR -> {
                        writer(open, t, Table.ERRORS, Table.ERRORS.folder(), partition, attempt, fileTag).write(mapper.error(r));
                        errors++;
                    }
                    default -> { }
                }
            }
            List<String> files = new ArrayList<>();
            for (Map.Entry<String, OutputWriter> e : open.entrySet()) {
                e.getValue().close();
                String path = e.getValue().path();
                files.add(e.getKey() + path.substring(path.lastIndexOf('/'))); // relative to the attempt folder
            }
            done = true;
            return Collections.singletonList(new TaskFiles(partition, files, attributions, errors)).iterator();
        } finally {
            if (!done) { // the attempt failed: its files are left in _attempts, which the wave's commit removes
                for (OutputWriter w : open.values()) {
                    try {
                        w.close();
                    } catch (RuntimeException ignored) {
                        // the task's own failure is what Spark reports
                    }
                }
            }
        }
    }

    private OutputWriter writer(Map<String, OutputWriter> open, TableFiles t, Table table, String folder, int partition,
                                int attempt, String fileTag) {
        return open.computeIfAbsent(folder, f -> t.open(table, attempts + "/" + f, partition, attempt, fileTag));
    }
}
