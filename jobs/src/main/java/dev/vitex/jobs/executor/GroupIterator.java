package dev.vitex.jobs.executor;

import dev.vitex.core.pipeline.BatchBudget;
import dev.vitex.core.pipeline.GroupExplainer;
import dev.vitex.core.pipeline.GroupResult;
import dev.vitex.core.pipeline.ImageInput;
import dev.vitex.core.pipeline.ImageOutcome;
import dev.vitex.core.pipeline.ImageOutcome.Explained;
import dev.vitex.core.pipeline.ImageOutcome.Failed;
import dev.vitex.core.pipeline.ImageOutcome.Finished;
import dev.vitex.jobs.driver.RunStats;
import dev.vitex.jobs.output.RowEncoder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Function;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.util.LongAccumulator;

/**
 * Pulls {@code size} input rows at a time, explains them, and hands out their rows; counts the
 * outcomes for {@link RunStats} and records them when the partition is complete.
 */
final class GroupIterator implements Iterator<InternalRow> {
    private final Iterator<Row> input;
    private final int size;
    private final Function<Row, ImageInput> reader;
    private final GroupExplainer explainer;
    private final RowEncoder encoder;
    private final LongAccumulator imagesDone;
    private final RunStats stats;
    private final int partition;
    private final Map<String, Double> tally = new HashMap<>();
    private final long startedEpochMs = System.currentTimeMillis();
    private Iterator<InternalRow> current = Collections.emptyIterator();
    private boolean recorded;

    GroupIterator(Iterator<Row> input, int size, Function<Row, ImageInput> reader, GroupExplainer explainer,
                  RowEncoder encoder, LongAccumulator imagesDone, RunStats stats, int partition) {
        this.input = input;
        this.size = size;
        this.reader = reader;
        this.explainer = explainer;
        this.encoder = encoder;
        this.imagesDone = imagesDone;
        this.stats = stats;
        this.partition = partition;
    }

    @Override
    public boolean hasNext() {
        while (!current.hasNext() && input.hasNext()) {
            List<ImageInput> group = new ArrayList<>(size);
            List<String> paths = new ArrayList<>(size);
            while (group.size() < size && input.hasNext()) {
                Row r = input.next();
                paths.add(r.getAs("source_path"));
                group.add(reader.apply(r));
            }
            GroupResult result = explainer.explain(group);
            count(result);
            current = encoder.encode(result.outcomes(), paths).iterator();
            imagesDone.add(group.size());
        }
        if (!current.hasNext() && !recorded) {
            recorded = true;
            BatchBudget.Usage batches = explainer.batchUsage(); // this task's model batch size, after any back-off
            tally.put("engine_batch:" + batches.usedMin(), 1.0);
            tally.put("oom_retries", (double) batches.oomRetries());
            // wall clock, for the run's task span (start-up before the first task, steady-state rate)
            tally.put(RunStats.TASK_START_MS, (double) startedEpochMs);
            tally.put(RunStats.TASK_END_MS, (double) System.currentTimeMillis());
            stats.add(new RunStats.Tally(partition, tally));
        }
        return current.hasNext();
    }

    private void count(GroupResult result) {
        for (ImageOutcome o : result.outcomes()) {
            if (o instanceof Explained e) {
                tally.merge("rows:" + e.attribution().method(), 1.0, Double::sum);
                tally.merge("ms:" + e.attribution().method(), e.elapsedMs(), Double::sum);
            } else if (o instanceof Failed f) {
                tally.merge("errors:" + f.stage(), 1.0, Double::sum);
                if (f.method() != null) {
                    tally.merge("method_errors:" + f.method(), 1.0, Double::sum);
                }
            } else {
                tally.merge("images:" + ((Finished) o).status().text(), 1.0, Double::sum);
            }
        }
        if (!result.metricMs().isEmpty()) {
            tally.merge("metric_passes", (double) result.metricPasses(), Double::sum);
            result.metricMs().forEach((m, ms) -> tally.merge("metric_ms:" + m, ms, Double::sum));
        }
    }

    @Override
    public InternalRow next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return current.next();
    }
}
