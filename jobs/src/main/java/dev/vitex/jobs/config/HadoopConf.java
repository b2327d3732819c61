package dev.vitex.jobs.config;

import dev.vitex.jobs.localfs.LocalFiles;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;

/**
 * A Hadoop configuration as a plain map, so tasks can read inputs with the driver's settings (credentials
 * included), and back. Every configuration made here names vitex's local file system ({@link LocalFiles}).
 */
public final class HadoopConf {
    /**
     * Configurations rebuilt from a broadcast map, per executor JVM: building one sets ~1,000 keys, which
     * every task did (issue 16). Keyed by the map itself (a run broadcasts one); at most a few runs' worth.
     */
    private static final Map<Map<String, String>, Configuration> BUILT = new ConcurrentHashMap<>();
    private static final int MAX_BUILT = 4;

    private HadoopConf() {}

    public static Map<String, String> toMap(Configuration conf) {
        Map<String, String> out = new HashMap<>();
        for (Map.Entry<String, String> e : conf) {
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    /** A new configuration holding {@code map} (or Hadoop's defaults when it is empty). */
    public static Configuration toConfiguration(Map<String, String> map) {
        if (map == null || map.isEmpty()) {
            return LocalFiles.configure(new Configuration());
        }
        Configuration conf = new Configuration(false);
        map.forEach(conf::set);
        return LocalFiles.configure(conf);
    }

    /** The configuration of {@code map}, built once per JVM and shared: callers only read it (file system look-ups). */
    public static Configuration shared(Map<String, String> map) {
        Map<String, String> key = map == null ? Map.of() : map;
        Configuration conf = BUILT.get(key);
        if (conf == null) {
            if (BUILT.size() >= MAX_BUILT) {
                BUILT.clear();
            }
            conf = BUILT.computeIfAbsent(key, HadoopConf::toConfiguration);
        }
        return conf;
    }
}
