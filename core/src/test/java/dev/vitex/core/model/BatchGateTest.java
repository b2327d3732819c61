package dev.vitex.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Real threads through the gate: never more than the limit inside at once, and the limit is reached. */
class BatchGateTest {
    private static final int THREADS = 6;

    /** The largest number of THREADS × 4 "batches" (each 20 ms inside) that were inside the gate at once. */
    private static int peakInside(BatchGate gate) throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 4; i++) {
                        gate.run(() -> {
                            peak.accumulateAndGet(inside.incrementAndGet(), Math::max);
                            sleep(20);
                            inside.decrementAndGet();
                            return null;
                        });
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS); // bounded: a gate that never lets a thread in fails here
            }
        } finally {
            pool.shutdownNow();
        }
        return peak.get();
    }

    @Test
    void oneBatchAtATime() throws Exception {
        assertEquals(1, peakInside(BatchGate.of(1)));
    }

    @Test
    void twoBatchesAtATime() throws Exception {
        assertEquals(2, peakInside(BatchGate.of(2)));
    }

    @Test
    void unlimitedLetsEveryThreadIn() throws Exception {
        int peak = peakInside(BatchGate.UNLIMITED);
        assertTrue(peak > 2, "peak " + peak + " with " + THREADS + " threads and no limit");
    }

    @Test
    void aBatchThatThrowsReleasesItsPermit() throws Exception {
        BatchGate gate = BatchGate.of(1);
        assertThrows(IllegalStateException.class, () -> gate.run(() -> {
            throw new IllegalStateException("out of memory");
        }));
        assertEquals(1, peakInside(gate));
        assertThrows(IllegalArgumentException.class, () -> BatchGate.of(0));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
