package dev.vitex.jobs.style;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The import style of the main sources of both modules (issue #11): one import block per file,
 * static imports first, each group sorted; no fully qualified class name inline in code unless
 * its simple name is taken by another class the file uses (Hadoop's and java.nio's {@code Path}, or a
 * class of the file's own package).
 */
class ImportStyleTest {
    private static final Pattern IMPORT = Pattern.compile("^import (static )?([\\w.$]+(?:\\.\\*)?);$");
    private static final Pattern INLINE = Pattern.compile(
            "(?<![\\w.@\"])((?:java|javax|org|com|ai|scala|dev)\\.(?:[a-z_]\\w*\\.)+)([A-Z]\\w*)");

    @Test
    void importsAreOneSortedBlockAndCodeUsesSimpleNames() throws IOException {
        Path root = Path.of(System.getProperty("user.dir")).getParent(); // jobs/ → the repository
        List<String> problems = new ArrayList<>();
        int files = 0;
        for (String module : List.of("core", "jobs")) {
            try (Stream<Path> all = Files.walk(root.resolve(module).resolve("src/main/java"))) {
                for (Path f : all.filter(p -> p.toString().endsWith(".java")).toList()) {
                    files++;
                    List<String> siblings;
                    try (Stream<Path> here = Files.list(f.getParent())) {
                        siblings = here.map(p -> p.getFileName().toString().replace(".java", "")).toList();
                    }
                    check(root.relativize(f).toString(), Files.readAllLines(f), siblings, problems);
                }
            }
        }
        assertTrue(files > 100, "only " + files + " source files found under " + root);
        assertTrue(problems.isEmpty(), problems.size() + " import style problem(s):\n" + String.join("\n", problems));
    }

    static void check(String file, List<String> lines, List<String> siblings, List<String> problems) {
        List<String> statics = new ArrayList<>();
        List<String> plain = new ArrayList<>();
        Map<String, String> simpleNames = new HashMap<>();
        int first = -1;
        int last = -1;
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = IMPORT.matcher(lines.get(i));
            if (m.matches()) {
                (m.group(1) != null ? statics : plain).add(m.group(2));
                if (m.group(1) == null) {
                    String name = m.group(2);
                    simpleNames.put(name.substring(name.lastIndexOf('.') + 1), name);
                }
                first = first < 0 ? i : first;
                last = i;
            }
        }
        if (first >= 0) {
            List<String> block = lines.subList(first, last + 1);
            List<String> expected = new ArrayList<>();
            statics.stream().sorted().forEach(s -> expected.add("import static " + s + ";"));
            if (!statics.isEmpty() && !plain.isEmpty()) {
                expected.add("");
            }
            plain.stream().sorted().forEach(s -> expected.add("import " + s + ";"));
            if (!block.equals(expected)) {
                problems.add(file + ": imports are not one block, static first, each group sorted");
            }
        }
        boolean inComment = false;
        for (int i = last + 1; i < lines.size(); i++) {
            String code = lines.get(i).strip();
            if (code.startsWith("/*")) {
                inComment = true;
            }
            boolean comment = inComment || code.startsWith("*") || code.startsWith("//");
            if (code.contains("*/")) {
                inComment = false;
            }
            if (comment) {
                continue;
            }
            Matcher m = INLINE.matcher(lines.get(i).replaceAll("\"([^\"\\\\]|\\\\.)*\"", "\"\""));
            while (m.find()) {
                String simple = m.group(2);
                String imported = simpleNames.get(simple);
                boolean clash = imported != null && !imported.equals(m.group(1) + simple)
                        || imported == null && siblings.contains(simple) && !file.replace('/', '.').contains(m.group(1) + simple);
                if (!clash) {
                    problems.add(file + ":" + (i + 1) + ": " + m.group(1) + simple + " written inline (import it)");
                }
            }
        }
    }
}
