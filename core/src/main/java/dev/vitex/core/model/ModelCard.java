package dev.vitex.core.model;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON card that sits beside a TorchScript ViT and says how to feed it (design.md § Model).
 *
 * <p>Every field is required and validated, except {@code attention} ({@link AttentionSpec}, null
 * when absent: the attention methods then refuse the model) and {@code precisions} (low-precision
 * TorchScript variants by {@link Precision}, empty when absent); an unknown field is an error too,
 * because a typo in a card (say {@code "meen"}) would otherwise silently fall back to nothing.
 */
public record ModelCard(
        Path cardPath,
        String name,
        String format,
        Path modelFile,
        int inputHeight,
        int inputWidth,
        int patchSize,
        int channels,
        double rescale,
        double[] mean,
        double[] std,
        String resize,
        String crop,
        String output,
        List<String> labels,
        AttentionSpec attention,
        Map<Precision, Path> precisions) {

    private static final Set<String> FIELDS = Set.of(
            "name", "format", "file", "input_size", "patch_size", "channels", "rescale", "mean", "std",
            "resize", "crop", "output", "labels", "attention", "precisions");
    private static final Set<String> ATTENTION_FIELDS = Set.of("method", "layers", "heads", "prefix_tokens");
    private static final List<String> RESIZE_FILTERS = List.of("bilinear", "bicubic", "nearest");
    private static final List<String> CROPS = List.of("none", "center");

    public ModelCard {
        mean = mean.clone();
        std = std.clone();
        labels = List.copyOf(labels);
        precisions = Map.copyOf(precisions);
    }

    /** A card without the {@code attention} and {@code precisions} fields. */
    public ModelCard(Path cardPath, String name, String format, Path modelFile, int inputHeight, int inputWidth,
            int patchSize, int channels, double rescale, double[] mean, double[] std, String resize, String crop,
            String output, List<String> labels) {
        this(cardPath, name, format, modelFile, inputHeight, inputWidth, patchSize, channels, rescale, mean, std,
                resize, crop, output, labels, null, Map.of());
    }

    /**
     * The TorchScript file that runs the model at {@code precision}: {@code file} at fp32, else the
     * card's {@code precisions} entry. A card without one is refused in one line saying how to get it.
     */
    public Path fileFor(Precision precision) {
        if (precision == Precision.FP32) {
            return modelFile;
        }
        Path variant = precisions.get(precision);
        if (variant == null) {
            String p = precision.configName();
            throw new ModelCardException("model card " + cardPath + " has no " + p + " variant (card field 'precisions'"
                    + (precisions.isEmpty() ? " is absent" : " lists only " + precisions.keySet().stream()
                            .map(Precision::configName).sorted().toList())
                    + "): export one with /usr/bin/python3 scripts/export_vit.py CHECKPOINT OUT_DIR --precisions " + p
                    + " (writes NAME." + p + ".pt and the field), or run with --precision fp32");
        }
        if (!Files.isRegularFile(variant)) {
            throw new ModelCardException("model card " + cardPath + ": field 'precisions' gives " + precision.configName()
                    + " as " + variant + ", which does not exist (ship it beside the card, as the card's 'file')");
        }
        return variant;
    }

    /** Patch tokens of the model: (input height / patch) × (input width / patch). */
    public int patchCount() {
        return (inputHeight / patchSize) * (inputWidth / patchSize);
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] std() {
        return std.clone();
    }

    public int numClasses() {
        return labels.size();
    }

    /** Label of class {@code index}, or the index itself when out of range. */
    public String label(int index) {
        return index >= 0 && index < labels.size() ? labels.get(index) : Integer.toString(index);
    }

    /**
     * Reads and validates a card; {@link ModelCardException} names the card and the field at fault.
     * The TorchScript {@code file} must lie inside the card's folder (a model is code: it must not be
     * pulled in from elsewhere by a card someone handed over).
     */
    public static ModelCard load(Path cardPath) {
        return load(cardPath, false);
    }

    /** @param allowOutsidePaths accept a {@code file} that is absolute or climbs out with {@code ..} */
    public static ModelCard load(Path cardPath, boolean allowOutsidePaths) {
        Path card = cardPath.toAbsolutePath().normalize();
        if (!Files.isRegularFile(card)) {
            throw new ModelCardException("model card not found: " + card);
        }
        JsonObject json;
        try {
            JsonElement parsed = JsonParser.parseString(Files.readString(card, StandardCharsets.UTF_8));
            if (!parsed.isJsonObject()) {
                throw new ModelCardException("model card " + card + " is not a JSON object");
            }
            json = parsed.getAsJsonObject();
        } catch (IOException e) {
            throw new ModelCardException("cannot read model card " + card + ": " + e.getMessage(), e);
        } catch (JsonParseException e) {
            throw new ModelCardException("model card " + card + " is not valid JSON: " + e.getMessage(), e);
        }
        return new Reader(card, json, allowOutsidePaths).read();
    }

    /** Field-by-field reader; each failure names the field. */
    private record Reader(Path card, JsonObject json, boolean allowOutsidePaths) {

        ModelCard read() {
            for (String key : json.keySet()) {
                if (!FIELDS.contains(key)) {
                    throw error(key, "is not a known field (known: " + String.join(", ", FIELDS.stream().sorted().toList()) + ")");
                }
            }
            String name = string("name");
            String format = string("format");
            if (!format.equals("torchscript")) {
                throw error("format", "must be \"torchscript\", got \"" + format + "\"");
            }
            Path modelFile = containedFile("file", string("file"), true);
            int[] size = intArray("input_size", 2);
            int patch = positiveInt("patch_size");
            if (size[0] % patch != 0 || size[1] % patch != 0) {
                throw error("patch_size", patch + " does not divide input_size " + size[0] + "×" + size[1]);
            }
            int channels = positiveInt("channels");
            if (channels != 3) {
                throw error("channels", "must be 3 (RGB), got " + channels);
            }
            double rescale = number("rescale");
            if (!(rescale > 0)) {
                throw error("rescale", "must be > 0, got " + rescale);
            }
            double[] mean = doubleArray("mean", channels);
            double[] std = doubleArray("std", channels);
            for (double s : std) {
                if (!(s > 0)) {
                    throw error("std", "every entry must be > 0, got " + Arrays.toString(std));
                }
            }
            String resize = oneOf("resize", RESIZE_FILTERS);
            String crop = oneOf("crop", CROPS);
            String output = string("output");
            if (!(output.equals("tensor") || output.matches("tuple:\\d+") || output.matches("dict:.+"))) {
                throw error("output", "must be \"tensor\", \"tuple:N\" or \"dict:KEY\", got \"" + output + "\"");
            }
            List<String> labels = labels();
            return new ModelCard(card, name, format, modelFile, size[0], size[1], patch, channels, rescale, mean, std,
                    resize, crop, output, labels, attention(), precisions());
        }

        /** {"bf16": "NAME.bf16.pt", "fp16": …}: low-precision variants, each a file inside the card's folder. */
        private Map<Precision, Path> precisions() {
            JsonElement e = json.get("precisions");
            if (e == null || e.isJsonNull()) {
                return Map.of();
            }
            if (!e.isJsonObject()) {
                throw error("precisions", "must be an object {\"bf16\": \"NAME.bf16.pt\"}, got " + e);
            }
            Map<Precision, Path> out = new EnumMap<>(Precision.class);
            for (Map.Entry<String, JsonElement> entry : e.getAsJsonObject().entrySet()) {
                Precision p;
                try {
                    p = Precision.parse(entry.getKey());
                } catch (IllegalArgumentException ex) {
                    throw error("precisions", "has an unknown key '" + entry.getKey() + "' (known: bf16, fp16)");
                }
                JsonElement v = entry.getValue();
                if (p == Precision.FP32 || !v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString() || v.getAsString().isBlank()) {
                    throw error("precisions", "needs a file name for bf16 or fp16 (fp32 is 'file'), got "
                            + entry.getKey() + ": " + v);
                }
                out.put(p, containedFile("precisions", v.getAsString(), false)); // needed only at that precision: fileFor checks it
            }
            return out;
        }

        /** The card-relative file {@code file}, inside the card's folder unless outside paths are allowed. */
        private Path containedFile(String field, String file, boolean mustExist) {
            Path resolved = card.getParent().resolve(file).normalize();
            if (!allowOutsidePaths && !insideCardFolder(file)) {
                throw error(field, "\"" + file + "\" is not inside the card's folder: give a file name or a relative path "
                        + "without \"..\" (a model is code; --set model_allow_outside_paths=true accepts it)");
            }
            if (mustExist && !Files.isRegularFile(resolved)) {
                throw error(field, "points to " + resolved + ", which does not exist");
            }
            return resolved;
        }

        private AttentionSpec attention() {
            JsonElement e = json.get("attention");
            if (e == null || e.isJsonNull()) {
                return null;
            }
            if (!e.isJsonObject()) {
                throw error("attention", "must be an object {method, layers, heads, prefix_tokens}, got " + e);
            }
            JsonObject a = e.getAsJsonObject();
            for (String key : a.keySet()) {
                if (!ATTENTION_FIELDS.contains(key)) {
                    throw error("attention", "has an unknown field '" + key + "' (known: "
                            + String.join(", ", ATTENTION_FIELDS.stream().sorted().toList()) + ")");
                }
            }
            JsonElement method = a.get("method");
            if (method == null || !method.isJsonPrimitive() || !method.getAsJsonPrimitive().isString()
                    || method.getAsString().isBlank()) {
                throw error("attention", "needs 'method', the name of the TorchScript method (e.g. \"forward_attention\")");
            }
            return new AttentionSpec(method.getAsString(), attentionCount(a, "layers", null),
                    attentionCount(a, "heads", null), attentionCount(a, "prefix_tokens", 1));
        }

        private int attentionCount(JsonObject a, String field, Integer fallback) {
            JsonElement v = a.get(field);
            if (v == null && fallback != null) {
                return fallback;
            }
            if (v == null || !isNumber(v) || v.getAsDouble() != Math.rint(v.getAsDouble()) || v.getAsDouble() < 1) {
                throw error("attention", "needs '" + field + "' as a positive integer, got " + v);
            }
            return v.getAsInt();
        }

        private boolean insideCardFolder(String file) {
            Path given;
            try {
                given = Path.of(file);
            } catch (InvalidPathException e) {
                return false;
            }
            if (given.isAbsolute() || file.startsWith("/") || file.startsWith("\\") || file.matches("^[A-Za-z]:.*")) {
                return false;
            }
            for (Path part : given) {
                if (part.toString().equals("..")) {
                    return false;
                }
            }
            return card.getParent().resolve(given).normalize().startsWith(card.getParent());
        }

        private JsonElement required(String field) {
            JsonElement e = json.get(field);
            if (e == null || e.isJsonNull()) {
                throw error(field, "is missing");
            }
            return e;
        }

        private String string(String field) {
            JsonElement e = required(field);
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString() || e.getAsString().isBlank()) {
                throw error(field, "must be a non-empty string, got " + e);
            }
            return e.getAsString();
        }

        private String oneOf(String field, List<String> allowed) {
            String v = string(field);
            if (!allowed.contains(v)) {
                throw error(field, "must be one of " + allowed + ", got \"" + v + "\"");
            }
            return v;
        }

        private double number(String field) {
            JsonElement e = required(field);
            if (!isNumber(e)) {
                throw error(field, "must be a number, got " + e);
            }
            return e.getAsDouble();
        }

        private int positiveInt(String field) {
            JsonElement e = required(field);
            if (!isNumber(e) || e.getAsDouble() != Math.rint(e.getAsDouble()) || e.getAsDouble() < 1) {
                throw error(field, "must be a positive integer, got " + e);
            }
            return e.getAsInt();
        }

        private JsonArray array(String field, int length) {
            JsonElement e = required(field);
            if (!e.isJsonArray() || e.getAsJsonArray().size() != length) {
                throw error(field, "must be an array of " + length + " numbers, got " + e);
            }
            return e.getAsJsonArray();
        }

        private int[] intArray(String field, int length) {
            JsonArray a = array(field, length);
            int[] out = new int[length];
            for (int i = 0; i < length; i++) {
                JsonElement v = a.get(i);
                if (!isNumber(v) || v.getAsDouble() != Math.rint(v.getAsDouble()) || v.getAsDouble() < 1) {
                    throw error(field, "must hold positive integers, got " + a);
                }
                out[i] = v.getAsInt();
            }
            return out;
        }

        private double[] doubleArray(String field, int length) {
            JsonArray a = array(field, length);
            double[] out = new double[length];
            for (int i = 0; i < length; i++) {
                if (!isNumber(a.get(i))) {
                    throw error(field, "must hold numbers, got " + a);
                }
                out[i] = a.get(i).getAsDouble();
            }
            return out;
        }

        private List<String> labels() {
            JsonElement e = required("labels");
            if (!e.isJsonArray() || e.getAsJsonArray().isEmpty()) {
                throw error("labels", "must be a non-empty array of class names, got " + e);
            }
            List<String> out = new ArrayList<>();
            for (JsonElement l : e.getAsJsonArray()) {
                if (!l.isJsonPrimitive() || !l.getAsJsonPrimitive().isString()) {
                    throw error("labels", "must hold strings, got " + l);
                }
                out.add(l.getAsString());
            }
            return out;
        }

        private static boolean isNumber(JsonElement e) {
            return e.isJsonPrimitive() && ((JsonPrimitive) e).isNumber();
        }

        private ModelCardException error(String field, String problem) {
            return new ModelCardException("model card " + card + ": field '" + field + "' " + problem);
        }
    }
}
