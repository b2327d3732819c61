package dev.vitex.jobs.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The readers of {@link Option}s: each turns the value at a key into its type or a
 * {@link ConfigException} naming the option ({@code --batch-size (batch_size)} or
 * {@code option decode.max_pixels}) and what is allowed.
 */
final class Values {
    private Values() {}

    static Option.Reader<String> string() {
        return Values::string;
    }

    static Option.Reader<String> nonEmpty() {
        return (c, key) -> {
            String s = string(c, key);
            if (s.isEmpty()) {
                throw new ConfigException(option(key) + " must not be empty");
            }
            return s;
        };
    }

    static <E extends Enum<E>> Option.Reader<E> choice(Class<E> type) {
        return (c, key) -> {
            String s = string(c, key);
            for (E e : type.getEnumConstants()) {
                if (e.name().equalsIgnoreCase(s)) {
                    return e;
                }
            }
            throw new ConfigException(option(key) + " must be one of "
                    + Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList()
                    + ", got \"" + s + "\"");
        };
    }

    /** A value parsed by core (e.g. {@code Granularity::parse}); its IllegalArgumentException becomes the message. */
    static <T> Option.Reader<T> parsed(Function<String, T> parser) {
        return (c, key) -> {
            String s = string(c, key);
            try {
                return parser.apply(s);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(option(key) + ": " + e.getMessage().replaceFirst("^" + key.replace("_", " ") + " ", ""));
            }
        };
    }

    static Option.Reader<Long> wholeNumber(long min, long max) {
        return (c, key) -> longValue(c, key, min, max);
    }

    static Option.Reader<Integer> integer(int min, int max) {
        return (c, key) -> (int) longValue(c, key, min, max);
    }

    static Option.Reader<Double> number(double min, double max) {
        return (c, key) -> {
            String s = string(c, key);
            double v;
            try {
                v = Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw new ConfigException(option(key) + " must be a number, got \"" + s + "\"");
            }
            if (!(v >= min && v <= max)) {
                throw new ConfigException(option(key) + " must be in [" + min + ", " + max + "], got " + s);
            }
            return v;
        };
    }

    static Option.Reader<Boolean> bool() {
        return (c, key) -> {
            String s = string(c, key).toLowerCase(Locale.ROOT);
            return switch (s) {
                case "true", "yes", "on", "1" -> true;
                case "false", "no", "off", "0" -> false;
                default -> throw new ConfigException(option(key) + " must be true or false, got \"" + s + "\"");
            };
        };
    }

    /** A list, or a comma-separated string (as the command line gives it); lower-cased, trimmed, no duplicates. */
    static Option.Reader<List<String>> names() {
        return Values::names;
    }

    /** {@link #names()} restricted to {@code allowed}. */
    static Option.Reader<List<String>> namesAmong(String what, Set<String> allowed) {
        return (c, key) -> {
            List<String> names = names(c, key);
            for (String n : names) {
                if (!allowed.contains(n)) {
                    throw new ConfigException("option " + key + ": unknown " + what + " \"" + n + "\" (known: "
                            + String.join(", ", allowed.stream().sorted().toList()) + ")");
                }
            }
            return names;
        };
    }

    static Option.Reader<List<String>> extensions() {
        return (c, key) -> {
            List<String> ext = new ArrayList<>();
            for (String e : names(c, key)) {
                String x = e.startsWith(".") ? e.substring(1) : e;
                if (!x.matches("[a-z0-9]+")) {
                    throw new ConfigException("option " + key + ": \"" + e + "\" is not a file extension");
                }
                ext.add(x);
            }
            if (ext.isEmpty()) {
                throw new ConfigException("option " + key + " must list at least one extension");
            }
            return List.copyOf(ext);
        };
    }

    /** {@code params { METHOD { NAME = VALUE } }}: every value as text, lists in JSON. */
    static Option.Reader<Map<String, Map<String, String>>> params() {
        return (c, key) -> {
            Map<String, Map<String, String>> out = new TreeMap<>();
            if (!c.hasPath(key)) {
                return out;
            }
            for (var method : c.getObject(key).entrySet()) {
                String m = method.getKey();
                if (method.getValue().valueType() != ConfigValueType.OBJECT) {
                    throw new ConfigException("option " + key + "." + m + " must be an object of parameters (--param "
                            + m + ".NAME=VALUE), got " + method.getValue().render(ConfigRenderOptions.concise()));
                }
                Map<String, String> values = new TreeMap<>();
                for (var p : ((ConfigObject) method.getValue()).entrySet()) {
                    ConfigValue v = p.getValue();
                    String text = switch (v.valueType()) {
                        case STRING, NUMBER, BOOLEAN -> String.valueOf(v.unwrapped());
                        case LIST -> v.render(ConfigRenderOptions.concise());
                        case NULL -> "";
                        case OBJECT -> throw new ConfigException("parameter " + m + "." + p.getKey()
                                + " must be a value, got " + v.render(ConfigRenderOptions.concise()));
                    };
                    values.put(p.getKey(), text);
                }
                out.put(m.toLowerCase(Locale.ROOT), values);
            }
            return out;
        };
    }

    /** Spark properties: quoted keys ("spark.ui.enabled") and nested objects (spark { ui.enabled }) both become dotted names. */
    static Option.Reader<Map<String, String>> sparkProperties() {
        return (c, key) -> {
            Map<String, String> out = new TreeMap<>();
            if (!c.hasPath(key)) {
                return out;
            }
            for (var e : c.getObject(key).entrySet()) {
                flatten(e.getKey(), e.getValue(), out);
            }
            return out;
        };
    }

    private static void flatten(String prefix, ConfigValue v, Map<String, String> out) {
        if (v.valueType() == ConfigValueType.OBJECT) {
            for (var e : ((ConfigObject) v).entrySet()) {
                flatten(prefix + "." + e.getKey(), e.getValue(), out);
            }
            return;
        }
        String key = prefix.startsWith("spark.") ? prefix : "spark." + prefix;
        if (v.valueType() == ConfigValueType.LIST) {
            throw new ConfigException("Spark property " + key + " must be a single value");
        }
        out.put(key, v.valueType() == ConfigValueType.NULL ? "" : String.valueOf(v.unwrapped()));
    }

    private static String string(Config c, String key) {
        ConfigValue v = c.getValue(key);
        if (v.valueType() == ConfigValueType.NULL) {
            return "";
        }
        if (v.valueType() == ConfigValueType.OBJECT || v.valueType() == ConfigValueType.LIST) {
            throw new ConfigException(option(key) + " must be a single value, got " + v.render(ConfigRenderOptions.concise()));
        }
        return String.valueOf(v.unwrapped()).trim();
    }

    private static long longValue(Config c, String key, long min, long max) {
        String s = string(c, key).replace("_", "");
        long v;
        try {
            v = Long.parseLong(s);
        } catch (NumberFormatException e) {
            double d;
            try {
                d = Double.parseDouble(s); // 1e8 is a fine way to write 100 MP
            } catch (NumberFormatException e2) {
                throw new ConfigException(option(key) + " must be an integer, got \"" + s + "\"");
            }
            if (d != Math.rint(d) || Math.abs(d) > 9.0e18) {
                throw new ConfigException(option(key) + " must be an integer, got \"" + s + "\"");
            }
            v = (long) d;
        }
        if (v < min || v > max) {
            throw new ConfigException(option(key) + " must be in [" + min + ", " + max + "], got " + v);
        }
        return v;
    }

    private static List<String> names(Config c, String key) {
        ConfigValue v = c.getValue(key);
        List<String> raw = new ArrayList<>();
        if (v.valueType() == ConfigValueType.LIST) {
            for (Object o : c.getList(key).unwrapped()) {
                if (o instanceof List || o instanceof Map) {
                    throw new ConfigException(option(key) + " must be a list of names, got " + v.render(ConfigRenderOptions.concise()));
                }
                raw.add(String.valueOf(o));
            }
        } else if (v.valueType() != ConfigValueType.NULL) {
            raw.addAll(Arrays.asList(String.valueOf(v.unwrapped()).split(",")));
        }
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String s : raw) {
            String n = s.trim().toLowerCase(Locale.ROOT).replace('-', '_');
            if (!n.isEmpty()) {
                out.add(n);
            }
        }
        return List.copyOf(out);
    }

    /** How messages name an option: "--batch-size (batch_size)" or "option decode.max_pixels". */
    static String option(String key) {
        String flag = Options.flagOf(key);
        return flag != null ? flag + " (" + key + ")" : "option " + key;
    }
}
