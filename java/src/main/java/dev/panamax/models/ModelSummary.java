package dev.panamax.models;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Keras 3's {@code model.summary()} table: Layer (type), Output Shape, Param # (and Connected to). */
public final class ModelSummary {

    /** One row; {@code connectedTo} is null in a Sequential model. */
    public record Row(String layer, String outputShape, long params, String connectedTo) {
    }

    private ModelSummary() {
    }

    public static String render(String modelName, List<Row> rows, long total, long trainable) {
        boolean connections = rows.stream().anyMatch(r -> r.connectedTo() != null);
        List<String> headers = new ArrayList<>(List.of("Layer (type)", "Output Shape", "Param #"));
        int[] widths = {33, 24, 15, 20};
        if (connections) headers.add("Connected to");
        for (Row r : rows) {
            widths[0] = Math.max(widths[0], r.layer().length() + 2);
            widths[1] = Math.max(widths[1], r.outputShape().length() + 2);
            if (connections && r.connectedTo() != null) widths[3] = Math.max(widths[3], r.connectedTo().length() + 2);
        }
        int columns = headers.size();
        StringBuilder b = new StringBuilder();
        b.append("Model: \"").append(modelName).append("\"\n");
        b.append(line('┏', '━', '┳', '┓', widths, columns));
        b.append('┃');
        for (int c = 0; c < columns; c++) {
            b.append(cell(headers.get(c), widths[c], c == 2)).append('┃');
        }
        b.append('\n');
        b.append(line('┡', '━', '╇', '┩', widths, columns));
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            b.append('│').append(cell(r.layer(), widths[0], false)).append('│')
                    .append(cell(r.outputShape(), widths[1], false)).append('│')
                    .append(cell(group(r.params()), widths[2], true)).append('│');
            if (connections) b.append(cell(r.connectedTo() == null ? "-" : r.connectedTo(), widths[3], false)).append('│');
            b.append('\n');
            if (i + 1 < rows.size()) b.append(line('├', '─', '┼', '┤', widths, columns));
        }
        b.append(line('└', '─', '┴', '┘', widths, columns));
        b.append(" Total params: ").append(group(total)).append(" (").append(bytes(total * 4)).append(")\n");
        b.append(" Trainable params: ").append(group(trainable)).append(" (").append(bytes(trainable * 4)).append(")\n");
        long frozen = total - trainable;
        b.append(" Non-trainable params: ").append(group(frozen)).append(" (").append(bytes(frozen * 4)).append(")\n");
        return b.toString();
    }

    private static String line(char left, char fill, char join, char right, int[] widths, int columns) {
        StringBuilder b = new StringBuilder().append(left);
        for (int c = 0; c < columns; c++) {
            b.append(String.valueOf(fill).repeat(widths[c])).append(c + 1 < columns ? join : right);
        }
        return b.append('\n').toString();
    }

    private static String cell(String text, int width, boolean right) {
        String t = text.length() > width - 2 ? text.substring(0, width - 3) + "…" : text;
        String pad = " ".repeat(width - 2 - t.length());
        return " " + (right ? pad + t : t + pad) + " ";
    }

    /** 34826 as {@code 34,826}. */
    public static String group(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** Keras' byte sizes: {@code 136.04 KB} (1 KB = 1024 B). */
    public static String bytes(long n) {
        String[] units = {"B", "KB", "MB", "GB", "TB"};
        double v = n;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.2f %s", v, units[u]);
    }
}
