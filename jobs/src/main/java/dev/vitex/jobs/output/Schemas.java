package dev.vitex.jobs.output;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The output tables' columns, exactly as design.md § Output names them (plus {@code completeness_gap},
 * an addition documented in the README), and the internal row type tasks produce.
 */
public final class Schemas {
    private Schemas() {}

    /** One unit of the grid: grid position, box in model-input pixels, box in the original image. */
    public static final StructType UNIT = new StructType(new StructField[] {
        field("row", DataTypes.IntegerType, false),
        field("col", DataTypes.IntegerType, false),
        field("y0", DataTypes.IntegerType, false),
        field("x0", DataTypes.IntegerType, false),
        field("y1", DataTypes.IntegerType, false),
        field("x1", DataTypes.IntegerType, false),
        field("oy0", DataTypes.FloatType, false),
        field("ox0", DataTypes.FloatType, false),
        field("oy1", DataTypes.FloatType, false),
        field("ox1", DataTypes.FloatType, false),
    });

    /** Columns before the per-unit part (shared by the wide and long layouts). */
    static final List<StructField> HEAD = List.of(
            field("run_id", DataTypes.StringType, false),
            field("image_id", DataTypes.StringType, false),
            field("source_path", DataTypes.StringType, true),
            field("image_sha256", DataTypes.StringType, false),
            field("image_width", DataTypes.IntegerType, false),
            field("image_height", DataTypes.IntegerType, false),
            field("model_name", DataTypes.StringType, false),
            field("model_sha256", DataTypes.StringType, false),
            field("method", DataTypes.StringType, false),
            field("params", DataTypes.StringType, false),
            field("granularity", DataTypes.StringType, false),
            field("grid_height", DataTypes.IntegerType, false),
            field("grid_width", DataTypes.IntegerType, false),
            field("patch_size", DataTypes.IntegerType, false),
            field("input_height", DataTypes.IntegerType, false),
            field("input_width", DataTypes.IntegerType, false),
            field("inference_mode", DataTypes.StringType, false),
            field("target", DataTypes.IntegerType, false),
            field("target_label", DataTypes.StringType, false),
            field("target_score", DataTypes.FloatType, false),
            field("predicted", DataTypes.IntegerType, false),
            field("predicted_label", DataTypes.StringType, false),
            field("predicted_score", DataTypes.FloatType, false));

    static final List<StructField> WIDE_UNITS = List.of(
            field("scores", DataTypes.createArrayType(DataTypes.FloatType, false), false),
            field("units", DataTypes.createArrayType(UNIT, false), false));

    static final List<StructField> TAIL = List.of(
            field("deletion_auc", DataTypes.DoubleType, true),
            field("insertion_auc", DataTypes.DoubleType, true),
            field("model_passes", DataTypes.LongType, false),
            field("elapsed_ms", DataTypes.DoubleType, false),
            field("completeness_gap", DataTypes.DoubleType, true));

    /** attributions/, wide layout (the default): one row per image × method × target. */
    public static final StructType WIDE = struct(HEAD, WIDE_UNITS, TAIL);

    /** Per-unit columns of the long layout, in place of {@code scores} and {@code units}. */
    static final List<StructField> LONG_UNITS = longUnits();

    /** attributions/, long layout: one row per image × method × target × unit. */
    public static final StructType LONG = struct(HEAD, LONG_UNITS, TAIL);

    /** The unit's index (row-major), its {@link #UNIT} fields as columns, its score. */
    private static List<StructField> longUnits() {
        List<StructField> fields = new ArrayList<>();
        fields.add(field("unit", DataTypes.IntegerType, false));
        fields.addAll(Arrays.asList(UNIT.fields()));
        fields.add(field("score", DataTypes.FloatType, false));
        return List.copyOf(fields);
    }

    /** errors/: one row per image that could not be (fully) explained, and why. */
    public static final StructType ERRORS = new StructType(new StructField[] {
        field("run_id", DataTypes.StringType, false),
        field("image_id", DataTypes.StringType, false),
        field("source_path", DataTypes.StringType, true),
        field("stage", DataTypes.StringType, false),
        field("method", DataTypes.StringType, true),
        field("error_class", DataTypes.StringType, false),
        field("message", DataTypes.StringType, false),
    });

    /** What tasks read: one row per image (or per non-image file when images.other_files = error). */
    public static final StructType INPUT = new StructType(new StructField[] {
        field("image_id", DataTypes.StringType, false),
        field("source_path", DataTypes.StringType, true),
        field("label", DataTypes.StringType, true),
        field("content", DataTypes.BinaryType, true),
        field("fetch", DataTypes.BooleanType, false),
        field("reject", DataTypes.StringType, true),
    });

    /** Row kinds of the task output. */
    public static final String ATTRIBUTION = "attribution";
    public static final String ERROR = "error";
    public static final String IMAGE = "image";

    /**
     * What {@link RowEncoder} produces in a task: the wide columns, then {@code kind} (attribution | error |
     * image), the error columns, and {@code status} of an image row (explained | failed | done). The task's
     * {@code TaskTables} turns these into the tables' file rows; they are never written as they are.
     */
    public static final StructType TASK_OUTPUT = taskOutput();

    private static StructType taskOutput() {
        List<StructField> fields = new ArrayList<>();
        for (StructField f : WIDE.fields()) {
            fields.add(field(f.name(), f.dataType(), true));
        }
        fields.add(field("kind", DataTypes.StringType, false));
        fields.add(field("stage", DataTypes.StringType, true));
        fields.add(field("error_class", DataTypes.StringType, true));
        fields.add(field("message", DataTypes.StringType, true));
        fields.add(field("status", DataTypes.StringType, true));
        return new StructType(fields.toArray(StructField[]::new));
    }

    /**
     * A table's schema as its Parquet files hold it: {@code table} without its partition column
     * {@code method} (attributions only; it is the folder {@code method=<name>}), every field nullable
     * except the long layout's {@code unit}: as the files were when Spark split the task output read back
     * from Parquet (which makes every column nullable) and {@code posexplode} made {@code unit}. design.md's
     * nullability is what vitex guarantees of the values.
     */
    public static StructType fileSchema(StructType table) {
        List<StructField> fields = new ArrayList<>();
        boolean partitioned = table != ERRORS;
        for (StructField f : table.fields()) {
            if (!(partitioned && f.name().equals("method"))) {
                fields.add(field(f.name(), nullable(f.dataType()), table != LONG || !f.name().equals("unit")));
            }
        }
        return new StructType(fields.toArray(StructField[]::new));
    }

    private static DataType nullable(DataType type) {
        if (type instanceof StructType st) {
            List<StructField> fields = new ArrayList<>();
            for (StructField f : st.fields()) {
                fields.add(field(f.name(), nullable(f.dataType()), true));
            }
            return new StructType(fields.toArray(StructField[]::new));
        }
        if (type instanceof ArrayType at) {
            return DataTypes.createArrayType(nullable(at.elementType()), true);
        }
        return type;
    }

    public static int index(String column) {
        return TASK_OUTPUT.fieldIndex(column);
    }

    @SafeVarargs
    private static StructType struct(List<StructField>... parts) {
        List<StructField> all = new ArrayList<>();
        for (List<StructField> p : parts) {
            all.addAll(p);
        }
        return new StructType(all.toArray(StructField[]::new));
    }

    private static StructField field(String name, DataType type, boolean nullable) {
        return DataTypes.createStructField(name, type, nullable);
    }
}
