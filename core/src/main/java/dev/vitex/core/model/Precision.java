package dev.vitex.core.model;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The floating-point type the model's parameters and activations run in (option {@code precision}).
 * Inputs go in and scores come out as float32 whatever the precision: a low-precision TorchScript
 * variant casts at its boundary (scripts/precision_variant.py), so its input gradients are taken in
 * the low type and arrive as float32. Which file serves a precision is the card's business
 * ({@link ModelCard#fileFor}).
 */
public enum Precision {
    FP32, BF16, FP16;

    /** Why fp16 is refused on a CPU device (VitModel on load, the driver before a local run). */
    public static final String FP16_NEEDS_GPU = "precision fp16 needs a CUDA device; on CPU use bf16";

    /** The option's spelling: fp32, bf16, fp16 (also the card's {@code precisions} keys). */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static List<String> configNames() {
        return Arrays.stream(values()).map(Precision::configName).toList();
    }

    /** The precision named {@code text} (case-insensitive); IllegalArgumentException lists the choices. */
    public static Precision parse(String text) {
        for (Precision p : values()) {
            if (p.configName().equalsIgnoreCase(text.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("precision must be one of " + String.join(", ", configNames())
                + ", got \"" + text + "\"");
    }
}
