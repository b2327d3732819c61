package dev.vitex.jobs.input;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import dev.vitex.jobs.config.ConfigException;
import dev.vitex.jobs.config.JobConfig;
import dev.vitex.jobs.output.Schemas;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The images of a run, as rows of {@link Schemas#INPUT}.
 *
 * <p><b>Image folders and globs</b> are listed once, by the driver ({@link #plan}), recursively, keeping
 * the files with an image extension (case-insensitive); that list becomes the run's input rows
 * (a local relation: no second listing by Spark's {@code binaryFile} source, which on a local file
 * system forks a process per file for its permissions, and no scan tasks per wave). Only paths go
 * through Spark; each task reads its files' bytes itself, so an unreadable or oversized file becomes
 * an error row (stage read) instead of failing the task. {@code image_id} is the path relative to the input root
 * (the folder, or the part of a glob before its first wildcard), e.g. {@code square/img_00.png}; the
 * label is the file's parent folder name. Files with other extensions are skipped and counted (or,
 * with {@code images.other_files = error}, become error rows); hidden files and folders (names
 * starting with {@code .} or {@code _}) are ignored as Spark ignores them.
 *
 * <p><b>Parquet datasets</b> give the id, the encoded bytes (binary, or a struct with a binary
 * {@code bytes} field as Hugging Face datasets store images) and optionally a label. Null, empty or
 * duplicate ids refuse the run ({@link #checkIds}); a null bytes cell is an error row (stage read),
 * and so is a cell above {@code decode.max_file_bytes} (its bytes are dropped before any shuffle).
 *
 * <p>The driver lists the input before Spark starts ({@link #plan}), so an empty or missing input is
 * a configuration error and the progress log knows the total.
 */
public final class ImageSource {

    /**
     * What the driver found; {@code skipped} counts files not read as images, by extension; {@code files}
     * are the qualified paths of the files that become input rows (the images, and with {@code
     * images.other_files = error} the other files too; empty for Parquet).
     */
    public record Plan(JobConfig.InputFormat format, String input, String root, boolean glob, long images,
                       long bytes, Map<String, Long> skipped, List<String> skippedExamples, List<String> files) {
        public long skippedTotal() {
            return skipped.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private ImageSource() {}

    /** Lists the input on the driver (no Spark). */
    public static Plan plan(JobConfig config, Configuration hadoop) {
        String input = config.input;
        if (input.isEmpty()) {
            throw new ConfigException("no input: give --input PATH (a folder or glob of images, or a Parquet dataset)");
        }
        Path path = new Path(input);
        FileSystem fs;
        try {
            fs = path.getFileSystem(hadoop);
        } catch (IOException e) {
            throw new ConfigException("--input " + input + ": cannot open its file system: " + JobConfig.oneLine(e.getMessage()), e);
        }
        boolean glob = hasGlob(input);
        try {
            FileStatus[] tops;
            Path root;
            if (glob) {
                tops = fs.globStatus(path);
                root = fs.makeQualified(globRoot(path));
                if (tops == null || tops.length == 0) {
                    throw new ConfigException("--input " + input + ": the glob matches nothing");
                }
            } else {
                FileStatus st;
                try {
                    st = fs.getFileStatus(path);
                } catch (FileNotFoundException e) {
                    throw new ConfigException("--input " + input + ": no such file or folder");
                }
                tops = new FileStatus[] {st};
                root = st.isDirectory() ? st.getPath() : st.getPath().getParent();
            }
            JobConfig.InputFormat format = config.inputFormat;
            Pattern images = extensionPattern(config.imageExtensions);
            long imageCount = 0;
            long bytes = 0;
            long parquetFiles = 0;
            Map<String, Long> skipped = new TreeMap<>();
            List<String> examples = new ArrayList<>();
            List<String> files = new ArrayList<>();
            Deque<FileStatus> todo = new ArrayDeque<>(List.of(tops));
            while (!todo.isEmpty()) {
                FileStatus st = todo.pop();
                String name = st.getPath().getName();
                boolean top = !glob && st.getPath().equals(tops[0].getPath());
                if (!top && hidden(name)) {
                    continue;
                }
                if (st.isDirectory()) {
                    RemoteIterator<FileStatus> it = fs.listStatusIterator(st.getPath());
                    while (it.hasNext()) {
                        todo.push(it.next());
                    }
                    continue;
                }
                if (name.toLowerCase(Locale.ROOT).endsWith(".parquet")) {
                    parquetFiles++;
                }
                boolean image = images.matcher(name).matches();
                if (image || config.otherFiles == JobConfig.OtherFiles.ERROR) {
                    files.add(fs.makeQualified(st.getPath()).toString()); // as binaryFile's path column spelled it
                }
                if (image) {
                    imageCount++;
                    bytes += st.getLen();
                } else {
                    skipped.merge(extension(name), 1L, Long::sum);
                    if (examples.size() < 5) {
                        examples.add(relative(root.toString(), st.getPath().toString()));
                    }
                }
            }
            if (format == JobConfig.InputFormat.AUTO) {
                boolean parquetName = input.toLowerCase(Locale.ROOT).replaceAll("/+$", "").endsWith(".parquet");
                format = parquetName || (imageCount == 0 && parquetFiles > 0)
                        ? JobConfig.InputFormat.PARQUET : JobConfig.InputFormat.IMAGES;
            }
            if (format == JobConfig.InputFormat.PARQUET) {
                if (glob) {
                    throw new ConfigException("--input " + input + ": a Parquet input must be a file or folder, not a glob");
                }
                if (parquetFiles == 0) {
                    throw new ConfigException("--input " + input + ": no .parquet files found (input_format = parquet)");
                }
                return new Plan(format, input, fs.makeQualified(root).toString(), false, -1, 0, Map.of(), List.of(), List.of());
            }
            if (imageCount == 0 && (config.otherFiles == JobConfig.OtherFiles.SKIP || skipped.isEmpty())) {
                throw new ConfigException("--input " + input + ": no image files (" + String.join(", ", config.imageExtensions)
                        + ") found" + (skipped.isEmpty() ? "" : "; " + describeSkipped(skipped) + " skipped"));
            }
            String qualifiedRoot = fs.makeQualified(root).toString();
            return new Plan(format, input, qualifiedRoot, glob, imageCount, bytes, skipped, examples, files);
        } catch (IOException e) {
            throw new ConfigException("--input " + input + ": cannot list it: " + JobConfig.oneLine(e.getMessage()), e);
        }
    }

    /** "3 .csv, 1 .md" */
    public static String describeSkipped(Map<String, Long> skipped) {
        return skipped.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "));
    }

    /** The rows tasks explain. */
    public static Dataset<Row> load(SparkSession spark, JobConfig config, Plan plan) {
        return plan.format() == JobConfig.InputFormat.PARQUET ? parquet(spark, config, plan) : files(spark, config, plan);
    }

    /** The driver's listing as a local relation (resume's joins and the report read it; the waves use {@link #fileRows}). */
    private static Dataset<Row> files(SparkSession spark, JobConfig config, Plan plan) {
        return spark.createDataFrame(fileRows(config, plan), Schemas.INPUT);
    }

    /**
     * The driver's listing of an image folder or glob as input rows of {@link Schemas#INPUT}, with their
     * schema (tasks read fields by name), in listing order: no file source scanned, and stat-ed, by Spark.
     */
    public static List<Row> fileRows(JobConfig config, Plan plan) {
        if (plan.format() != JobConfig.InputFormat.IMAGES) {
            throw new IllegalArgumentException("not an image folder: " + plan.input());
        }
        Pattern images = extensionPattern(config.imageExtensions);
        String allowed = String.join(", ", config.imageExtensions);
        List<Row> rows = new ArrayList<>(plan.files().size());
        for (String path : plan.files()) {
            String relative = relative(plan.root(), path);
            String name = new Path(path).getName();
            String reject = images.matcher(name).matches() ? null
                    : "not an image file (extension " + extension(name) + "; images.extensions = " + allowed + ")";
            rows.add(new GenericRowWithSchema(new Object[] {relative, path, parentName(relative), null, true, reject},
                    Schemas.INPUT));
        }
        return rows;
    }

    private static Dataset<Row> parquet(SparkSession spark, JobConfig config, Plan plan) {
        Dataset<Row> df = spark.read().parquet(plan.input());
        StructType schema = df.schema();
        if (!has(schema, config.idColumn)) {
            throw new ConfigException("Parquet input " + plan.input() + " has no id column \"" + config.idColumn
                    + "\" (option parquet.id_column; columns: " + String.join(", ", schema.fieldNames()) + ")");
        }
        if (!has(schema, config.bytesColumn)) {
            throw new ConfigException("Parquet input " + plan.input() + " has no image-bytes column \"" + config.bytesColumn
                    + "\" (option parquet.bytes_column; columns: " + String.join(", ", schema.fieldNames()) + ")");
        }
        StructField bytesField = schema.apply(config.bytesColumn);
        Column content;
        if (bytesField.dataType() instanceof BinaryType) {
            content = col(config.bytesColumn);
        } else if (bytesField.dataType() instanceof StructType st && has(st, "bytes")
                && st.apply("bytes").dataType() instanceof BinaryType) {
            content = col(config.bytesColumn).getField("bytes");
        } else {
            throw new ConfigException("Parquet column \"" + config.bytesColumn + "\" must be binary (or a struct with a binary "
                    + "field bytes), got " + bytesField.dataType().simpleString());
        }
        Column label = has(schema, config.labelColumn) ? col(config.labelColumn).cast(DataTypes.StringType)
                : lit(null).cast(DataTypes.StringType);
        checkIds(df, config.idColumn, plan.input());
        // the byte cap is checked by Spark on the cell's length: an oversized cell never reaches a task
        Column tooBig = length(content).gt(config.maxFileBytes);
        Column reject = when(tooBig, concat(lit("image bytes of "), length(content).cast(DataTypes.StringType),
                lit(" bytes, above decode.max_file_bytes = " + config.maxFileBytes))).otherwise(lit(null).cast(DataTypes.StringType));
        return df.select(
                col(config.idColumn).cast(DataTypes.StringType).as("image_id"),
                input_file_name().as("source_path"),
                label.as("label"),
                when(tooBig, lit(null).cast(DataTypes.BinaryType)).otherwise(content).as("content"),
                lit(false).as("fetch"),
                reject.as("reject"));
    }

    /**
     * Null, empty and duplicate ids are refused (one line, with counts and examples) before any image
     * is explained: every output row is keyed by image_id, so such rows could not be told apart,
     * resumed or joined back. Reads only the id column.
     */
    static void checkIds(Dataset<Row> df, String idColumn, String input) {
        Column id = col(idColumn).cast(DataTypes.StringType);
        Row blank = df.select(sum(when(id.isNull().or(trim(id).equalTo("")), 1).otherwise(0))).first();
        long blanks = blank.isNullAt(0) ? 0 : blank.getLong(0);
        List<Row> dups = df.groupBy(id.as("id")).count().filter(col("count").gt(1).and(col("id").isNotNull()))
                .orderBy(col("count").desc()).limit(3).collectAsList();
        if (blanks == 0 && dups.isEmpty()) {
            return;
        }
        List<String> problems = new ArrayList<>();
        if (blanks > 0) {
            problems.add(blanks + " null or empty id(s)");
        }
        if (!dups.isEmpty()) {
            problems.add("duplicate ids, e.g. " + dups.stream().map(r -> "\"" + r.getString(0) + "\" ×" + r.getLong(1))
                    .collect(Collectors.joining(", ")));
        }
        throw new ConfigException("Parquet input " + input + ": " + String.join("; ", problems) + " in column \"" + idColumn
                + "\" (option parquet.id_column): every image needs its own non-empty id; fix the dataset or choose another column");
    }

    /**
     * The input spread over {@code partitions} tasks. Image folders shuffle paths only (tasks read the
     * bytes). Parquet rows carry their bytes, so they are not shuffled when the file splits already give
     * enough tasks (merged without a shuffle); only a dataset with fewer splits than tasks is shuffled.
     */
    public static Dataset<Row> distribute(Dataset<Row> input, int partitions, Plan plan) {
        if (plan.format() == JobConfig.InputFormat.PARQUET && input.rdd().getNumPartitions() >= partitions) {
            return input.coalesce(partitions);
        }
        return input.repartition(partitions);
    }

    private static boolean has(StructType schema, String name) {
        for (String f : schema.fieldNames()) {
            if (f.equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** A case-insensitive Hadoop glob for the extensions: *.{[pP][nN][gG],...}. */
    public static String globFilter(List<String> extensions) {
        return "*.{" + extensions.stream().map(e -> {
            StringBuilder b = new StringBuilder();
            for (char c : e.toCharArray()) {
                if (Character.isLetter(c)) {
                    b.append('[').append(Character.toLowerCase(c)).append(Character.toUpperCase(c)).append(']');
                } else {
                    b.append(c);
                }
            }
            return b.toString();
        }).collect(Collectors.joining(",")) + "}";
    }

    public static Pattern extensionPattern(List<String> extensions) {
        return Pattern.compile(".*\\.(" + String.join("|", extensions) + ")", Pattern.CASE_INSENSITIVE);
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot <= 0 ? "(no extension)" : "." + name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** Spark's rule for files it never lists. */
    private static boolean hidden(String name) {
        return (name.startsWith("_") && !name.contains("=")) || name.startsWith(".") || name.endsWith("._COPYING_");
    }

    public static boolean hasGlob(String input) {
        return input.matches(".*[*?\\[{].*");
    }

    private static Path globRoot(Path glob) {
        Path p = glob;
        while (p != null && hasGlob(p.toUri().getPath())) {
            p = p.getParent();
        }
        return p == null ? new Path("/") : p;
    }

    /** The path relative to the root, compared as decoded URI paths (so %20 and spaces agree). */
    public static String relative(String root, String path) {
        String r = new Path(root).toUri().getPath();
        String p = new Path(path).toUri().getPath();
        if (!r.endsWith("/")) {
            r = r + "/";
        }
        if (p.startsWith(r)) {
            return p.substring(r.length());
        }
        return p.startsWith("/") ? p.substring(1) : p;
    }

    public static String parentName(String relative) {
        int slash = relative.lastIndexOf('/');
        if (slash <= 0) {
            return null;
        }
        String dir = relative.substring(0, slash);
        int prev = dir.lastIndexOf('/');
        return prev < 0 ? dir : dir.substring(prev + 1);
    }
}
