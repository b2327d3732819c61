package dev.vitex.core.method;

import dev.vitex.core.grid.Granularity;
import java.util.List;

/** One attribution method: given preprocessed images and their targets, one {@link Attribution} per image and target. */
public interface Explainer {
    /** The command-line name, e.g. {@code integrated_gradients}. */
    String name();

    /** Canonical JSON of the parameters (sorted keys; the run seed included for stochastic methods). */
    String params(ExplainContext context);

    /**
     * Refuses, with an {@link IllegalArgumentException} naming the fix, settings this method cannot
     * serve at {@code granularity} (checked by the driver before any image is read).
     */
    default void validate(Granularity granularity) {}

    /** Attributions for every item and target, items in order, each item's targets in order. */
    List<Attribution> explain(ExplainContext context, List<ExplainItem> items);
}
