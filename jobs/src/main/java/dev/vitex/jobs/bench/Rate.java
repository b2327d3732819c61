package dev.vitex.jobs.bench;

/** Work done per second: {@code units} of work in {@code seconds} of wall time. */
record Rate(double units, double seconds) {
    double perSecond() {
        return units / seconds;
    }

    /**
     * Runs {@code step} (which returns the units it did) until at least {@code minSeconds} have passed
     * and at least {@code minRuns} runs were made; one untimed run first warms up libtorch's allocator and JIT.
     */
    static Rate measure(java.util.function.LongSupplier step, double minSeconds, int minRuns) {
        step.getAsLong();
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
