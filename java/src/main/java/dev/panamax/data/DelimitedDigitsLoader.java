package dev.panamax.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Loads UCI-style digit files such as {@code optdigits.tra} (64 features, 8x8 blocks counted
 * 0-16) and {@code pendigits.tra} (16 pen coordinates): one example per line, integer features
 * separated by a delimiter, the class index in the last column, no header.
 *
 * <p>Features keep their integer values ({@code x} is {@code [rows, features]}); scale them
 * with {@link Rescaling} and reshape with {@link FloatArray#reshape} (optdigits is
 * {@code [n, 8, 8, 1]}).
 */
public final class DelimitedDigitsLoader {
    private DelimitedDigitsLoader() {
    }

    /** Reads a comma-separated file. */
    public static LabeledArrays load(Path file) throws IOException {
        return load(file, ',');
    }

    /** Reads a file whose cells are separated by {@code delimiter}; all or nothing. */
    public static LabeledArrays load(Path file, char delimiter) throws IOException {
        DelimitedTable table = DelimitedTable.read(file, delimiter, false, DelimitedTable.Cells.INTEGER);
        if (table.columns() < 2) {
            throw new MalformedDataException(file + ": each line has " + table.columns()
                    + " column; features and a class are needed");
        }
        int label = table.columns() - 1;
        FloatArray classes = table.column(label);
        float[] values = classes.data();
        for (int r = 0; r < values.length; r++) {
            if (values[r] < 0) {
                throw new MalformedDataException(file + " line " + table.lineNumbers()[r] + ", "
                        + table.describeColumn(label) + " (the class): " + (int) values[r]
                        + " is negative; classes are indices from 0");
            }
        }
        return new LabeledArrays(table.withoutColumn(label), classes);
    }
}
