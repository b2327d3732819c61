package dev.vitex.core.pipeline;

import dev.vitex.core.method.ExplainContext;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link GroupExplainer}'s batched engine calls at the task's current model batch: an
 * out-of-memory halves the batch ({@link BatchBudget}) and runs the call again (down to 1, then it
 * is thrown); a broken device becomes a {@link DeviceFaultException}. Not thread-safe.
 */
final class EngineCalls {
    private static final Logger LOG = LoggerFactory.getLogger("vitex");
    private final ExplainContext context;
    private final BatchBudget budget;

    EngineCalls(ExplainContext context) {
        this.context = context;
        this.budget = new BatchBudget(context.batchSize());
    }

    /** The context at the current batch size (smaller than configured after an out-of-memory). */
    ExplainContext context() {
        return context.withBatchSize(budget.current());
    }

    BatchBudget.Usage usage() {
        return budget.usage();
    }

    /** One batched engine call, {@code what} naming it in logs and device faults. */
    <T> T call(String what, Function<ExplainContext, T> call) {
        while (true) {
            try {
                return call.apply(context());
            } catch (RuntimeException e) {
                if (EngineFaults.isDeviceFault(e)) {
                    throw new DeviceFaultException(what, e);
                }
                int size = budget.current();
                if (!EngineFaults.isOutOfMemory(e) || !budget.halve()) {
                    throw e;
                }
                LOG.warn("{}: engine out of memory at model batch {}, retrying at {}: {}", what, size, budget.current(),
                        Failures.describe(e));
            }
        }
    }
}
