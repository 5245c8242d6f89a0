package dev.panamax.training;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * Keras' progress bar as a callback: {@code Epoch 3/12}, then
 * {@code 469/469 ━━━━━━━━━━━━━━━━━━━━ 12s 25ms/step - accuracy: 0.9912 - loss: 0.0281}. On a terminal the
 * line is redrawn in place with an ETA while the epoch runs; otherwise (a log file, CI) each epoch
 * prints one final line. Verbose 2 prints only the per-epoch line, without the bar.
 */
public final class ProgressBar implements Callback {
    private static final int WIDTH = 20;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintStream out;
    private final int epochs;
    private final int steps;
    private final boolean terminal;
    private final int verbose;
    private long epochStart;
    private long lastDraw;

    /**
     * @param steps batches per epoch
     * @param terminal whether {@code out} is an interactive terminal (redraw in place)
     */
    public ProgressBar(PrintStream out, int epochs, int steps, boolean terminal, int verbose) {
        this.out = out;
        this.epochs = epochs;
        this.steps = steps;
        this.terminal = terminal;
        this.verbose = verbose;
    }

    /** Whether standard output is a terminal (not a pipe or file). */
    public static boolean stdoutIsTerminal() {
        java.io.Console console = System.console();
        return console != null && console.isTerminal();
    }

    @Override
    public void onEpochBegin(int epoch, Map<String, Double> logs) {
        out.println("Epoch " + (epoch + 1) + "/" + epochs);
        out.flush();
        epochStart = System.nanoTime();
        lastDraw = 0;
    }

    @Override
    public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
        if (!terminal || verbose != 1) return;
        long now = System.nanoTime();
        if (batch + 1 < steps && now - lastDraw < REDRAW_NANOS) return;
        lastDraw = now;
        int done = batch + 1;
        double perStep = (now - epochStart) / 1e9 / done;
        String eta = done < steps ? formatSeconds(perStep * (steps - done)) : formatSeconds(perStep * done);
        out.print("\r" + counter(done) + " " + bar(done) + " " + eta + " " + formatPerStep(perStep)
                + formatLogs(logs) + "\u001b[K");
        out.flush();
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        double seconds = (System.nanoTime() - epochStart) / 1e9;
        double perStep = seconds / Math.max(steps, 1);
        String line = verbose == 2
                ? counter(steps) + " - " + formatSeconds(seconds) + " - " + formatPerStep(perStep) + formatLogs(logs)
                : counter(steps) + " " + bar(steps) + " " + formatSeconds(seconds) + " " + formatPerStep(perStep)
                        + formatLogs(logs);
        out.print((terminal && verbose == 1 ? "\r" : "") + line + (terminal ? "\u001b[K" : "") + "\n");
        out.flush();
    }

    private String counter(int done) {
        String total = Integer.toString(steps);
        return " ".repeat(Math.max(0, total.length() - Integer.toString(done).length())) + done + "/" + total;
    }

    private String bar(int done) {
        int filled = steps == 0 ? WIDTH : (int) ((long) done * WIDTH / steps);
        StringBuilder b = new StringBuilder(WIDTH);
        b.append("━".repeat(filled));
        if (filled < WIDTH) b.append(" ".repeat(WIDTH - filled));
        return b.toString();
    }

    private static String formatSeconds(double s) {
        if (s < 60) return Math.round(s) + "s";
        long t = Math.round(s);
        return t >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60)
                : String.format(Locale.ROOT, "%d:%02d", t / 60, t % 60);
    }

    private static String formatPerStep(double seconds) {
        if (seconds >= 1) return String.format(Locale.ROOT, "%.0fs/step", seconds);
        if (seconds >= 1e-3) return String.format(Locale.ROOT, "%.0fms/step", seconds * 1e3);
        return String.format(Locale.ROOT, "%.0fus/step", seconds * 1e6);
    }

    private static String formatLogs(Map<String, Double> logs) {
        StringBuilder b = new StringBuilder();
        logs.entrySet().stream().sorted(Map.Entry.comparingByKey(ProgressBar::keyOrder)).forEach(e ->
                b.append(" - ").append(e.getKey()).append(": ").append(formatValue(e.getValue())));
        return b.toString();
    }

    /** Keras' order: training values alphabetically, then validation values alphabetically. */
    private static int keyOrder(String a, String b) {
        boolean va = a.startsWith("val_");
        boolean vb = b.startsWith("val_");
        return va != vb ? (va ? 1 : -1) : a.compareTo(b);
    }

    private static String formatValue(double v) {
        if (v != 0 && Math.abs(v) < 1e-3) return String.format(Locale.ROOT, "%.4e", v);
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
