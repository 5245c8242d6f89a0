package dev.panamax.cli;

import dev.panamax.training.History;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

/** A PNG of loss and accuracy per epoch (training and validation), drawn with XChart. */
final class TrainingChart {
    private TrainingChart() {
    }

    /** Writes {@code file} (PNG); the history must hold at least one epoch. */
    static void write(History history, String title, Path file) throws IOException {
        System.setProperty("java.awt.headless", System.getProperty("java.awt.headless", "true"));
        List<Integer> epochs = history.epochs();
        if (epochs.isEmpty()) throw new IllegalArgumentException("TrainingChart: the history has no epochs");
        double[] x = epochs.stream().mapToDouble(e -> e + 1).toArray();
        XYChart loss = chart(title + ": loss", "loss", Styler.LegendPosition.InsideNE);
        add(loss, "training", x, history.get("loss"));
        add(loss, "validation", x, history.get("val_loss"));
        XYChart accuracy = chart(title + ": accuracy", "accuracy", Styler.LegendPosition.InsideSE);
        add(accuracy, "training", x, history.get("accuracy"));
        add(accuracy, "validation", x, history.get("val_accuracy"));
        String name = file.toString();
        String base = name.endsWith(".png") ? name.substring(0, name.length() - 4) : name;
        BitmapEncoder.saveBitmap(List.of(loss, accuracy), 1, 2, base, BitmapEncoder.BitmapFormat.PNG);
    }

    private static XYChart chart(String title, String yTitle, Styler.LegendPosition legend) {
        XYChart chart = new XYChartBuilder().width(560).height(400).title(title).xAxisTitle("epoch")
                .yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(legend); // loss falls and accuracy rises: keep the corner free
        chart.getStyler().setXAxisDecimalPattern("0");
        chart.getStyler().setMarkerSize(6);
        return chart;
    }

    private static void add(XYChart chart, String name, double[] x, List<Double> values) {
        if (values.isEmpty()) return;
        XYSeries s = chart.addSeries(name, x, values.stream().mapToDouble(Double::doubleValue).toArray());
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    }
}
