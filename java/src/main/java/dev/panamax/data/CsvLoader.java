package dev.panamax.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Loads a numeric CSV file into features and a label, like {@code pandas.read_csv} followed by
 * popping the label column. Every other column becomes a feature: {@code x} is
 * {@code [rows, columns - 1]}, {@code y} is {@code [rows]}.
 *
 * <p>Configure with the immutable {@code with*} methods:
 * <pre>{@code
 * LabeledArrays iris = CsvLoader.labelColumn("species").load(Path.of("iris.csv"));
 * LabeledArrays raw = CsvLoader.labelColumn(-1).withHeader(false).withDelimiter(';').load(file);
 * }</pre>
 * A cell that is not a number fails the load with a {@link MalformedDataException} naming the
 * file, the line and the column.
 */
public final class CsvLoader {
    private final char delimiter;
    private final boolean header;
    private final String labelName;
    private final int labelIndex;

    private CsvLoader(char delimiter, boolean header, String labelName, int labelIndex) {
        this.delimiter = delimiter;
        this.header = header;
        this.labelName = labelName;
        this.labelIndex = labelIndex;
    }

    /** A loader taking the label from the column with this header name (the file needs a header). */
    public static CsvLoader labelColumn(String name) {
        Objects.requireNonNull(name, "name");
        return new CsvLoader(',', true, name, 0);
    }

    /** A loader taking the label from column {@code index}, from 0; negative counts from the end (-1 is the last). */
    public static CsvLoader labelColumn(int index) {
        return new CsvLoader(',', true, null, index);
    }

    /** Whether the first non-blank line holds column names (the default) or data. */
    public CsvLoader withHeader(boolean hasHeader) {
        if (!hasHeader && labelName != null) {
            throw new IllegalArgumentException("CsvLoader: label column '" + labelName
                    + "' is given by name, which needs a header");
        }
        return new CsvLoader(delimiter, hasHeader, labelName, labelIndex);
    }

    /** The cell separator, ',' by default. */
    public CsvLoader withDelimiter(char newDelimiter) {
        if (newDelimiter == '"' || newDelimiter == '\n' || newDelimiter == '\r') {
            throw new IllegalArgumentException("CsvLoader: delimiter " + describe(newDelimiter) + " cannot separate cells");
        }
        return new CsvLoader(newDelimiter, header, labelName, labelIndex);
    }

    /** Reads {@code file}; all or nothing. */
    public LabeledArrays load(Path file) throws IOException {
        DelimitedTable table = DelimitedTable.read(file, delimiter, header, DelimitedTable.Cells.DECIMAL);
        if (table.columns() < 2) {
            throw new MalformedDataException(file + ": " + table.columns() + " column; a label and at least one feature are needed");
        }
        int label = labelColumnIn(table);
        return new LabeledArrays(table.withoutColumn(label), table.column(label));
    }

    private int labelColumnIn(DelimitedTable table) {
        if (labelName != null) {
            int c = table.columnNames().indexOf(labelName);
            if (c < 0) {
                throw new IllegalArgumentException("CsvLoader: label column '" + labelName + "' is not in the header of "
                        + table.file() + ": " + table.columnNames());
            }
            return c;
        }
        int c = labelIndex < 0 ? labelIndex + table.columns() : labelIndex;
        if (c < 0 || c >= table.columns()) {
            throw new IllegalArgumentException("CsvLoader: label column " + labelIndex + " is out of range for the "
                    + table.columns() + " columns of " + table.file());
        }
        return c;
    }

    private static String describe(char c) {
        return c == '\n' ? "'\\n'" : c == '\r' ? "'\\r'" : "'" + c + "'";
    }
}
