package dev.vitex.jobs.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * What one method's rows cost on disk: the Parquet files under {@code attributions/method=NAME/}
 * read back through their footers — whole files (footers included), the column data alone, and the
 * column data per top-level column (where the bytes go). {@code scoreValues} counts the float
 * scores stored, so scores per row = units per row whatever the grid.
 */
record ParquetBytes(int files, long rows, long scoreValues, long fileBytes, long dataBytes, Map<String, Long> columnBytes) {

    static ParquetBytes of(Path methodDir) throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(methodDir)) {
            files = list.filter(f -> f.getFileName().toString().endsWith(".parquet")).sorted().toList();
        }
        long rows = 0;
        long scoreValues = 0;
        long fileBytes = 0;
        long dataBytes = 0;
        Map<String, Long> columns = new TreeMap<>();
        Configuration conf = new Configuration();
        for (Path f : files) {
            fileBytes += Files.size(f);
            try (ParquetFileReader reader = ParquetFileReader.open(
                    HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(f.toUri()), conf))) {
                for (BlockMetaData block : reader.getFooter().getBlocks()) {
                    rows += block.getRowCount();
                    for (ColumnChunkMetaData c : block.getColumns()) {
                        dataBytes += c.getTotalSize();
                        String column = c.getPath().toArray()[0];
                        columns.merge(column, c.getTotalSize(), Long::sum);
                        if (column.equals("scores")) {
                            scoreValues += c.getValueCount();
                        }
                    }
                }
            }
        }
        return new ParquetBytes(files.size(), rows, scoreValues, fileBytes, dataBytes, columns);
    }

    /** Per method, from an output folder's attributions/method=NAME/ directories. */
    static Map<String, ParquetBytes> perMethod(Path output) throws IOException {
        Map<String, ParquetBytes> out = new TreeMap<>();
        try (Stream<Path> dirs = Files.list(output.resolve("attributions"))) {
            for (Path d : dirs.filter(d -> d.getFileName().toString().startsWith("method=")).toList()) {
                out.put(d.getFileName().toString().substring("method=".length()), of(d));
            }
        }
        return out;
    }
}
