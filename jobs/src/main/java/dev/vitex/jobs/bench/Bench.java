package dev.vitex.jobs.bench;

import ai.djl.Device;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import dev.vitex.core.grid.Granularity;
import dev.vitex.core.image.DecodeOptions;
import dev.vitex.core.method.ExplainContext;
import dev.vitex.core.method.ExplainItem;
import dev.vitex.core.method.Explainer;
import dev.vitex.core.method.Methods;
import dev.vitex.core.model.BatchGate;
import dev.vitex.core.model.InferenceMode;
import dev.vitex.core.model.ModelCard;
import dev.vitex.core.model.Precision;
import dev.vitex.core.model.TargetRule;
import dev.vitex.core.model.VitModel;
import dev.vitex.core.pipeline.GroupExplainer;
import dev.vitex.core.pipeline.ImageInput;
import dev.vitex.core.pipeline.ImageOutcome;
import dev.vitex.core.pipeline.PipelineOptions;
import dev.vitex.jobs.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code scripts/vitex bench}: in one process, on one model, plain batched inference against every
 * method (efficiency = method passes/s ÷ plain passes/s), then, when asked, the end-to-end job.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure attribution efficiency against plain inference on the same model, batch size and threads.")
public final class Bench implements Callable<Integer> {
    @Option(names = "--model", description = "Model card (default: ${DEFAULT-VALUE})",
            defaultValue = "models/vit-shapes-tiny/vit-shapes-tiny.json")
    Path model;

    @Option(names = "--input", description = "Images to explain (default: ${DEFAULT-VALUE})", defaultValue = "samples/shapes")
    Path input;

    @Option(names = "--images", description = "Images per method measurement; enough to fill model batches (default: ${DEFAULT-VALUE})", defaultValue = "32")
    int images;

    @Option(names = "--methods", split = ",", description = "Methods (default: all)")
    List<String> methods;

    @Option(names = "--batch-size", description = "Model batch size (default: ${DEFAULT-VALUE})", defaultValue = "64")
    int batchSize;

    @Option(names = "--param", description = "METHOD.NAME=VALUE, as for `vitex run` (e.g. integrated_gradients.steps=8 for large models)")
    List<String> params = new ArrayList<>();

    @Option(names = "--seconds", description = "Minimum seconds of plain inference, and of each method (default: ${DEFAULT-VALUE})", defaultValue = "10")
    double seconds;

    @Option(names = "--images-per-call", description = "Images explained together, as the job's images_per_batch (default: ${DEFAULT-VALUE})", defaultValue = "16")
    int imagesPerCall;

    @Option(names = "--rounds", description = "Peer/method alternations per method; --seconds is split among them (default: ${DEFAULT-VALUE})", defaultValue = "5")
    int rounds;

    @Option(names = "--job-images", description = "End to end: images per run of the job with 1 and 2 task slots (each run twice); 0 = skip (default: ${DEFAULT-VALUE})", defaultValue = "384")
    int jobImages;

    @Option(names = "--job-methods", split = ",", description = "End to end: the job's methods for the scaling and long runs (default: ${DEFAULT-VALUE})",
            defaultValue = "saliency,integrated_gradients,occlusion")
    List<String> jobMethods;

    @Option(names = "--long-images", description = "Images of the long run (2 task slots) whose RSS is sampled; 0 = skip (default: ${DEFAULT-VALUE})", defaultValue = "960")
    int longImages;

    @Option(names = "--bytes-images", description = "Images of the PATCH and PIXEL runs whose Parquet bytes are measured; 0 = skip (default: ${DEFAULT-VALUE})", defaultValue = "192")
    int bytesImages;

    @Option(names = "--bytes-methods", split = ",", description = "Methods of the Parquet bytes runs (default: those of --methods)")
    List<String> bytesMethods;

    @Option(names = "--precision", description = "fp32|bf16|fp16: the model's type for plain inference and the methods "
            + "(bf16 loads the card's precisions file; the end-to-end job runs use it too) (default: ${DEFAULT-VALUE})",
            defaultValue = "fp32")
    String precision;

    @Option(names = "--efficiency-methods", split = ",", description = "End to end: methods whose job efficiency is measured, each alone "
            + "with 2 task slots (default: ${DEFAULT-VALUE}); they join --methods for the core's rate",
            defaultValue = "saliency,attention_rollout,integrated_gradients,occlusion")
    List<String> efficiencyMethods;

    @Option(names = "--efficiency-seconds", description = "End to end: seconds of work at the core's rate per efficiency run "
            + "(sets its image count); 0 = skip (default: ${DEFAULT-VALUE})", defaultValue = "20")
    double efficiencySeconds;

    @Option(names = "--json", description = "Write the results as JSON to this file")
    Path json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        check(images >= 1, "--images must be ≥ 1, got " + images);
        check(batchSize >= 1, "--batch-size must be ≥ 1, got " + batchSize);
        check(imagesPerCall >= 1, "--images-per-call must be ≥ 1, got " + imagesPerCall);
        check(rounds >= 1, "--rounds must be ≥ 1, got " + rounds);
        check(seconds > 0, "--seconds must be > 0, got " + seconds);
        check(jobImages >= 0 && longImages >= 0 && bytesImages >= 0, "--job-images, --long-images and --bytes-images must be ≥ 0");
        check(efficiencySeconds >= 0, "--efficiency-seconds must be ≥ 0, got " + efficiencySeconds);
        for (String m : concat(concat(concat(methods, jobMethods), bytesMethods), efficiencyMethods)) {
            check(Methods.names().contains(m), "unknown method \"" + m + "\"; known: " + String.join(", ", Methods.names()));
        }
        model = fromHome(model);
        input = fromHome(input);
        try {
            for (Path p : List.of(model, input)) { // before minutes of measuring, not after
                if (!Files.exists(p)) {
                    throw new NoSuchFileException(p.toString());
                }
            }
            return measure();
        } catch (IllegalArgumentException | IllegalStateException | ConfigException | IOException e) {
            // a bad model card, parameter or path: one line, as `vitex run` reports them
            String message = e instanceof NoSuchFileException ? "no such file or folder: " + e.getMessage() : e.getMessage();
            spec.commandLine().getErr().println("vitex bench: " + message);
            return 2;
        }
    }

    private int measure() throws Exception {
        ModelCard card = ModelCard.load(model);
        Precision type = Precision.parse(precision);
        List<String> asked = methods == null || methods.isEmpty() ? Methods.names() : methods;
        List<String> names = new ArrayList<>(asked);
        List<String> efficiency = efficiencySeconds > 0 ? efficiencyMethods : List.of();
        efficiency.stream().filter(m -> !names.contains(m)).forEach(names::add); // their core rate is measured here
        Map<String, Map<String, String>> byMethod = parseParams(params);
        List<Explainer> explainers = new ArrayList<>();
        for (String name : names) {
            explainers.add(Methods.create(name, byMethod.getOrDefault(name, Map.of()), card));
        }
        String threads = System.getProperty("ai.djl.pytorch.num_threads", "(libtorch default)");
        System.out.printf(Locale.ROOT, "vitex bench: model %s (%d×%d, patch %d, %s), batch %d, intra-op threads %s, %d images%n",
                card.name(), card.inputHeight(), card.inputWidth(), card.patchSize(), type.configName(), batchSize, threads, images);
        JsonObject out = new JsonObject();
        Map<String, Double> core = new LinkedHashMap<>();
        try (VitModel vit = VitModel.load(card, Device.cpu(), BatchGate.UNLIMITED, type)) {
            PlainThroughput.Result plain = PlainThroughput.measure(vit, batchSize, seconds);
            System.out.printf(Locale.ROOT, "plain: forward %.1f passes/s, forward+backward %.1f passes/s%n",
                    plain.forwardPassesPerSecond(), plain.backwardPassesPerSecond());
            JsonObject plainJson = new JsonObject();
            plainJson.addProperty("forward_passes_per_s", plain.forwardPassesPerSecond());
            plainJson.addProperty("backward_passes_per_s", plain.backwardPassesPerSecond());
            out.add("plain", plainJson);

            GroupExplainer pipeline = new GroupExplainer(vit, new PipelineOptions(PipelineOptions.methods(names, byMethod),
                    InferenceMode.LOGITS, batchSize, Granularity.PATCH, 0, TargetRule.predicted(), List.of(),
                    DecodeOptions.defaults()), (m, p) -> explainers.get(names.indexOf(m)), GroupExplainer.SkipRule.NONE);
            List<ExplainItem> items = items(pipeline);
            ExplainContext context = pipeline.context();
            JsonObject methodsJson = new JsonObject();
            System.out.printf(Locale.ROOT, "%-22s %12s %10s %10s %11s %10s %26s  %s%n", "method", "passes/image", "images/s",
                    "passes/s", "peer pass/s", "efficiency", "rounds min / median / max", "peer");
            for (Explainer e : explainers) {
                MethodThroughput.Result r = MethodThroughput.measure(e, context, items, imagesPerCall, seconds, rounds);
                System.out.printf(Locale.ROOT, "%-22s %12d %10.2f %10.1f %11.1f %10.3f %8.3f / %.3f / %-6.3f  %s%n", r.method(),
                        r.passesPerImage(), r.imagesPerSecond(), r.passesPerSecond(), r.peerPassesPerSecond(), r.efficiency(),
                        r.efficiencyMin(), r.efficiencyMedian(), r.efficiencyMax(), r.peer());
                JsonObject m = new JsonObject();
                m.addProperty("images_per_s", r.imagesPerSecond());
                m.addProperty("passes_per_s", r.passesPerSecond());
                m.addProperty("efficiency", r.efficiency());
                m.addProperty("passes_per_image", r.passesPerImage());
                m.addProperty("efficiency_min_round", r.efficiencyMin());
                m.addProperty("efficiency_median_round", r.efficiencyMedian());
                m.addProperty("efficiency_max_round", r.efficiencyMax());
                m.addProperty("rounds", r.rounds());
                m.addProperty("peer", r.peer());
                m.addProperty("peer_passes_per_s", r.peerPassesPerSecond());
                m.addProperty("params", r.params());
                methodsJson.add(r.method(), m);
                if (efficiency.contains(r.method())) {
                    core.put(r.method(), r.imagesPerSecond());
                }
            }
            out.add("methods", methodsJson);
            writeJson(out, card, type); // what is measured so far survives a failure of the job parts
            if (jobImages > 0 || longImages > 0 || bytesImages > 0 || !core.isEmpty()) {
                // the model stays loaded: the efficiency part measures the core on the job's slots around each job run
                JobEfficiency.CoreOnSlots onSlots = (method, slots, secs) -> SlotRate.measure(explainers.get(names.indexOf(method)),
                        context, items, imagesPerCall, slots, secs);
                JobBench.Plan plan = new JobBench.Plan(model, input, batchSize, type.configName(), params, jobMethods, jobImages,
                        longImages, bytesMethods == null || bytesMethods.isEmpty() ? asked : bytesMethods, bytesImages, core,
                        efficiencySeconds, onSlots);
                new JobBench(plan, card).run().entrySet().forEach(e -> out.add(e.getKey(), e.getValue()));
            }
        }
        writeJson(out, card, type);
        if (json != null) {
            System.out.println("wrote " + json.toAbsolutePath());
        }
        return 0;
    }

    private void writeJson(JsonObject out, ModelCard card, Precision type) throws IOException {
        JsonObject setup = new JsonObject();
        setup.addProperty("model", card.name());
        setup.addProperty("precision", type.configName());
        setup.addProperty("batch_size", batchSize);
        setup.addProperty("images", images);
        setup.addProperty("images_per_call", imagesPerCall);
        setup.addProperty("rounds", rounds);
        setup.addProperty("seconds", seconds);
        setup.addProperty("intra_op_threads", System.getProperty("ai.djl.pytorch.num_threads", "(libtorch default)"));
        setup.addProperty("cores", Runtime.getRuntime().availableProcessors());
        out.add("setup", setup);
        if (json != null) {
            Files.writeString(json, new GsonBuilder().setPrettyPrinting().create().toJson(out));
        }
    }

    private void check(boolean ok, String message) {
        if (!ok) {
            throw new CommandLine.ParameterException(spec.commandLine(), "vitex bench: " + message);
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a == null ? List.of() : a);
        all.addAll(b == null ? List.of() : b);
        return all;
    }

    /** The first {@code images} images under the input folder, through core's pipeline: preprocessed, targets = predicted class. */
    private List<ExplainItem> items(GroupExplainer pipeline) throws IOException {
        List<ImageInput> group = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(input)) {
            List<Path> paths = walk.filter(p -> p.toString().toLowerCase(Locale.ROOT).matches(".*\\.(png|jpe?g|bmp|gif)"))
                    .sorted().toList();
            if (paths.isEmpty()) {
                throw new IllegalArgumentException("no images under " + input);
            }
            for (int i = 0; i < images; i++) {
                Path p = paths.get(i % paths.size());
                byte[] bytes = Files.readAllBytes(p);
                // "#i": an image used twice is a different item (its own seeds)
                group.add(new ImageInput(p.toString(), null, bytes, null, ImageInput.sha256(bytes) + "#" + i, null));
            }
        }
        GroupExplainer.Prepared prepared = pipeline.prepare(group);
        if (!prepared.failures().isEmpty()) {
            ImageOutcome.Failed f = (ImageOutcome.Failed) prepared.failures().get(0);
            throw new IllegalArgumentException(f.image().id() + ": " + f.message());
        }
        return prepared.items();
    }

    /** The bundled defaults are relative to the installation (scripts/vitex sets vitex.home), not to the working directory. */
    private static Path fromHome(Path p) {
        String home = System.getProperty("vitex.home");
        return p.isAbsolute() || Files.exists(p) || home == null ? p : Path.of(home).resolve(p);
    }

    static Map<String, Map<String, String>> parseParams(List<String> params) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (String p : params) {
            int dot = p.indexOf('.');
            int eq = p.indexOf('=');
            if (dot < 1 || eq < dot + 2) {
                throw new IllegalArgumentException("--param must look like METHOD.NAME=VALUE, got \"" + p + "\"");
            }
            out.computeIfAbsent(p.substring(0, dot), k -> new LinkedHashMap<>()).put(p.substring(dot + 1, eq), p.substring(eq + 1));
        }
        return out;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Bench()).execute(args));
    }
}
