package dev.panamax.training;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * Keras 3's progress bar as a callback: {@code Epoch 3/12} (when there is more than one epoch), then
 * {@code 469/469 ━━━━━━━━━━━━━━━━━━━━ 12s 25ms/step - accuracy: 0.9912 - loss: 0.0281}. On a terminal
 * the line is redrawn in place, with Keras' colours and an ETA, while the epoch runs; otherwise (a
 * log file, CI) each epoch prints one final line, without escape codes. Verbose 2 prints only the
 * per-epoch line, without the bar: {@code 469/469 - 12s - 25ms/step - accuracy: 0.9912 - loss: 0.0281}.
 * Time per step leaves out the first step (warm-up), as Keras does.
 */
public final class ProgressBar implements Callback {
    private static final int WIDTH = 20;
    private static final long REDRAW_NANOS = 50_000_000L;
    private static final String BOLD = "\u001b[1m";
    private static final String GREEN = "\u001b[32m";
    private static final String GRAY = "\u001b[37m";
    private static final String RESET = "\u001b[0m";
    private static final String CLEAR_TO_END = "\u001b[K";

    private final PrintStream out;
    private final int epochs;
    private final int steps;
    private final boolean terminal;
    private final int verbose;
    private long epochStart;
    private long afterFirstStep;
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
        if (epochs > 1) {
            out.println("Epoch " + (epoch + 1) + "/" + epochs);
            out.flush();
        }
        epochStart = System.nanoTime();
        afterFirstStep = 0;
        lastDraw = 0;
    }

    @Override
    public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
        long now = System.nanoTime();
        int done = batch + 1;
        if (done == 1) afterFirstStep = now;
        if (!terminal || verbose != 1) return;
        if (done < steps && now - lastDraw < REDRAW_NANOS) return;
        lastDraw = now;
        double perStep = secondsPerStep(done, now);
        String eta = BOLD + formatEta(perStep * Math.max(steps - done, 0)) + RESET;
        out.print("\r" + counter(done, true) + " " + bar(done, true) + " " + eta + " " + formatPerStep(perStep)
                + formatLogs(logs) + CLEAR_TO_END);
        out.flush();
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        long now = System.nanoTime();
        double perStep = secondsPerStep(steps, now);
        String elapsed = String.format(Locale.ROOT, "%.0fs", (now - epochStart) / 1e9);
        String line;
        if (verbose == 2) {
            line = counter(steps, false) + " - " + elapsed + " - " + formatPerStep(perStep) + formatLogs(logs);
        } else {
            boolean colour = terminal;
            line = counter(steps, colour) + " " + bar(steps, colour) + " " + (colour ? BOLD + elapsed + RESET : elapsed)
                    + " " + formatPerStep(perStep) + formatLogs(logs);
        }
        boolean redrawn = terminal && verbose == 1;
        out.print((redrawn ? "\r" : "") + line + (redrawn ? CLEAR_TO_END : "") + "\n");
        out.flush();
    }

    /** Keras' estimate: time since the first step over the steps after it, once there are two. */
    private double secondsPerStep(int done, long now) {
        if (done <= 0) return 0;
        if (afterFirstStep != 0 && done > 1) return (now - afterFirstStep) / 1e9 / (done - 1);
        return (now - epochStart) / 1e9 / done;
    }

    private String counter(int done, boolean colour) {
        String total = Integer.toString(steps);
        String c = " ".repeat(Math.max(0, total.length() - Integer.toString(done).length())) + done + "/" + total;
        return colour ? BOLD + c + RESET : c;
    }

    private String bar(int done, boolean colour) {
        int filled = steps == 0 ? WIDTH : (int) ((long) done * WIDTH / steps);
        if (!colour) return "━".repeat(filled) + " ".repeat(WIDTH - filled);
        return (filled > 0 ? GREEN + "━".repeat(filled) + RESET : "") + GRAY + "━".repeat(WIDTH - filled) + RESET;
    }

    /** Keras' ETA: whole seconds below a minute, then m:ss, then h:mm:ss (truncated, not rounded). */
    static String formatEta(double seconds) {
        long t = (long) seconds;
        if (seconds > 3600) return String.format(Locale.ROOT, "%d:%02d:%02d", t / 3600, t % 3600 / 60, t % 60);
        if (seconds > 60) return String.format(Locale.ROOT, "%d:%02d", t / 60, t % 60);
        return t + "s";
    }

    static String formatPerStep(double seconds) {
        if (seconds >= 1 || seconds == 0) return String.format(Locale.ROOT, "%.0fs/step", seconds);
        if (seconds >= 1e-3) return String.format(Locale.ROOT, "%.0fms/step", seconds * 1e3);
        return String.format(Locale.ROOT, "%.0fus/step", seconds * 1e6);
    }

    static String formatLogs(Map<String, Double> logs) {
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

    /** Keras' format: 4 decimals when |v| > 1e-3, else scientific (0 included); nan and inf as Python writes them. */
    static String formatValue(double v) {
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        if (Math.abs(v) > 1e-3) return String.format(Locale.ROOT, "%.4f", v);
        return String.format(Locale.ROOT, "%.4e", v);
    }
}
