package dev.vitex.jobs.executor;

import dev.vitex.jobs.output.DoneWork;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Row;

/**
 * Resume: the keys of rows already written arrive with each input row (column
 * {@link DoneWork#COLUMN}, joined in Spark); this iterator adds them to the task's set as the rows are
 * read, before their group is explained, so the set holds only the task's own images.
 */
final class DoneKeys implements Iterator<Row> {
    private final Iterator<Row> rows;
    private final Set<String> into;

    private DoneKeys(Iterator<Row> rows, Set<String> into) {
        this.rows = rows;
        this.into = into;
    }

    /** {@code rows}, unchanged; their done keys go into {@code into} (as {@link PartitionRunner#doneKey}). */
    static Iterator<Row> collecting(Iterator<Row> rows, Set<String> into) {
        return new DoneKeys(rows, into);
    }

    @Override
    public boolean hasNext() {
        return rows.hasNext();
    }

    @Override
    public Row next() {
        Row r = rows.next();
        int i = r.schema() == null ? -1 : Arrays.asList(r.schema().fieldNames()).indexOf(DoneWork.COLUMN);
        if (i >= 0 && !r.isNullAt(i)) {
            String id = r.getAs("image_id");
            List<String> keys = r.getList(i);
            for (String k : keys) {
                int bar = k.lastIndexOf('|');
                into.add(PartitionRunner.doneKey(id, k.substring(0, bar), Integer.parseInt(k.substring(bar + 1))));
            }
        }
        return r;
    }
}
