package dev.panamax.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A numeric table read from a delimited text file: the parser shared by {@link CsvLoader} and
 * {@link DelimitedDigitsLoader}. Blank lines are skipped; every other line must have the same
 * number of cells. Cells may be padded with spaces and wrapped in double quotes; a delimiter
 * inside quotes is not supported (numeric tables have no need for it).
 *
 * @param file the file read, for messages
 * @param columnNames the header's names, or null without a header
 * @param rows number of data rows
 * @param columns number of columns
 * @param values the cells, row-major
 * @param lineNumbers the file line (from 1) of each data row, for messages
 */
record DelimitedTable(Path file, List<String> columnNames, int rows, int columns, float[] values, int[] lineNumbers) {

    /** What a cell may hold. */
    enum Cells {
        /** Decimal numbers, such as {@code -1.5e3}. */
        DECIMAL(Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?"), "a number"),
        /** Integers that a float holds exactly. */
        INTEGER(Pattern.compile("[+-]?\\d{1,7}"), "an integer");

        private final Pattern pattern;
        private final String description;

        Cells(Pattern pattern, String description) {
            this.pattern = pattern;
            this.description = description;
        }
    }

    static DelimitedTable read(Path file, char delimiter, boolean header, Cells cells) throws IOException {
        String splitter = Pattern.quote(String.valueOf(delimiter));
        List<String> names = null;
        int columns = -1;
        int rows = 0;
        float[] values = new float[1024];
        int[] lineNumbers = new int[64];
        int lineNumber = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (lineNumber == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                if (line.isBlank()) {
                    continue;
                }
                String[] fields = line.split(splitter, -1);
                if (columns < 0) {
                    columns = fields.length;
                    if (header) {
                        names = new ArrayList<>(columns);
                        for (String f : fields) {
                            names.add(unquote(f));
                        }
                        continue;
                    }
                } else if (fields.length != columns) {
                    throw new MalformedDataException(file + " line " + lineNumber + ": " + fields.length
                            + " columns, but " + (header ? "the header has " : "the first line has ") + columns);
                }
                if ((long) (rows + 1) * columns > Integer.MAX_VALUE - 16) {
                    throw new MalformedDataException(file + " line " + lineNumber
                            + ": the table has more cells than one Java array holds");
                }
                if ((rows + 1) * columns > values.length) {
                    values = Arrays.copyOf(values, (int) Math.min(Integer.MAX_VALUE - 16L,
                            Math.max(2L * values.length, (long) (rows + 1) * columns)));
                }
                if (rows == lineNumbers.length) {
                    lineNumbers = Arrays.copyOf(lineNumbers, 2 * rows);
                }
                lineNumbers[rows] = lineNumber;
                for (int c = 0; c < columns; c++) {
                    values[rows * columns + c] = parse(fields[c], cells, file, lineNumber, c, names);
                }
                rows++;
            }
        }
        if (rows == 0) {
            throw new MalformedDataException(file + ": no data rows" + (header ? " after the header" : ""));
        }
        return new DelimitedTable(file, names == null ? null : List.copyOf(names), rows, columns,
                Arrays.copyOf(values, rows * columns), Arrays.copyOf(lineNumbers, rows));
    }

    /** Column {@code c} as "column 3 ('age')" or "column 3", counting from 1 as editors do. */
    String describeColumn(int c) {
        return describeColumn(c, columnNames);
    }

    /** The table without column {@code c}, as {@code [rows, columns - 1]}. */
    FloatArray withoutColumn(int c) {
        int kept = columns - 1;
        float[] out = new float[rows * kept];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(values, r * columns, out, r * kept, c);
            System.arraycopy(values, r * columns + c + 1, out, r * kept + c, kept - c);
        }
        return FloatArray.of(out, rows, kept);
    }

    /** Column {@code c} as a 1-D array. */
    FloatArray column(int c) {
        float[] out = new float[rows];
        for (int r = 0; r < rows; r++) {
            out[r] = values[r * columns + c];
        }
        return FloatArray.of(out, rows);
    }

    private static float parse(String field, Cells cells, Path file, int line, int column, List<String> names)
            throws MalformedDataException {
        String text = unquote(field);
        if (!cells.pattern.matcher(text).matches()) {
            throw new MalformedDataException(file + " line " + line + ", " + describeColumn(column, names) + ": "
                    + (text.isEmpty() ? "empty cell" : "'" + text + "'") + " is not " + cells.description);
        }
        return cells == Cells.INTEGER ? Integer.parseInt(text) : Float.parseFloat(text);
    }

    private static String describeColumn(int c, List<String> names) {
        return "column " + (c + 1) + (names == null ? "" : " ('" + names.get(c) + "')");
    }

    private static String unquote(String field) {
        String s = field.strip();
        if (s.length() >= 2 && s.charAt(0) == '"' && s.charAt(s.length() - 1) == '"') {
            s = s.substring(1, s.length() - 1).strip();
        }
        return s;
    }
}
