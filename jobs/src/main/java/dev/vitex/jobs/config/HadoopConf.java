package dev.vitex.jobs.config;

import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/** A Hadoop configuration as a plain map, so tasks can read inputs with the driver's settings (credentials included). */
public final class HadoopConf {
    private HadoopConf() {}

    public static Map<String, String> toMap(Configuration conf) {
        Map<String, String> out = new HashMap<>();
        for (Map.Entry<String, String> e : conf) {
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    public static Configuration toConfiguration(Map<String, String> map) {
        Configuration conf = new Configuration(false);
        if (map == null || map.isEmpty()) {
            return new Configuration();
        }
        map.forEach(conf::set);
        return conf;
    }
}
