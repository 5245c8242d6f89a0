package dev.panamax.training;

import dev.panamax.models.Model;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keras' {@code ModelCheckpoint}: saves the model (or only its weights) at the end of each epoch, or,
 * with {@code saveBestOnly}, only when {@code monitor} (default {@code val_loss}) improves. The path
 * may hold Keras' placeholders: {@code {epoch}} or {@code {epoch:02d}} (1-based) and a log value such
 * as {@code {val_loss:.4f}}. Saves are atomic, so an interrupted save keeps the previous checkpoint.
 */
public final class ModelCheckpoint implements Callback {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?}");

    private final String filepath;
    private String monitor = "val_loss";
    private String mode = "auto";
    private boolean saveBestOnly;
    private boolean saveWeightsOnly;
    private int verbose;
    private PrintStream out = System.out;

    private Model model;
    private Boolean minimize;
    private Double best;

    public ModelCheckpoint(String filepath) {
        if (filepath == null || filepath.isBlank()) {
            throw new IllegalArgumentException("ModelCheckpoint: filepath must be given. Received: filepath=" + filepath);
        }
        this.filepath = filepath;
    }

    public ModelCheckpoint(Path filepath) {
        this(filepath.toString());
    }

    public ModelCheckpoint monitor(String monitor) {
        this.monitor = Objects.requireNonNull(monitor, "monitor");
        return this;
    }

    public ModelCheckpoint mode(String mode) {
        this.mode = MonitorMode.check("ModelCheckpoint", mode);
        return this;
    }

    /** Save only when the monitored value is the best so far. */
    public ModelCheckpoint saveBestOnly(boolean saveBestOnly) {
        this.saveBestOnly = saveBestOnly;
        return this;
    }

    /** Save only the weights (Model.saveWeights) instead of the whole model with its optimizer state. */
    public ModelCheckpoint saveWeightsOnly(boolean saveWeightsOnly) {
        this.saveWeightsOnly = saveWeightsOnly;
        return this;
    }

    /** 1 prints a line for each save (and each skipped one with saveBestOnly). */
    public ModelCheckpoint verbose(int verbose) {
        this.verbose = verbose;
        return this;
    }

    public ModelCheckpoint output(PrintStream out) {
        this.out = Objects.requireNonNull(out, "out");
        return this;
    }

    /** The best monitored value so far, or null before any epoch. */
    public Double best() {
        return best;
    }

    @Override
    public void setModel(Model model) {
        this.model = model;
    }

    @Override
    public void onTrainBegin(Map<String, Double> logs) {
        minimize = null;
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        Path file = Path.of(format(filepath, epoch, logs));
        if (saveBestOnly) {
            Double value = logs.get(monitor);
            if (value == null || value.isNaN()) {
                throw new IllegalStateException("ModelCheckpoint: monitor=" + monitor + " is not in the logs "
                        + logs.keySet() + "; save_best_only needs it (validation data gives val_ values)");
            }
            if (minimize == null) minimize = MonitorMode.minimize("ModelCheckpoint", mode, monitor, model);
            boolean better = best == null || (minimize ? value < best : value > best);
            if (!better) {
                if (verbose > 0) {
                    out.printf(Locale.ROOT, "%nEpoch %d: %s did not improve from %.5f%n", epoch + 1, monitor, best);
                }
                return;
            }
            if (verbose > 0) {
                out.printf(Locale.ROOT, "%nEpoch %d: %s improved from %s to %.5f, saving model to %s%n", epoch + 1,
                        monitor, best == null ? "inf" : String.format(Locale.ROOT, "%.5f", best), value, file);
            }
            best = value;
        } else if (verbose > 0) {
            out.printf(Locale.ROOT, "%nEpoch %d: saving model to %s%n", epoch + 1, file);
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) java.nio.file.Files.createDirectories(parent);
            if (saveWeightsOnly) model.saveWeights(file);
            else model.save(file);
        } catch (IOException e) {
            throw new UncheckedIOException("ModelCheckpoint: cannot save to " + file + ": " + e.getMessage(), e);
        }
    }

    /** Fills Keras' placeholders: {epoch} (1-based, with an optional d format) and log values. */
    static String format(String pattern, int epoch, Map<String, Double> logs) {
        Matcher m = PLACEHOLDER.matcher(pattern);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String key = m.group(1);
            String spec = m.group(2);
            String value;
            if (key.equals("epoch")) {
                value = String.format(Locale.ROOT, "%" + (spec == null ? "d" : spec), epoch + 1);
            } else if (logs.containsKey(key)) {
                value = String.format(Locale.ROOT, "%" + (spec == null ? "s" : spec), logs.get(key));
            } else {
                throw new IllegalArgumentException("ModelCheckpoint: the path " + pattern + " names '" + key
                        + "', which is not in the logs " + logs.keySet());
            }
            m.appendReplacement(b, Matcher.quoteReplacement(value));
        }
        m.appendTail(b);
        return b.toString();
    }
}
