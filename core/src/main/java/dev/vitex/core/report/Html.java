package dev.vitex.core.report;

/**
 * Escaping for the report's markup. Everything that comes from data (image ids, labels, error
 * messages, run ids) goes through {@link #text}; nothing from data is ever written raw, so an image
 * id like {@code <script>} is shown, not run.
 */
final class Html {
    private Html() {}

    /** Escapes text for element content and double-quoted attribute values (XML-safe as well). */
    static String text(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> {
                    // Control characters are not allowed in XML 1.0; show them as U+FFFD.
                    boolean control = c < 0x20 && c != '\n' && c != '\t' && c != '\r';
                    sb.append(control || c == 0xFFFE || c == 0xFFFF ? '\uFFFD' : c);
                }
            }
        }
        return sb.toString();
    }
}
