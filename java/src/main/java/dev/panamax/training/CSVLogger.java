package dev.panamax.training;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Keras' {@code CSVLogger}: one row per epoch, {@code epoch} (0-based) then the logged values, under a
 * header {@code epoch,<keys of the first epoch, sorted>}; a key missing in a later epoch is written
 * {@code NA}. The file reads like the one Keras writes: Python's CSV dialect (CRLF line ends, quoting
 * only where needed) and Python's float format. With {@code append}, rows go after an existing file's
 * and the header is written only when the file is new or empty.
 */
public final class CSVLogger implements Callback {
    private static final String LINE_END = "\r\n";

    private final Path filename;
    private final String separator;
    private final boolean append;
    private BufferedWriter writer;
    private boolean writeHeader;
    private List<String> keys;

    /** Comma-separated, overwriting the file. */
    public CSVLogger(Path filename) {
        this(filename, ",", false);
    }

    /**
     * @param separator a single character, as Python's csv module requires
     */
    public CSVLogger(Path filename, String separator, boolean append) {
        this.filename = Objects.requireNonNull(filename, "filename");
        this.separator = Objects.requireNonNull(separator, "separator");
        if (separator.length() != 1 || separator.equals("\"") || separator.equals("\r") || separator.equals("\n")) {
            throw new IllegalArgumentException("CSVLogger: separator must be one character other than a quote or a"
                    + " line break. Received: separator=\"" + separator + "\"");
        }
        this.append = append;
    }

    public Path filename() {
        return filename;
    }

    @Override
    public void onTrainBegin(Map<String, Double> logs) {
        closeWriter();
        try {
            writeHeader = !append || !Files.exists(filename) || Files.size(filename) == 0;
            writer = append
                    ? Files.newBufferedWriter(filename, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND)
                    : Files.newBufferedWriter(filename, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("CSVLogger: cannot open " + filename, e);
        }
        keys = null;
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        if (writer == null) {
            throw new IllegalStateException("CSVLogger: onEpochEnd before onTrainBegin (the file is not open)");
        }
        try {
            if (keys == null) {
                keys = new ArrayList<>(logs.keySet());
                keys.sort(null);
                if (writeHeader) {
                    List<String> header = new ArrayList<>(keys.size() + 1);
                    header.add("epoch");
                    header.addAll(keys);
                    writeRow(header);
                }
            }
            List<String> row = new ArrayList<>(keys.size() + 1);
            row.add(Integer.toString(epoch));
            for (String k : keys) {
                Double v = logs.get(k);
                row.add(v == null ? "NA" : PythonFloats.repr(v));
            }
            writeRow(row);
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("CSVLogger: cannot write to " + filename, e);
        }
    }

    @Override
    public void onTrainEnd(Map<String, Double> logs) {
        closeWriter();
    }

    private void writeRow(List<String> fields) throws IOException {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) writer.write(separator);
            writer.write(quoted(fields.get(i)));
        }
        writer.write(LINE_END);
    }

    /** Python's QUOTE_MINIMAL: quotes a field holding the separator, a quote or a line break. */
    private String quoted(String field) {
        if (field.contains(separator) || field.contains("\"") || field.contains("\r") || field.contains("\n")) {
            return "\"" + field.replace("\"", "\"\"") + "\"";
        }
        return field;
    }

    private void closeWriter() {
        if (writer == null) return;
        try {
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException("CSVLogger: cannot close " + filename, e);
        } finally {
            writer = null;
        }
    }
}
