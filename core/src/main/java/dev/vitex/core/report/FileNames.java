package dev.vitex.core.report;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Safe, unique file-name stems for image ids. Image ids are relative paths or arbitrary strings
 * from a Parquet column ({@code ../../etc/passwd}, {@code C:\x}, {@code <b>.png}), and they must
 * never choose where the report writes.
 *
 * <p>A stem uses only {@code [A-Za-z0-9._-]}, never starts with a dot or contains {@code ..}, and is
 * at most {@value #MAX_STEM} characters, so it is always one plain file name inside the report's
 * folder. An id that is already such a stem keeps it; any other id gets its sanitised form plus
 * {@code -} and the first 8 hex digits of its SHA-256, and so do ids whose stems would clash when
 * case is ignored (macOS and Windows file systems). The result depends only on the set of ids, not
 * on their order.
 */
public final class FileNames {
    /** Longest stem, leaving room for a method name and extension within common 255-byte limits. */
    public static final int MAX_STEM = 96;
    private static final int BASE_LIMIT = MAX_STEM - 9;

    private FileNames() {}

    /** Unique stems for {@code ids} (duplicates in the input share one stem), in the order given. */
    public static Map<String, String> stems(Collection<String> ids) {
        TreeSet<String> sorted = new TreeSet<>(ids);
        Map<String, String> base = new HashMap<>();
        Map<String, Integer> clashes = new HashMap<>();
        for (String id : sorted) {
            String b = sanitise(id);
            base.put(id, b);
            clashes.merge(b.toLowerCase(Locale.ROOT), 1, Integer::sum);
        }
        // First pass: clean, unique ids keep their name; the others get a hash suffix.
        Map<String, String> stem = new HashMap<>();
        for (String id : sorted) {
            String b = base.get(id);
            boolean keep = b.equals(id) && clashes.get(b.toLowerCase(Locale.ROOT)) == 1;
            stem.put(id, keep ? b : truncate(b, BASE_LIMIT) + "-" + hash(id, 8));
        }
        // Second pass, for constructed clashes (an id equal to another's hashed stem): longer
        // hashes in sorted-id order, so the outcome is still order-independent.
        Set<String> taken = new HashSet<>();
        for (String id : sorted) {
            String s = stem.get(id);
            int digits = 8;
            while (!taken.add(s.toLowerCase(Locale.ROOT))) {
                digits += 4;
                s = truncate(base.get(id), MAX_STEM - digits - 1) + "-" + hash(id, Math.min(digits, 64));
                if (digits > 64) {
                    throw new IllegalStateException("cannot find a unique file name for image id " + id);
                }
            }
            stem.put(id, s);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String id : ids) {
            out.put(id, stem.get(id));
        }
        return out;
    }

    /**
     * The lossy safe form of one id: path separators and every character outside
     * {@code [A-Za-z0-9._-]} become {@code _}, runs of dots collapse to one, leading dots, dashes and
     * underscores go, and an empty result becomes {@code image}.
     */
    public static String sanitise(String id) {
        StringBuilder sb = new StringBuilder(id.length());
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-');
            char out = ok ? c : '_';
            if (out == '.' && sb.length() > 0 && sb.charAt(sb.length() - 1) == '.') {
                continue; // no ".." anywhere
            }
            sb.append(out);
        }
        int start = 0;
        while (start < sb.length() && (sb.charAt(start) == '.' || sb.charAt(start) == '_' || sb.charAt(start) == '-')) {
            start++;
        }
        String s = sb.substring(start);
        s = truncate(s, MAX_STEM);
        return s.isEmpty() ? "image" : s;
    }

    /** Whether {@code name} is a safe plain file name by the rules above (for checks). */
    public static boolean isSafe(String name) {
        return !name.isEmpty() && name.length() <= MAX_STEM + 32 && name.matches("[A-Za-z0-9._-]+")
                && !name.startsWith(".") && !name.contains("..");
    }

    private static String truncate(String s, int max) {
        String t = s.length() <= max ? s : s.substring(0, max);
        while (t.endsWith(".")) {
            t = t.substring(0, t.length() - 1); // "a." + "-hash" is fine, but a trailing dot is not on Windows
        }
        return t;
    }

    /** The first {@code digits} hex digits of SHA-256(id). */
    static String hash(String id, int digits) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder(64);
            for (byte b : d) {
                sb.append(String.format(Locale.ROOT, "%02x", b));
            }
            return sb.substring(0, digits);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The full SHA-256 hex of {@code id} (the report's sampling order). */
    static String sha256(String id) {
        return hash(id, 64);
    }
}
