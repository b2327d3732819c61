package dev.vitex.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import dev.vitex.jobs.config.JobConfig;
import dev.vitex.jobs.config.Option;
import dev.vitex.jobs.config.Options;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The options are declared once ({@link Options}); the documented default file, {@code --help} and
 * the README's configuration table must say the same (names and defaults). Each test fails on the
 * first disagreement and says what to change.
 */
class OptionsTest {
    /** Options that take their values through the layer options rather than a flag of their own. */
    private static final Map<String, String> LAYER_FLAGS = Map.of("params", "--param METHOD.NAME=VALUE",
            "spark", "--conf SPARK_KEY=VALUE");
    /** Options of run/demo that are not keys: layers, and picocli's own. */
    private static final Set<String> NOT_KEYS = Set.of("--param", "--config", "--set", "--conf", "--help", "--version");

    @Test
    void confFileHasEveryDeclaredKeyWithItsDefault() throws IOException {
        String text = Files.readString(JobTests.root().resolve("conf/vitex.conf"));
        Config conf = ConfigFactory.parseString(text).getConfig(JobConfig.ROOT);
        List<Option<?>> declared = Stream.concat(Options.ALL.stream(), Options.DEMO.stream()).toList();
        for (Option<?> o : declared) {
            assertTrue(conf.hasPath(o.key()), "conf/vitex.conf lacks vitex." + o.key() + " = " + o.hoconDefault());
            ConfigValue inFile = conf.getValue(o.key());
            assertEquals(ConfigValueFactory.fromAnyRef(o.defaultValue()), inFile, "conf/vitex.conf: vitex." + o.key() + " = "
                    + inFile.render(ConfigRenderOptions.concise()) + " but its declaration says " + o.hoconDefault());
            if (o.onCommandLine()) {
                assertTrue(text.contains("# " + o.flag()), "conf/vitex.conf does not document " + o.flag() + " (a comment '# "
                        + o.flag() + " ...' above vitex." + o.key() + ")");
            }
        }
        for (var e : conf.entrySet()) {
            boolean known = declared.stream().anyMatch(o -> e.getKey().equals(o.key())
                    || o.defaultValue() instanceof Map && e.getKey().startsWith(o.key() + "."));
            assertTrue(known, "conf/vitex.conf has vitex." + e.getKey() + ", which no option declares (dev.vitex.jobs.config.Options)");
        }
    }

    @Test
    void helpListsEveryCommandLineOptionWithItsDefault() {
        for (String command : List.of("run", "demo")) {
            String help = run(command, "--help").replaceAll("\\s+", ""); // picocli wraps lines, also after '.' and ','

            Set<String> expected = new TreeSet<>(NOT_KEYS);
            for (Option<?> o : Options.commandLine()) {
                expected.add(o.flag());
                String line = o.helpLine().replaceAll("\\s+", "");
                assertTrue(help.contains(line), command + " --help lacks \"" + line + "\" for " + o.flag() + ":\n" + run(command, "--help"));
            }
            Set<String> shown = new TreeSet<>();
            Matcher m = Pattern.compile("(?:^|\\s)(?:-[a-zA-Z], )?--(?:\\[no-\\])?([a-z][a-z-]*)(?:=|\\s)").matcher(" " + run(command, "--help"));
            while (m.find()) {
                shown.add("--" + m.group(1));
            }
            assertTrue(shown.containsAll(expected), command + " --help: missing " + minus(expected, shown));
            assertTrue(expected.containsAll(shown), command + " --help: not declared: " + minus(shown, expected));
        }
    }

    @Test
    void readmeTableHasOneRowPerOptionWithItsDefault() throws IOException {
        List<String> readme = Files.readAllLines(JobTests.root().resolve("README.md"));
        int header = readme.indexOf("| command line | key (under `vitex`) | default | meaning |");
        assertTrue(header >= 0, "README.md § Configuration: no table headed '| command line | key (under `vitex`) | default | meaning |'");
        List<String> rows = new ArrayList<>();
        for (int i = header + 2; i < readme.size() && readme.get(i).startsWith("|"); i++) {
            rows.add(readme.get(i));
        }
        List<String> expected = Options.ALL.stream().map(OptionsTest::readmeRow).toList();
        if (!rows.equals(expected)) {
            fail("README.md § Configuration: the table disagrees with the declarations (dev.vitex.jobs.config.Options); it should be:\n"
                    + String.join("\n", expected));
        }
    }

    /** One README row: command line, key, default, meaning (cells escape '|'). */
    static String readmeRow(Option<?> o) {
        String flag = o.onCommandLine() ? (o.flag() + (o.label().isEmpty() ? "" : " " + o.label()))
                : LAYER_FLAGS.getOrDefault(o.key(), "--set " + o.key() + "=…");
        String shown = o.shown() == null ? "`" + o.shownDefault() + "`" : o.shownDefault();
        return "| " + String.join(" | ", List.of("`" + flag + "`", "`" + o.key() + "`", shown, o.help()))
                .replaceAll("(?<=[^ ])\\|(?=[^ ])", "\\\\|") + " |";
    }

    private static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.removeAll(b);
        return out;
    }

    private static String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = AttributionJob.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }
}
