package dev.panamax.bench.report;

import java.util.ArrayList;
import java.util.List;

/** A GitHub-flavoured Markdown table: leading text columns left-aligned, the others (numbers) right-aligned. */
final class MarkdownTable {
    private final List<String> header;
    private final int textColumns;
    private final List<List<String>> rows = new ArrayList<>();

    /** A table whose first column is text and the rest numbers. */
    MarkdownTable(List<String> header) {
        this(header, 1);
    }

    MarkdownTable(List<String> header, int textColumns) {
        if (header.isEmpty()) throw new IllegalArgumentException("MarkdownTable: no columns");
        if (textColumns < 0 || textColumns > header.size()) {
            throw new IllegalArgumentException("MarkdownTable: textColumns must be 0 to " + header.size()
                    + ", got " + textColumns);
        }
        this.header = List.copyOf(header);
        this.textColumns = textColumns;
    }

    MarkdownTable row(List<String> cells) {
        if (cells.size() != header.size()) {
            throw new IllegalArgumentException("MarkdownTable: row " + cells + " has " + cells.size()
                    + " cells for " + header.size() + " columns " + header);
        }
        rows.add(List.copyOf(cells));
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    String render() {
        StringBuilder out = new StringBuilder();
        line(out, header);
        for (int i = 0; i < header.size(); i++) out.append(i < textColumns ? "|:---" : "|---:");
        out.append("|\n");
        for (List<String> row : rows) line(out, row);
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells) {
        out.append('|');
        for (String c : cells) out.append(' ').append(c.replace("|", "\\|")).append(" |");
        out.append('\n');
    }
}
