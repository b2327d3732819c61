package dev.vitex.jobs.executor;

import dev.vitex.core.model.ModelCard;
import dev.vitex.core.model.Precision;
import dev.vitex.core.pipeline.ImageInput;
import dev.vitex.jobs.config.HadoopConf;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkFiles;

/**
 * Where the model card is and what it must contain, as the driver saw it. Executors find the card
 * at the same local path (local mode, a shared file system), through {@code SparkFiles} when it was
 * shipped with {@code spark-submit --files CARD.json,MODEL.pt}, or by copying it from a Hadoop URI
 * (hdfs://, s3a://) to a local folder; the TorchScript file's sha256 must then match the driver's.
 *
 * @param location the card as given (local path or URI)
 * @param cardFileName the card's file name (the SparkFiles key)
 * @param modelFileName the TorchScript file that runs at {@code precision}: the card's {@code file}, or its
 *     {@code precisions} entry ({@link ModelCard#fileFor})
 * @param modelSha256 sha256 of that TorchScript file on the driver
 * @param precision the run's precision
 */
public record ModelRef(String location, String cardFileName, String modelFileName, String modelSha256,
                       Precision precision) implements Serializable {

    /** True for paths the JVM can open directly (no scheme, or file:). */
    public static boolean isLocal(String location) {
        if (location.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*") && !location.matches("^[A-Za-z]:[\\\\/].*")) {
            return location.startsWith("file:");
        }
        return true;
    }

    public static Path localPath(String location) {
        return location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
    }

    /**
     * The card as a local file: the given path, the SparkFiles copy, or a download from a Hadoop
     * URI into {@code cacheDir}. Throws {@link IllegalStateException} saying how to ship the model.
     */
    public Path localCard(Map<String, String> hadoopConf, Path cacheDir) {
        if (isLocal(location)) {
            Path p = localPath(location).toAbsolutePath().normalize();
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        Path shipped = sparkFile(cardFileName);
        if (shipped != null && Files.isRegularFile(shipped)) {
            Path model = shipped.resolveSibling(modelFileName);
            if (!Files.isRegularFile(model)) {
                throw new IllegalStateException("the model card was shipped with --files but its TorchScript file "
                        + modelFileName + " was not: spark-submit --files " + cardFileName + "," + modelFileName);
            }
            return shipped;
        }
        if (!isLocal(location)) {
            return download(hadoopConf, cacheDir);
        }
        throw new IllegalStateException("model card " + location + " is not readable on this executor: put it on a path "
                + "every node sees, or ship it with spark-submit --files " + location + ",<dir>/" + modelFileName);
    }

    private static Path sparkFile(String name) {
        try {
            return Path.of(SparkFiles.get(name));
        } catch (RuntimeException | LinkageError e) {
            return null; // no SparkContext (library use) or no SparkFiles root
        }
    }

    private Path download(Map<String, String> hadoopConf, Path cacheDir) {
        Configuration conf = HadoopConf.toConfiguration(hadoopConf);
        org.apache.hadoop.fs.Path card = new org.apache.hadoop.fs.Path(location);
        org.apache.hadoop.fs.Path model = new org.apache.hadoop.fs.Path(card.getParent(), modelFileName);
        Path dir = cacheDir.resolve(modelSha256);
        try {
            Files.createDirectories(dir);
            FileSystem fs = card.getFileSystem(conf);
            copy(fs, card, dir.resolve(cardFileName));
            Path localModel = dir.resolve(modelFileName);
            if (!Files.isRegularFile(localModel) || !sha256(localModel).equals(modelSha256)) {
                copy(fs, model, localModel);
            }
            return dir.resolve(cardFileName);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the model from " + location + ": " + e.getMessage(), e);
        }
    }

    private static void copy(FileSystem fs, org.apache.hadoop.fs.Path from, Path to) throws IOException {
        Path tmp = Files.createTempFile(to.getParent(), to.getFileName().toString(), ".part");
        try (InputStream in = fs.open(from)) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Loads the card found by {@link #localCard} and checks its TorchScript file is the driver's. */
    public ModelCard load(Map<String, String> hadoopConf, Path cacheDir) {
        // the driver applied model_allow_outside_paths; here the sha256 below pins the very file it accepted
        ModelCard card = ModelCard.load(localCard(hadoopConf, cacheDir), true);
        Path file = card.fileFor(precision);
        String sha = sha256(file);
        if (!sha.equals(modelSha256)) {
            throw new IllegalStateException("the TorchScript file " + file + " on this executor has sha256 "
                    + sha + ", the driver's has " + modelSha256 + ": every node must see the same model");
        }
        return card;
    }

    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256(byte[] bytes) {
        return ImageInput.sha256(bytes);
    }
}
