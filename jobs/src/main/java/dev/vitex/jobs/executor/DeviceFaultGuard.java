package dev.vitex.jobs.executor;

import dev.vitex.core.pipeline.DeviceFaultException;
import java.util.Iterator;

/**
 * A task's rows, with the reaction to a broken device: the cached model is dropped (its CUDA context
 * is unusable; later tasks of this executor load it afresh) and the exception is rethrown, so the task
 * fails and Spark retries it, possibly elsewhere. Out-of-memory never gets here (it is backed off in
 * core's GroupExplainer), and CPU failures are not device faults.
 */
final class DeviceFaultGuard<T> implements Iterator<T> {
    private final Iterator<T> rows;
    private final Runnable evict;

    DeviceFaultGuard(Iterator<T> rows, Runnable evict) {
        this.rows = rows;
        this.evict = evict;
    }

    @Override
    public boolean hasNext() {
        try {
            return rows.hasNext();
        } catch (DeviceFaultException e) {
            evict.run();
            throw e;
        }
    }

    @Override
    public T next() {
        try {
            return rows.next();
        } catch (DeviceFaultException e) {
            evict.run();
            throw e;
        }
    }
}
