package dev.panamax.bench.report;

import dev.panamax.bench.models.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One group of the model comparison as a table: a row per workload (and metric), a column per
 * side, then Panamax / peer for each backend and peer. A side that did not run shows "not run";
 * one that ran without this result shows "failed" (its log says why).
 */
final class ComparisonTable {
    private static final List<Side> PEERS = List.of(Side.DL4J, Side.PYTORCH);
    private static final List<Side> PANAMAX = List.of(Side.PANAMAX_NATIVE, Side.PANAMAX_JAVA);

    /** A row: its label, and what it shows. */
    record Row(String label, Metric metric, Workload workload) {
    }

    private ComparisonTable() {
    }

    static String render(List<Row> rows, ModelResults results, Set<Side> ran) {
        List<String> header = new ArrayList<>(List.of("Workload"));
        for (Side s : Side.values()) header.add(s.title());
        for (Side p : PANAMAX) {
            for (Side peer : PEERS) header.add(shortName(p) + " / " + peer.title());
        }
        MarkdownTable table = new MarkdownTable(header);
        for (Row row : rows) {
            List<String> cells = new ArrayList<>(List.of(row.label()));
            for (Side s : Side.values()) {
                Double v = results.get(row.metric(), row.workload(), s);
                cells.add(v != null ? Numbers.format(v) : ran.contains(s) ? "failed" : "not run");
            }
            for (Side p : PANAMAX) {
                for (Side peer : PEERS) {
                    Double a = results.get(row.metric(), row.workload(), p);
                    Double b = results.get(row.metric(), row.workload(), peer);
                    cells.add(a != null && b != null && b > 0 ? Numbers.ratio(a / b) : "");
                }
            }
            table.row(cells);
        }
        return table.render();
    }

    /** How the table's caption reads the ratios of {@code metric}. */
    static String howToRead(Metric metric) {
        return metric.higherIsBetter()
                ? "Higher is better; ratios are Panamax / peer, above 1x means Panamax is ahead."
                : "Lower is better; ratios are Panamax / peer, below 1x means Panamax is ahead.";
    }

    private static String shortName(Side s) {
        return s == Side.PANAMAX_NATIVE ? "native" : "Java";
    }
}
