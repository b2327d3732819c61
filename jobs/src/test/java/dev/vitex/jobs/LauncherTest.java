package dev.vitex.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/vitex} on a copy of the repository with one broken source file: the build fails at
 * compile, and the launcher says so in one line (with the first compiler error) and exits 2, as the
 * README promises; Maven's output goes to a log file, not to the terminal.
 */
class LauncherTest {
    private static final String BROKEN = "core/src/main/java/dev/vitex/core/grid/Granularity.java";

    @TempDir
    Path tmp;

    @Test
    void aFailedBuildIsOneLineAndStatus2() throws Exception {
        Path copy = tmp.resolve("vitex");
        copyTrackedFiles(JobTests.root(), copy);
        Path broken = copy.resolve(BROKEN);
        Files.writeString(broken, Files.readString(broken) + "\nthis is not Java\n");

        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        ProcessBuilder pb = new ProcessBuilder(copy.resolve("scripts/vitex").toString(), "demo")
                .directory(copy.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("MAVEN_ARGS", "-o"); // everything the build needs is in ~/.m2 already
        pb.environment().remove("VITEX_NO_BUILD");
        Process p = pb.start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            fail("scripts/vitex demo did not finish within 300 s");
        }
        List<String> lines = Files.readAllLines(err, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
        String all = String.join("\n", lines);
        assertEquals(2, p.exitValue(), "exit status of a failed build; stderr:\n" + all);
        List<String> failed = lines.stream().filter(l -> l.startsWith("vitex: the build failed")).toList();
        assertEquals(1, failed.size(), "one line says the build failed; stderr:\n" + all);
        assertTrue(failed.get(0).contains("Granularity.java"), "it names the broken file: " + failed.get(0));
        assertTrue(lines.stream().allMatch(l -> l.startsWith("vitex: ")), "only the launcher's own lines, no Maven dump:\n" + all);
        assertTrue(lines.size() <= 2, "the 'building it now' notice and the failure, nothing else:\n" + all);
        assertEquals("", Files.readString(out), "nothing on stdout");
        assertTrue(Files.readString(copy.resolve("jobs/target/vitex-build.log")).contains("Granularity.java"),
                "Maven's output is kept in the log the line points to");
    }

    /** The files git tracks (so no target/ and no earlier outputs), executable bits kept. */
    private static void copyTrackedFiles(Path root, Path to) throws IOException, InterruptedException {
        Process git = new ProcessBuilder("git", "ls-files", "-z").directory(root.toFile()).redirectErrorStream(false).start();
        String listing = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, git.waitFor(), "git ls-files in " + root);
        for (String name : listing.split("\0")) {
            Path from = root.resolve(name);
            if (name.isEmpty() || !Files.isRegularFile(from)) {
                continue; // deleted in the work tree but not yet committed
            }
            Path dest = to.resolve(name);
            Files.createDirectories(dest.getParent());
            Files.copy(from, dest, StandardCopyOption.COPY_ATTRIBUTES);
        }
    }
}
