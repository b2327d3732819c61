package dev.vitex.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vitex.jobs.config.JobConfig;
import dev.vitex.jobs.input.ImageSource;
import dev.vitex.jobs.output.Schemas;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The input rows now come from the driver's own listing (issue 16: Spark's binaryFile source listed
 * the folder a second time, forking a process per file, and was scanned again in every wave). They
 * must be the rows the binaryFile source gave: the same files (hidden ones and other extensions
 * left out, or kept as error rows), spelled as its {@code path} column spells them, with zero-byte
 * files kept. The reference here is Spark's binaryFile source itself, read as the job read it before.
 */
class ImageListingTest {
    @Test
    void theDriversListingGivesTheRowsOfSparksBinaryFileSource(@TempDir Path tmp) throws IOException {
        Path in = JobTests.copySamples(tmp.resolve("in"));
        byte[] png = Files.readAllBytes(in.resolve("square/img_00.png"));
        Files.createDirectories(in.resolve("deep/er one"));
        Files.write(in.resolve("deep/er one/UPPER CASE %x.PNG"), png);
        Files.write(in.resolve("deep/zero.png"), new byte[0]);
        Files.writeString(in.resolve("deep/notes.txt"), "not an image");
        Files.write(in.resolve("deep/.hidden.png"), png);
        Files.write(in.resolve("deep/_underscore.png"), png);
        Files.createDirectories(in.resolve("_skipped"));
        Files.write(in.resolve("_skipped/inside.png"), png);
        Files.createDirectories(in.resolve("deep/.git"));
        Files.write(in.resolve("deep/.git/inside.png"), png);

        SparkSession spark = JobTests.spark();
        for (String otherFiles : List.of("skip", "error")) {
            JobConfig config = JobConfig.resolve(Map.of("input", in.toString(), "images.other_files", otherFiles), null);
            ImageSource.Plan plan = ImageSource.plan(config, new Configuration());
            Dataset<Row> rows = ImageSource.load(spark, config, plan);
            assertEquals(Schemas.INPUT, rows.schema());

            Set<String> expected = binaryFilePaths(spark, in, config, plan);
            Set<String> got = rows.collectAsList().stream().map(r -> r.<String>getAs("source_path"))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(expected, got, otherFiles);
            // 24 samples + the upper-case PNG + the empty PNG (+ boxes.csv and notes.txt as error rows)
            assertEquals(otherFiles.equals("skip") ? 26 : 28, got.size(), got.toString());
            for (Row r : rows.collectAsList()) {
                String path = r.getAs("source_path");
                assertEquals(ImageSource.relative(plan.root(), path), r.getAs("image_id"));
                assertEquals(ImageSource.parentName(r.getAs("image_id")), r.getAs("label"));
                assertEquals(true, r.getAs("fetch"));
                assertEquals(path.endsWith(".txt") || path.endsWith(".csv"), r.getAs("reject") != null, path);
            }
        }
    }

    /** What the job's input was before: binaryFile, recursive, the extension glob unless other files are errors, plus empty files. */
    private static Set<String> binaryFilePaths(SparkSession spark, Path in, JobConfig config, ImageSource.Plan plan) {
        var reader = spark.read().format("binaryFile").option("recursiveFileLookup", "true");
        if (config.otherFiles == JobConfig.OtherFiles.SKIP) {
            reader = reader.option("pathGlobFilter", ImageSource.globFilter(config.imageExtensions));
        }
        Set<String> out = reader.load(in.toString()).select("path").collectAsList().stream().map(r -> r.getString(0))
                .collect(Collectors.toCollection(TreeSet::new));
        out.add(plan.root() + "/deep/zero.png"); // binaryFile never returns empty files
        return out;
    }
}
