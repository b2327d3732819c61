package dev.vitex.jobs.driver;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import dev.vitex.jobs.config.ConfigException;
import dev.vitex.jobs.config.JobConfig;
import dev.vitex.jobs.executor.ModelRef;
import dev.vitex.jobs.output.ScratchFolders;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/** Copies a card given as a Hadoop URI (and its model file) to a local folder; local paths are checked. */
final class ModelFetch {
    private ModelFetch() {}

    /** @param scratch where a remote card and its model are copied (deleted when the run ends) */
    static Path toDriver(String location, Configuration hadoop, ScratchFolders scratch) {
        if (ModelRef.isLocal(location)) {
            Path p = ModelRef.localPath(location).toAbsolutePath().normalize();
            if (!Files.isRegularFile(p)) {
                throw new ConfigException("--model " + location + ": model card not found" + (Files.isDirectory(p)
                        ? " (it is a folder; give the card's .json file)" : ""));
            }
            return p;
        }
        try {
            org.apache.hadoop.fs.Path card = new org.apache.hadoop.fs.Path(location); // two Path types: Hadoop's spelled out
            FileSystem fs = card.getFileSystem(hadoop);
            if (!fs.exists(card)) {
                throw new ConfigException("--model " + location + ": model card not found");
            }
            Path dir = scratch.create("vitex-model");
            Path localCard = dir.resolve(card.getName());
            try (InputStream in = fs.open(card)) {
                Files.copy(in, localCard);
            }
            JsonElement json = JsonParser.parseString(Files.readString(localCard));
            if (json.isJsonObject() && json.getAsJsonObject().has("file")) {
                String file = json.getAsJsonObject().get("file").getAsString();
                org.apache.hadoop.fs.Path model = new org.apache.hadoop.fs.Path(card.getParent(), file);
                if (fs.exists(model)) {
                    Path target = dir.resolve(file).normalize();
                    Files.createDirectories(target.getParent());
                    try (InputStream in = fs.open(model)) {
                        Files.copy(in, target);
                    }
                }
            }
            return localCard;
        } catch (IOException | RuntimeException e) {
            if (e instanceof ConfigException ce) {
                throw ce;
            }
            throw new ConfigException("--model " + location + ": cannot read it: " + JobConfig.oneLine(e.getMessage()), e);
        }
    }
}
