package dev.vitex.core.pipeline;

/** One line about an exception for an error row: its message (or class), and its cause's when that adds something. */
public final class Failures {
    private Failures() {}

    public static String describe(Throwable e) {
        String m = e.getMessage();
        String text = m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && !text.contains(cause.getMessage())) {
            text += " (caused by " + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")";
        }
        return oneLine(text);
    }

    /** Line breaks and the blanks around them become one space. */
    public static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
