package dev.vitex.jobs.output;

import dev.vitex.jobs.config.JobConfig;
import java.util.function.Consumer;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * A task's output row ({@link Schemas#TASK_OUTPUT}) as rows of the table files ({@link TableFiles}): an
 * attribution row as one wide row, or in the long layout as one row per unit (what
 * {@code posexplode(arrays_zip(units, scores))} gave when Spark split the task output); an error row as
 * an {@code errors/} row. Each output row is reused for the next one: a Parquet writer consumes a row
 * before it takes the next. One per task.
 */
final class TableRows {
    /** What a task-output row is. */
    enum Kind { ATTRIBUTION, ERROR, OTHER }

    private static final int KIND = Schemas.index("kind");
    private static final int METHOD = Schemas.index("method");
    private static final int SCORES = Schemas.index("scores");
    private static final int UNITS = Schemas.index("units");
    private static final UTF8String ATTRIBUTION = UTF8String.fromString(Schemas.ATTRIBUTION);
    private static final UTF8String ERROR = UTF8String.fromString(Schemas.ERROR);
    /** Codes of the long layout's per-unit columns (task-output columns have their index, ≥ 0). */
    private static final int UNIT_INDEX = -1;
    private static final int SCORE = -2;
    private static final int UNIT_FIELD = -100;

    private final boolean longLayout;
    private final int[] attributionSource;
    private final DataType[] attributionTypes;
    private final Object[] attribution;
    private final int[] errorSource;
    private final DataType[] errorTypes;
    private final Object[] error;

    TableRows(TableFiles tables) {
        this.longLayout = tables.layout() == JobConfig.Layout.LONG;
        StructType a = tables.attributionSchema();
        this.attributionSource = sources(a, longLayout);
        this.attributionTypes = types(a);
        this.attribution = new Object[a.size()];
        StructType e = tables.errorSchema();
        this.errorSource = sources(e, false);
        this.errorTypes = types(e);
        this.error = new Object[e.size()];
    }

    static Kind kind(InternalRow r) {
        UTF8String k = r.getUTF8String(KIND);
        return ATTRIBUTION.equals(k) ? Kind.ATTRIBUTION : ERROR.equals(k) ? Kind.ERROR : Kind.OTHER;
    }

    /** The method of an attribution row (its partition folder). */
    static String method(InternalRow r) {
        return r.getUTF8String(METHOD).toString();
    }

    /** The attribution row's file rows: one (wide), or one per unit (long). */
    void attributions(InternalRow r, Consumer<InternalRow> out) {
        if (!longLayout) {
            copy(r, attributionSource, attributionTypes, attribution);
            out.accept(new GenericInternalRow(attribution));
            return;
        }
        ArrayData scores = r.getArray(SCORES);
        ArrayData units = r.getArray(UNITS);
        int n = scores.numElements();
        int unitFields = Schemas.UNIT.size();
        copy(r, attributionSource, attributionTypes, attribution); // the per-unit columns are set below
        GenericInternalRow row = new GenericInternalRow(attribution);
        for (int k = 0; k < n; k++) {
            InternalRow unit = units.getStruct(k, unitFields);
            for (int j = 0; j < attributionSource.length; j++) {
                int src = attributionSource[j];
                if (src == UNIT_INDEX) {
                    attribution[j] = k;
                } else if (src == SCORE) {
                    attribution[j] = scores.getFloat(k);
                } else if (src <= UNIT_FIELD) {
                    attribution[j] = unit.get(UNIT_FIELD - src, attributionTypes[j]);
                }
            }
            out.accept(row);
        }
    }

    /** The error row's file row. */
    InternalRow error(InternalRow r) {
        copy(r, errorSource, errorTypes, error);
        return new GenericInternalRow(error);
    }

    private static void copy(InternalRow r, int[] source, DataType[] types, Object[] into) {
        for (int j = 0; j < source.length; j++) {
            if (source[j] >= 0) {
                into[j] = r.isNullAt(source[j]) ? null : r.get(source[j], types[j]);
            }
        }
    }

    /** Where each file column comes from: a task-output column, or (long layout) the unit's index, field or score. */
    private static int[] sources(StructType file, boolean longLayout) {
        int[] src = new int[file.size()];
        for (int j = 0; j < src.length; j++) {
            String name = file.fields()[j].name();
            if (longLayout && name.equals("unit")) {
                src[j] = UNIT_INDEX;
            } else if (longLayout && name.equals("score")) {
                src[j] = SCORE;
            } else if (longLayout && Schemas.UNIT.getFieldIndex(name).isDefined()) {
                src[j] = UNIT_FIELD - Schemas.UNIT.fieldIndex(name);
            } else {
                src[j] = Schemas.index(name);
            }
        }
        return src;
    }

    private static DataType[] types(StructType schema) {
        DataType[] t = new DataType[schema.size()];
        StructField[] f = schema.fields();
        for (int j = 0; j < t.length; j++) {
            t[j] = f[j].dataType();
        }
        return t;
    }
}
