package dev.vitex.jobs.config;

import dev.vitex.core.model.TargetSelector.ClassScores;
import dev.vitex.core.model.ModelCard;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/**
 * Which classes are explained per image ({@code --targets}): {@code predicted}, {@code label},
 * {@code top:K} or one fixed {@code CLASS} (a card label or an index).
 */
public record TargetSpec(Kind kind, int k, int fixedClass, String text) implements Serializable {

    public enum Kind { PREDICTED, LABEL, TOP, CLASS }

    /** Parses and checks against the card; {@link ConfigException} says what is allowed. */
    public static TargetSpec parse(String value, ModelCard card) {
        String v = value == null ? "" : value.trim();
        String lower = v.toLowerCase(Locale.ROOT);
        if (lower.equals("predicted")) {
            return new TargetSpec(Kind.PREDICTED, 1, -1, "predicted");
        }
        if (lower.equals("label")) {
            return new TargetSpec(Kind.LABEL, 1, -1, "label");
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
            return new TargetSpec(Kind.TOP, k, -1, "top:" + k);
        }
        if (v.isEmpty()) {
            throw new ConfigException("--targets must be predicted, label, top:K or a class name or index, got \"\"");
        }
        int index = classIndex(v, card.labels());
        if (index < 0) {
            throw new ConfigException("--targets \"" + v + "\" is neither predicted, label, top:K, a class of the model "
                    + labelsHint(card.labels()) + " nor a class index 0.." + (card.numClasses() - 1));
        }
        return new TargetSpec(Kind.CLASS, 1, index, v);
    }

    /** A label or index to a class index, or −1: exact label first, then case-insensitive, then a number. */
    public static int classIndex(String value, List<String> labels) {
        String v = value.trim();
        int exact = labels.indexOf(v);
        if (exact >= 0) {
            return exact;
        }
        for (int i = 0; i < labels.size(); i++) {
            if (labels.get(i).equalsIgnoreCase(v)) {
                return i;
            }
        }
        if (v.matches("\\d{1,9}")) {
            int i = Integer.parseInt(v);
            return i < labels.size() ? i : -1;
        }
        return -1;
    }

    public static String labelsHint(List<String> labels) {
        List<String> shown = labels.size() > 12 ? labels.subList(0, 12) : labels;
        return "(" + String.join(", ", shown) + (labels.size() > 12 ? ", … " + labels.size() + " in all" : "") + ")";
    }

    /** Rows per image (before resume skips). */
    public int count() {
        return kind == Kind.TOP ? k : 1;
    }

    /**
     * The classes explained for one image. {@code labelIndex} is the resolved label (only used by
     * LABEL; the caller turns an unknown label into an error row first).
     */
    public int[] targets(ClassScores scores, int labelIndex) {
        return switch (kind) {
            case PREDICTED -> new int[] {scores.predicted()};
            case LABEL -> new int[] {labelIndex};
            case TOP -> scores.top(k);
            case CLASS -> new int[] {fixedClass};
        };
    }
}
