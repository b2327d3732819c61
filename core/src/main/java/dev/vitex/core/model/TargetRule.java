package dev.vitex.core.model;

import dev.vitex.core.model.TargetSelector.ClassScores;
import java.io.Serializable;
import java.util.List;

/**
 * Which classes are explained per image: the predicted class, the image's label, the top K classes
 * or one fixed class. {@code text} is how the user wrote it (it goes into the run's fingerprint).
 */
public record TargetRule(Kind kind, int k, int fixedClass, String text) implements Serializable {

    public enum Kind { PREDICTED, LABEL, TOP, CLASS }

    public static TargetRule predicted() {
        return new TargetRule(Kind.PREDICTED, 1, -1, "predicted");
    }

    public static TargetRule label() {
        return new TargetRule(Kind.LABEL, 1, -1, "label");
    }

    public static TargetRule top(int k) {
        return new TargetRule(Kind.TOP, k, -1, "top:" + k);
    }

    /** @param text the class as the user named it (a label or an index) */
    public static TargetRule fixed(int index, String text) {
        return new TargetRule(Kind.CLASS, 1, index, text);
    }

    /** Whether every image needs a label (an image without one, or with an unknown one, fails). */
    public boolean needsLabel() {
        return kind == Kind.LABEL;
    }

    /** Rows per image (before resume skips). */
    public int count() {
        return kind == Kind.TOP ? k : 1;
    }

    /**
     * The classes explained for one image. {@code labelIndex} is the resolved label (only used by
     * LABEL; an unknown label is an error of the image before this is asked).
     */
    public int[] targets(ClassScores scores, int labelIndex) {
        return switch (kind) {
            case PREDICTED -> new int[] {scores.predicted()};
            case LABEL -> new int[] {labelIndex};
            case TOP -> scores.top(k);
            case CLASS -> new int[] {fixedClass};
        };
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

    /** The first labels, for messages: "(cat, dog, … 1000 in all)". */
    public static String labelsHint(List<String> labels) {
        List<String> shown = labels.size() > 12 ? labels.subList(0, 12) : labels;
        return "(" + String.join(", ", shown) + (labels.size() > 12 ? ", … " + labels.size() + " in all" : "") + ")";
    }
}
