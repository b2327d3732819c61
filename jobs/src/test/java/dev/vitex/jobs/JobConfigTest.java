package dev.vitex.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import dev.vitex.core.model.ModelCard;
import dev.vitex.core.model.TargetSelector.ClassScores;
import dev.vitex.jobs.cli.JobOptionsAccess;
import dev.vitex.jobs.cli.VitexCommand;
import dev.vitex.jobs.config.ConfigException;
import dev.vitex.jobs.config.JobConfig;
import dev.vitex.jobs.config.Options;
import dev.vitex.jobs.config.TargetSpec;
import dev.vitex.jobs.executor.DeviceAssignment;
import dev.vitex.jobs.input.ImageSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Options, targets, device choice and input paths: the parts of the job that need no Spark. */
class JobConfigTest {
    @TempDir
    Path tmp;

    @Test
    void defaultsAreTheDocumentedFile() throws IOException {
        JobConfig c = JobConfig.resolve(Map.of(), null);
        assertEquals(List.of("saliency", "integrated_gradients", "occlusion"), c.methods);
        assertEquals(64, c.batchSize);
        assertEquals(100_000_000L, c.maxPixels);
        assertEquals(new dev.vitex.core.image.DecodeOptions(100_000_000L, 20.0, true), c.decodeOptions());
        assertEquals(List.of("png", "jpg", "jpeg", "bmp", "gif", "tif", "tiff", "webp"), c.imageExtensions);
        assertFalse(c.modelAllowOutsidePaths);
        assertFalse(JobConfig.resolve(Map.of("decode.orientation", "ignore"), null).decodeOptions().applyExif());
        assertEquals(JobConfig.Mode.OVERWRITE, c.mode);
        assertEquals(JobConfig.Layout.WIDE, c.layout);
        assertEquals(JobConfig.OtherFiles.SKIP, c.otherFiles);
        assertEquals("false", c.spark.get("spark.sql.artifact.isolation.enabled"));
        // the file users read gives the same configuration as the declarations (OptionsTest checks key by key)
        Config onDisk = ConfigFactory.parseFile(JobTests.root().resolve("conf/vitex.conf").toFile());
        assertEquals(c.json(), JobConfig.resolve(Map.of(), onDisk).json());
        // the manifest's configuration is the same JSON as when the defaults were read from that file
        assertEquals(onDisk.getConfig(JobConfig.ROOT).root().render(ConfigRenderOptions.concise()),
                Options.defaults().getConfig(JobConfig.ROOT).root().render(ConfigRenderOptions.concise()));
    }

    @Test
    void commandLineOverridesSetOverridesFileOverridesDefaults() throws IOException {
        Path file = tmp.resolve("my.conf");
        Files.writeString(file, "vitex { batch_size = 16, seed = 7, methods = [occlusion], params.occlusion.baseline = 0.5,"
                + " spark { \"spark.ui.enabled\" = true } }");
        Config f = JobConfig.file(file.toString());
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("seed", "9");                 // --set seed=9
        o.put("batch_size", 32L);           // --batch-size 32
        o.put("params.occlusion.cell_size", "16");
        JobConfig c = JobConfig.resolve(o, f);
        assertEquals(32, c.batchSize);
        assertEquals(9L, c.seed);
        assertEquals(List.of("occlusion"), c.methods);
        assertEquals(Map.of("baseline", "0.5", "cell_size", "16"), c.paramsOf("occlusion"));
        assertEquals("true", c.spark.get("spark.ui.enabled"));
        assertEquals("zstd", c.spark.get("spark.sql.parquet.compression.codec"), "defaults still apply");
        assertTrue(c.json().contains("\"batch_size\":32"));
    }

    @Test
    void commandLineListsAndParameters() {
        JobConfig c = JobOptionsAccess.resolve("run", "--methods", "Saliency, occlusion,saliency",
                "--param", "occlusion.baseline=[0.1,0.2,0.3]", "--param", "integrated_gradients.steps=12",
                "--conf", "spark.executor.memory=2g", "--set", "decode.max_pixels=5e7", "--batch-size", "8", "--no-report");
        assertEquals(List.of("saliency", "occlusion"), c.methods);
        assertEquals("[0.1,0.2,0.3]", c.paramsOf("occlusion").get("baseline"));
        assertEquals("12", c.paramsOf("integrated_gradients").get("steps"));
        assertEquals("2g", c.spark.get("spark.executor.memory"));
        assertEquals(50_000_000L, c.maxPixels);
        assertEquals(8, c.batchSize);
        assertTrue(c.json().contains("\"batch_size\":8"), "a number on the command line stays a number: " + c.json());
        assertEquals(false, c.report);
        assertEquals(true, JobOptionsAccess.resolve("run", "--report").report);
        assertEquals(false, JobOptionsAccess.resolve("run").report);
    }

    @Test
    void badValuesNameTheOption() {
        var e = assertThrows(ConfigException.class, () -> JobConfig.resolve(Map.of("batch_size", "0"), null));
        assertTrue(e.getMessage().contains("--batch-size"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> JobConfig.resolve(Map.of("decode.max_pixels", "lots"), null));
        assertTrue(e.getMessage().contains("decode.max_pixels"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> JobConfig.resolve(Map.of("images.other_files", "keep"), null));
        assertTrue(e.getMessage().contains("[skip, error]"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> JobConfig.resolve(Map.of("batchsize", "3"), null));
        assertTrue(e.getMessage().contains("unknown option vitex.batchsize"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> JobConfig.resolve(Map.of("methods", " , "), null));
        assertTrue(e.getMessage().contains("methods"), e.getMessage());
    }

    @Test
    void targets() {
        ModelCard card = ModelCard.load(JobTests.shapesCard());
        List<String> labels = card.labels();
        ClassScores scores = new ClassScores(new float[labels.size()]);
        scores.scores()[1] = 3f;
        scores.scores()[0] = 2f;
        assertEquals(1, TargetSpec.parse("predicted", card).targets(scores, -1)[0]);
        assertEquals(List.of(1, 0), List.of(TargetSpec.parse("top:2", card).targets(scores, -1)[0],
                TargetSpec.parse("top:2", card).targets(scores, -1)[1]));
        assertEquals(2, TargetSpec.parse("top:2", card).count());
        assertEquals(0, TargetSpec.parse(labels.get(0), card).targets(scores, -1)[0]);
        assertEquals(0, TargetSpec.parse(labels.get(0).toUpperCase(), card).targets(scores, -1)[0]);
        assertEquals(2, TargetSpec.parse("2", card).targets(scores, -1)[0]);
        assertEquals(2, TargetSpec.parse("label", card).targets(scores, 2)[0]);
        assertEquals(1, TargetSpec.classIndex("1", labels));
        assertEquals(-1, TargetSpec.classIndex("zebra", labels));
        assertEquals(-1, TargetSpec.classIndex("99", labels));
        assertThrows(ConfigException.class, () -> TargetSpec.parse("top:0", card));
        assertThrows(ConfigException.class, () -> TargetSpec.parse("top:x", card));
        assertThrows(ConfigException.class, () -> TargetSpec.parse("99", card));
    }

    @Test
    void devices() {
        assertEquals(Device.cpu(), DeviceAssignment.choose(null, 0, null).device());
        DeviceAssignment noEngineGpu = DeviceAssignment.choose("1", 0, null);
        assertEquals(Device.cpu(), noEngineGpu.device());
        assertEquals("1", noEngineGpu.sparkAddress());
        assertTrue(noEngineGpu.note().contains("engine sees no GPU"));
        assertEquals(Device.gpu(1), DeviceAssignment.choose("1", 2, null).device());
        assertEquals(Device.gpu(1), DeviceAssignment.choose("3", 2, "2,3").device(), "renumbered by CUDA_VISIBLE_DEVICES");
        assertEquals(Device.gpu(0), DeviceAssignment.choose("2", 2, "2,3").device());
        assertEquals(Device.cpu(), DeviceAssignment.choose("5", 2, null).device(), "an address the engine cannot see");
        assertEquals(Device.cpu(), DeviceAssignment.choose("GPU-uuid", 2, "0,1").device());
    }

    @Test
    void inputPaths() {
        String glob = ImageSource.globFilter(List.of("png", "jpeg"));
        assertEquals("*.{[pP][nN][gG],[jJ][pP][eE][gG]}", glob);
        Pattern p = ImageSource.extensionPattern(List.of("png", "jpg"));
        assertTrue(p.matcher("a.PNG").matches() && p.matcher("b.jpg").matches() && !p.matcher("c.csv").matches());
        assertEquals("square/img_00.png", ImageSource.relative("file:/data/shapes", "file:/data/shapes/square/img_00.png"));
        assertEquals("a b/c d.png", ImageSource.relative("file:/data/x", "file:/data/x/a b/c d.png"));
        assertEquals("square", ImageSource.parentName("square/img_00.png"));
        assertEquals("b", ImageSource.parentName("a/b/c.png"));
        assertNull(ImageSource.parentName("c.png"));
        assertTrue(ImageSource.hasGlob("/data/*/img_*.png") && !ImageSource.hasGlob("/data/shapes"));
    }

    @Test
    void oneLineMessages() {
        Exception e = new RuntimeException("Job aborted", new IllegalStateException("the model\n  is gone"));
        assertEquals("IllegalStateException: the model is gone", VitexCommand.rootMessage(e));
    }
}
