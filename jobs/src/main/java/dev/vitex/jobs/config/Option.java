package dev.vitex.jobs.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import java.util.List;
import java.util.Objects;

/**
 * One option of the job, declared once: its key under {@code vitex}, default, reader (type and
 * validation), and, when it is also a command-line option, its flag, label and help text. The
 * command line, {@code --help}, the typed {@link JobConfig} and the checks of {@code conf/vitex.conf}
 * and the README are all built from these declarations ({@link Options}).
 *
 * @param key the HOCON key relative to {@code vitex} ({@code batch_size}, {@code decode.max_pixels})
 * @param defaultValue the default as HOCON would unwrap it: String, Integer, Long, Boolean, List or Map
 * @param reader reads and validates the value from the resolved {@code vitex} tree
 * @param flag the command-line option ({@code --batch-size}), or null when only {@code --set} reaches it
 * @param label the value's placeholder in help ({@code N}); empty for a switch
 * @param help one line saying what the option does
 * @param shown the default as help and the README show it, when its plain rendering would mislead
 *     (null: rendered from {@code defaultValue})
 */
public record Option<T>(String key, Object defaultValue, Reader<T> reader, String flag, String label, String help,
        String shown) {
    /** How a required option's default is shown. */
    public static final String REQUIRED = "required";

    /** Reads one option from the resolved {@code vitex} tree; bad values are {@link ConfigException}s. */
    public interface Reader<T> {
        T read(Config vitex, String key);
    }

    public Option {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(defaultValue, key + ": default");
        Objects.requireNonNull(reader, key + ": reader");
        Objects.requireNonNull(help, key + ": help");
        if (!key.matches("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*")) {
            throw new IllegalArgumentException("option key " + key + ": lower-case words joined by dots");
        }
        if (flag != null && !flag.equals("--" + key.replace('_', '-'))) {
            throw new IllegalArgumentException("option " + key + ": its flag must be --" + key.replace('_', '-') + ", not " + flag);
        }
        label = label == null ? "" : label;
    }

    /** An option reached through {@code --set KEY=VALUE} (and config files) only. */
    static <T> Option<T> of(String key, Object defaultValue, Reader<T> reader, String help) {
        return new Option<>(key, defaultValue, reader, null, "", help, null);
    }

    /** The same option, also on the command line as {@code --KEY-WITH-DASHES LABEL}. */
    Option<T> onCommandLine(String label) {
        return new Option<>(key, defaultValue, reader, "--" + key.replace('_', '-'), label, help, shown);
    }

    /** The same option with its default shown as {@code text} in help and the README. */
    Option<T> shownAs(String text) {
        return new Option<>(key, defaultValue, reader, flag, label, help, text);
    }

    /** The same option, shown as required (its empty default is refused where the run needs it). */
    Option<T> required() {
        return shownAs(REQUIRED);
    }

    public T read(Config vitex) {
        return reader.read(vitex, key);
    }

    public boolean onCommandLine() {
        return flag != null;
    }

    /** A switch ({@code --report} / {@code --no-report}) rather than an option with a value. */
    public boolean isSwitch() {
        return defaultValue instanceof Boolean;
    }

    /** Whole numbers given on the command line stay numbers (in the manifest's configuration too). */
    public boolean isWholeNumber() {
        return defaultValue instanceof Integer || defaultValue instanceof Long;
    }

    /** The default as help and the README show it: {@code 64}, {@code patch}, {@code saliency,occlusion}. */
    public String shownDefault() {
        if (shown != null) {
            return shown;
        }
        if (defaultValue instanceof List<?> list) {
            return list.isEmpty() ? "none" : String.join(",", list.stream().map(String::valueOf).toList());
        }
        String text = String.valueOf(defaultValue);
        return text.isEmpty() ? "none" : text;
    }

    /** The default in HOCON syntax, as {@code conf/vitex.conf} writes it. */
    public String hoconDefault() {
        return ConfigValueFactory.fromAnyRef(defaultValue).render(ConfigRenderOptions.concise());
    }

    /** The line of {@code --help}: what it does and its default. */
    public String helpLine() {
        return help + (REQUIRED.equals(shown) ? " (required)" : " (default: " + shownDefault() + ")");
    }
}
