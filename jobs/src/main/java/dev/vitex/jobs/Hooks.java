package dev.vitex.jobs;

/** Where `vitex bench` finds the benchmark (it lives in the same jar but is its own command line). */
public final class Hooks {
    /**
     * The class `vitex bench` runs: a picocli command (run in this JVM, its exit status returned),
     * or any class with {@code main(String[])}.
     */
    public static final String BENCH_CLASS = "dev.vitex.jobs.bench.Bench";

    private Hooks() {}

    /** The benchmark's main class, or null when this build has none. */
    public static Class<?> benchClass() {
        try {
            return Class.forName(BENCH_CLASS);
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }
}
