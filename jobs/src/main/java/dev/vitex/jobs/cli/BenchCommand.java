package dev.vitex.jobs.cli;

import dev.vitex.jobs.bench.Bench;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Unmatched;

/** {@code vitex bench ARGS}: everything after {@code bench} goes to the benchmark's own command line ({@link Bench}). */
@Command(name = "bench", description = "Benchmarks methods against plain inference (see: vitex bench --help).")
final class BenchCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", paramLabel = "ARGS", description = "Passed to the benchmark (see: vitex bench --help).")
    List<String> args = new ArrayList<>();

    @Unmatched
    List<String> unmatched = new ArrayList<>();

    @Option(names = {"-h", "--help"}, description = "Passed to the benchmark.")
    boolean help;

    @ParentCommand
    VitexCommand parent;

    @Override
    public Integer call() {
        List<String> a = new ArrayList<>(args);
        a.addAll(unmatched);
        if (help) {
            a.add(0, "--help");
        }
        CommandLine bench = new CommandLine(new Bench());
        bench.setOut(new PrintWriter(parent.out, true));
        bench.setErr(new PrintWriter(parent.err, true));
        return bench.execute(a.toArray(String[]::new));
    }

    /** Everything after {@code bench} is the benchmark's, even what looks like an option of vitex. */
    static void passEverythingThrough(CommandLine vitex) {
        CommandLine bench = vitex.getSubcommands().get("bench");
        bench.setUnmatchedOptionsArePositionalParams(true);
        bench.setUnmatchedArgumentsAllowed(true);
    }
}
