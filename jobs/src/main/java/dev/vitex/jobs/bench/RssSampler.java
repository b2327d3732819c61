package dev.vitex.jobs.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Samples this process's resident set size (Linux /proc/self/status, VmRSS) every
 * {@code periodMs} on a daemon thread: JVM heap, libtorch's native memory and Spark's together —
 * and the JVM heap's committed size with it, so that the rest (libtorch, direct buffers, metaspace,
 * thread stacks) can be followed on its own: a heap that grows towards -Xmx is not a leak.
 */
final class RssSampler implements AutoCloseable {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    private final List<long[]> samples = new ArrayList<>(); // {nanoTime, RSS kB, JVM heap committed kB}
    private final Thread thread;
    private volatile boolean running = true;

    RssSampler(long periodMs) {
        thread = new Thread(() -> {
            while (running) {
                long kb = currentKb();
                long heapKb = MEMORY.getHeapMemoryUsage().getCommitted() / 1024;
                synchronized (samples) {
                    samples.add(new long[] {System.nanoTime(), kb, heapKb});
                }
                try {
                    Thread.sleep(periodMs);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "vitex-rss-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    /** VmRSS in kB now, or -1 where /proc is not there. */
    static long currentKb() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** Peak RSS between {@code fromNanos} and {@code toNanos}, in MB; -1 without samples. */
    double peakMb(long fromNanos, long toNanos) {
        return peak(fromNanos, toNanos, false);
    }

    /** Peak of RSS minus the JVM heap's committed size (everything but the heap), in MB; -1 without samples. */
    double peakOutsideHeapMb(long fromNanos, long toNanos) {
        return peak(fromNanos, toNanos, true);
    }

    /** Peaks in each of {@code parts} equal slices of [from, to], in MB. */
    double[] peaksMb(long fromNanos, long toNanos, int parts, boolean outsideHeap) {
        double[] out = new double[parts];
        long step = (toNanos - fromNanos) / parts;
        for (int i = 0; i < parts; i++) {
            out[i] = peak(fromNanos + i * step, i == parts - 1 ? toNanos : fromNanos + (i + 1) * step, outsideHeap);
        }
        return out;
    }

    private double peak(long fromNanos, long toNanos, boolean outsideHeap) {
        long peak = -1;
        synchronized (samples) {
            for (long[] s : samples) {
                if (s[0] >= fromNanos && s[0] <= toNanos && s[1] >= 0) {
                    peak = Math.max(peak, outsideHeap ? s[1] - s[2] : s[1]);
                }
            }
        }
        return peak < 0 ? -1 : peak / 1024.0;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
