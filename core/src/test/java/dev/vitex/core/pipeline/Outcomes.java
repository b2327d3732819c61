package dev.vitex.core.pipeline;

import dev.vitex.core.pipeline.ImageOutcome.Explained;
import dev.vitex.core.pipeline.ImageOutcome.Failed;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The pipeline tests' views of a group's outcomes. */
final class Outcomes {
    private Outcomes() {}

    /** Explained rows keyed {@code image id|method|target}, in outcome order. */
    static Map<String, Explained> explained(GroupResult r) {
        Map<String, Explained> m = new LinkedHashMap<>();
        for (ImageOutcome o : r.outcomes()) {
            if (o instanceof Explained e) {
                m.put(e.image().id() + "|" + e.attribution().method() + "|" + e.attribution().target(), e);
            }
        }
        return m;
    }

    static List<Failed> failures(GroupResult r) {
        return r.outcomes().stream().filter(o -> o instanceof Failed).map(o -> (Failed) o).toList();
    }
}
