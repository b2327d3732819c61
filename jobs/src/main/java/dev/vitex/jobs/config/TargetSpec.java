package dev.vitex.jobs.config;

import dev.vitex.core.model.ModelCard;
import dev.vitex.core.model.TargetRule;
import java.util.List;
import java.util.Locale;

/**
 * Parses {@code --targets} ({@code predicted}, {@code label}, {@code top:K} or one fixed
 * {@code CLASS}, a card label or an index) into a {@link TargetRule}, checked against the card.
 */
public final class TargetSpec {
    private TargetSpec() {}

    /** Parses and checks against the card; {@link ConfigException} says what is allowed. */
    public static TargetRule parse(String value, ModelCard card) {
        String v = value == null ? "" : value.trim();
        String lower = v.toLowerCase(Locale.ROOT);
        if (lower.equals("predicted")) {
            return TargetRule.predicted();
        }
        if (lower.equals("label")) {
            return TargetRule.label();
        }
        if (lower.startsWith("top:")) {
            String n = v.substring(4).trim();
            int k;
            try {
                k = Integer.parseInt(n);
            } catch (NumberFormatException e) {
                throw new ConfigException("--targets top:K needs an integer K ≥ 1, got \"" + v + "\"");
            }
            if (k < 1 || k > card.numClasses()) {
                throw new ConfigException("--targets top:K needs 1 ≤ K ≤ " + card.numClasses()
                        + " (the model's classes), got " + k);
            }
            return TargetRule.top(k);
        }
        if (v.isEmpty()) {
            throw new ConfigException("--targets must be predicted, label, top:K or a class name or index, got \"\"");
        }
        int index = classIndex(v, card.labels());
        if (index < 0) {
            throw new ConfigException("--targets \"" + v + "\" is neither predicted, label, top:K, a class of the model "
                    + labelsHint(card.labels()) + " nor a class index 0.." + (card.numClasses() - 1));
        }
        return TargetRule.fixed(index, v);
    }

    public static int classIndex(String value, List<String> labels) {
        return TargetRule.classIndex(value, labels);
    }

    public static String labelsHint(List<String> labels) {
        return TargetRule.labelsHint(labels);
    }
}
