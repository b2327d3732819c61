package dev.vitex.core.aggregate;

import java.util.Arrays;
import java.util.Locale;

/** How a C×H×W map becomes H×W, after per-channel statistics (methods.md § Channel reduction). */
public enum ChannelReduce {
    MEAN,
    SUM,
    ABS_MEAN,
    MAX_ABS;

    public static ChannelReduce parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("channel_reduce must be one of "
                    + Arrays.stream(values()).map(ChannelReduce::cliName).toList() + ", got \"" + value + "\"");
        }
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public float[] apply(double[] chw, int channels, int height, int width) {
        int plane = height * width;
        float[] out = new float[plane];
        for (int i = 0; i < plane; i++) {
            double acc = 0.0;
            for (int c = 0; c < channels; c++) {
                double v = chw[c * plane + i];
                acc = switch (this) {
                    case MEAN, SUM -> acc + v;
                    case ABS_MEAN -> acc + Math.abs(v);
                    case MAX_ABS -> Math.max(acc, Math.abs(v));
                };
            }
            out[i] = (float) (this == MEAN || this == ABS_MEAN ? acc / channels : acc);
        }
        return out;
    }
}
