package dev.vitex.jobs.output;

import dev.vitex.core.grid.Granularity;
import dev.vitex.core.grid.Unit;
import dev.vitex.core.grid.UnitGrid;
import dev.vitex.core.image.ImageGeometry;
import dev.vitex.core.method.Attribution;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code units} column of attribution rows ({@link Schemas#UNIT} structs), already in Spark's
 * binary (unsafe) form, one per image geometry × grid: consecutive images of one size share it, and
 * Spark copies it into each output row as bytes instead of converting 64 (PATCH) or 50,176 (PIXEL at
 * 224 px, ~4.8 MB) structs per row. A small least-recently-used cache, bounded in bytes, per task.
 */
final class UnitArrays {
    /** At least the last array is kept; beyond this, the least recently used are dropped. */
    static final long BUDGET_BYTES = 32L << 20;
    private static final StructType HOLDER = new StructType(new StructField[] {
        DataTypes.createStructField("units", DataTypes.createArrayType(Schemas.UNIT, false), false)});

    private record Key(ImageGeometry geometry, Granularity granularity, int cellSize, int rows, int cols) {}

    private final int inputHeight;
    private final int inputWidth;
    private final Map<Key, UnsafeArrayData> cache = new LinkedHashMap<>(16, 0.75f, true);
    private final UnsafeProjection toUnsafe = UnsafeProjection.create(HOLDER);
    private long bytes;
    private long built;

    UnitArrays(int inputHeight, int inputWidth) {
        this.inputHeight = inputHeight;
        this.inputWidth = inputWidth;
    }

    /** The units of {@code a}'s grid over an image of {@code geometry}. */
    UnsafeArrayData of(Attribution a, ImageGeometry geometry) {
        Key key = new Key(geometry, a.granularity(), a.cellSize(), a.gridHeight(), a.gridWidth());
        UnsafeArrayData units = cache.get(key);
        if (units == null) {
            units = build(a, geometry);
            cache.put(key, units);
            bytes += units.getSizeInBytes();
            built++;
            evictBeyondBudget();
        }
        return units;
    }

    /** Arrays built so far (tests: consecutive images of one size share one). */
    long built() {
        return built;
    }

    private void evictBeyondBudget() {
        Iterator<UnsafeArrayData> eldest = cache.values().iterator();
        while (bytes > BUDGET_BYTES && cache.size() > 1) {
            bytes -= eldest.next().getSizeInBytes();
            eldest.remove();
        }
    }

    private UnsafeArrayData build(Attribution a, ImageGeometry geometry) {
        UnitGrid grid = new UnitGrid(a.granularity(), a.cellSize(), inputHeight, inputWidth);
        if (grid.rows() != a.gridHeight() || grid.cols() != a.gridWidth()) {
            throw new IllegalStateException(a.method() + ": a " + a.gridHeight() + "×" + a.gridWidth() + " grid does not tile "
                    + inputHeight + "×" + inputWidth + " with cells of " + a.cellSize());
        }
        List<Unit> units = grid.units(geometry);
        Object[] structs = new Object[units.size()];
        for (int i = 0; i < structs.length; i++) {
            Unit u = units.get(i);
            structs[i] = new GenericInternalRow(new Object[] {u.row(), u.col(), u.y0(), u.x0(), u.y1(), u.x1(),
                u.oy0(), u.ox0(), u.oy1(), u.ox1()});
        }
        InternalRow holder = new GenericInternalRow(new Object[] {new GenericArrayData(structs)});
        return (UnsafeArrayData) toUnsafe.apply(holder).getArray(0).copy(); // copy: the projection reuses its buffer
    }
}
