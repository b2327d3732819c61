package dev.vitex.jobs.bench;

import java.util.function.LongSupplier;

/** Work done per second: {@code units} of work in {@code seconds} of wall time. */
record Rate(double units, double seconds) {
    double perSecond() {
        return units / seconds;
    }

    /** The rate of several measurements taken together (their units over their time). */
    static Rate total(Rate... rates) {
        double units = 0;
        double seconds = 0;
        for (Rate r : rates) {
            units += r.units();
            seconds += r.seconds();
        }
        return new Rate(units, seconds);
    }

    /**
     * Runs {@code step} (which returns the units it did) until at least {@code minSeconds} have passed
     * and at least {@code minRuns} runs were made; one untimed run first warms up libtorch's allocator and JIT.
     */
    static Rate measure(LongSupplier step, double minSeconds, int minRuns) {
        step.getAsLong();
        return measureCold(step, minSeconds, minRuns);
    }

    /** As {@link #measure}, without the untimed first run (the caller warmed up already). */
    static Rate measureCold(LongSupplier step, double minSeconds, int minRuns) {
        long start = System.nanoTime();
        long units = 0;
        int runs = 0;
        double elapsed;
        do {
            units += step.getAsLong();
            runs++;
            elapsed = (System.nanoTime() - start) / 1e9;
        } while (elapsed < minSeconds || runs < minRuns);
        return new Rate(units, elapsed);
    }
}
