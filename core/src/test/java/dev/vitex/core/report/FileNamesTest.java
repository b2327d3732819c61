package dev.vitex.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FileNamesTest {
    private static final List<String> NASTY = List.of(
            "../../etc/passwd", "/etc/passwd", "..\\..\\windows\\win.ini", "C:\\temp\\x.png", "..", ".", "",
            ".hidden.png", "a/../../b.png", "square/img_00.png", "square_img_00.png", "square?img_00.png",
            "Square/img_00.png", "A.png", "a.png", "<script>alert(1)</script>.png", "caf\u00e9 \u2615.jpg",
            "x".repeat(500), "-rf", "con.png.", "a\u0000b", "%2e%2e%2fescape");

    @Test
    void everyStemIsOnePlainFileNameInsideTheFolder() {
        Path root = Path.of("/report/img").toAbsolutePath();
        Map<String, String> stems = FileNames.stems(NASTY);
        for (Map.Entry<String, String> e : stems.entrySet()) {
            String stem = e.getValue();
            assertTrue(stem.matches("[A-Za-z0-9._-]+"), "id " + e.getKey() + " -> " + stem);
            assertFalse(stem.contains(".."), stem);
            assertFalse(stem.startsWith(".") || stem.startsWith("-"), stem);
            assertTrue(stem.length() <= FileNames.MAX_STEM, stem.length() + " chars");
            assertTrue(FileNames.isSafe(stem), stem);
            Path p = root.resolve(stem + ".png").normalize();
            assertEquals(root, p.getParent(), "id " + e.getKey() + " escapes to " + p);
        }
    }

    @Test
    void distinctIdsNeverShareAFileEvenIgnoringCase() {
        Map<String, String> stems = FileNames.stems(NASTY);
        Set<String> seen = new HashSet<>();
        for (String s : stems.values()) {
            assertTrue(seen.add(s.toLowerCase(Locale.ROOT)), "collision on " + s);
        }
        // These three sanitise to the same base; each keeps a distinct hash suffix.
        assertNotEquals(stems.get("square/img_00.png"), stems.get("square?img_00.png"));
        assertTrue(stems.get("square/img_00.png").startsWith("square_img_00.png-"), stems.get("square/img_00.png"));
        // "square_img_00.png" is clean but clashes with the sanitised "square/img_00.png", so it is hashed too.
        assertTrue(stems.get("square_img_00.png").matches("square_img_00\\.png-[0-9a-f]{8}"), stems.get("square_img_00.png"));
        // Case-only clash (macOS, Windows): both hashed.
        assertNotEquals(stems.get("A.png").toLowerCase(Locale.ROOT), stems.get("a.png").toLowerCase(Locale.ROOT));
    }

    @Test
    void cleanUniqueIdsKeepTheirNameAndTheResultDoesNotDependOnOrder() {
        assertEquals("img_01.png", FileNames.stems(List.of("img_01.png", "img_02.png")).get("img_01.png"));
        List<String> shuffled = new ArrayList<>(NASTY);
        Collections.shuffle(shuffled, new java.util.Random(7));
        Map<String, String> a = FileNames.stems(NASTY);
        Map<String, String> b = FileNames.stems(shuffled);
        for (String id : NASTY) {
            assertEquals(a.get(id), b.get(id), id);
        }
    }

    @Test
    void anIdEqualToAnotherIdsHashedStemStillGetsItsOwnFile() {
        String hashed = FileNames.stems(List.of("a/b")).get("a/b"); // a_b-<hash>
        Map<String, String> stems = FileNames.stems(List.of("a/b", hashed));
        assertNotEquals(stems.get("a/b"), stems.get(hashed));
    }

    @Test
    void sanitiseCases() {
        assertEquals("etc_passwd", FileNames.sanitise("../../etc/passwd"));
        assertEquals("etc_passwd", FileNames.sanitise("/etc/passwd"));
        assertEquals("windows_win.ini", FileNames.sanitise("..\\..\\windows\\win.ini"));
        assertEquals("image", FileNames.sanitise(".."));
        assertEquals("image", FileNames.sanitise(""));
        assertEquals("a_.b.png", FileNames.sanitise("a/...b.png"));
    }
}
