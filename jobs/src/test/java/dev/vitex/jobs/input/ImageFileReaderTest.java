package dev.vitex.jobs.input;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task's file reads: {@code file:} paths (the driver's listing qualifies local files so) through
 * java.nio, other paths through Hadoop; the same bytes, the same byte cap and the same error for a
 * missing file either way.
 */
class ImageFileReaderTest {
    @TempDir
    Path dir;

    @Test
    void localAndHadoopReadsAgree() throws IOException {
        byte[] content = new byte[100_003];
        new Random(7).nextBytes(content);
        Path file = Files.write(dir.resolve("a b.png"), content); // a space: the URI is escaped
        String qualified = new org.apache.hadoop.fs.Path(file.toUri()).toString();
        assertTrue(qualified.startsWith("file:/"), qualified);
        String plain = file.toString(); // no scheme: Hadoop's default file system
        ImageFileReader reader = new ImageFileReader(Map.of(), content.length);
        assertArrayEquals(content, reader.read(qualified));
        assertArrayEquals(content, reader.read(plain));

        ImageFileReader capped = new ImageFileReader(Map.of(), content.length - 1);
        for (String path : new String[] {qualified, plain}) {
            IOException e = assertThrows(IOException.class, () -> capped.read(path));
            assertTrue(e.getMessage().contains("above decode.max_file_bytes = " + (content.length - 1)), e.getMessage());
        }
        String missing = new org.apache.hadoop.fs.Path(dir.resolve("missing.png").toUri()).toString();
        assertThrows(FileNotFoundException.class, () -> reader.read(missing));
        assertThrows(FileNotFoundException.class, () -> reader.read(dir.resolve("missing.png").toString()));
    }
}
