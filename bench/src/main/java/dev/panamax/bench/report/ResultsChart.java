package dev.panamax.bench.report;

import dev.panamax.bench.models.Workload;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * The PNG next to the report: bar charts of training and batch-128 inference throughput, batch-1
 * latency and time to the first step, a bar per side and workload. Log scales, since the sides
 * differ by orders of magnitude.
 */
final class ResultsChart {
    private ResultsChart() {
    }

    /** One colour per side in every chart, whichever sides have results. */
    private static Color color(Side side) {
        return switch (side) {
            case PANAMAX_NATIVE -> new Color(0x1F77B4);
            case PANAMAX_JAVA -> new Color(0x6BAED6);
            case DL4J -> new Color(0xFF7F0E);
            case PYTORCH -> new Color(0xD62728);
        };
    }

    /** Writes the charts that have data; returns false, writing nothing, when none has. */
    static boolean write(ModelResults results, Path png) throws IOException {
        System.setProperty("java.awt.headless", System.getProperty("java.awt.headless", "true"));
        List<CategoryChart> charts = new ArrayList<>();
        add(charts, results, Metric.TRAIN_IMAGES_PER_SECOND, "Training throughput", "images/s");
        add(charts, results, Metric.INFERENCE_IMAGES_PER_SECOND, "Inference throughput, batch 128", "images/s");
        add(charts, results, Metric.LATENCY_MEDIAN_MS, "Inference latency, batch 1 (median)", "ms");
        add(charts, results, Metric.FIRST_STEP_SECONDS, "JVM start to end of first training step", "s");
        if (charts.isEmpty()) return false;
        String base = png.toString();
        if (base.endsWith(".png")) base = base.substring(0, base.length() - 4);
        // XChart's grid must be full: 2x2 for four charts, else one row
        int columns = charts.size() == 4 ? 2 : charts.size();
        BitmapEncoder.saveBitmap(charts, charts.size() / columns, columns, base, BitmapEncoder.BitmapFormat.PNG);
        return true;
    }

    private static void add(List<CategoryChart> charts, ModelResults results, Metric metric, String title,
                            String unit) {
        CategoryChart chart = new CategoryChartBuilder().width(640).height(420).title(title)
                .xAxisTitle("workload").yAxisTitle(unit + (metric.higherIsBetter() ? " (higher is better)"
                        : " (lower is better)")).build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        List<String> workloads = new ArrayList<>();
        for (Workload w : Workload.values()) if (results.has(metric, w)) workloads.add(w.name());
        if (workloads.isEmpty()) return;
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (Side side : Side.values()) {
            List<Double> values = new ArrayList<>();
            boolean any = false;
            for (String w : workloads) {
                Double v = results.get(metric, Workload.valueOf(w), side);
                values.add(v != null && v > 0 ? v : null);
                if (v != null && v > 0) {
                    any = true;
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
            if (any) chart.addSeries(side.title(), workloads, values).setFillColor(color(side));
        }
        // XChart's log axis rejects missing bars unless its range is given: whole decades around the
        // data, with room below the shortest bar so that it shows
        chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(min / 2))));
        chart.getStyler().setYAxisMax(Math.pow(10, Math.ceil(Math.log10(max))));
        charts.add(chart);
    }
}
