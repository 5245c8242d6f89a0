package dev.panamax.training;

import dev.panamax.autograd.Parameter;
import dev.panamax.models.Model;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Keras' {@code EarlyStopping}: stops training when {@code monitor} (default {@code val_loss}) has not
 * improved by more than {@code minDelta} for {@code patience} epochs. In {@code "auto"} mode a loss is
 * minimized and a compiled metric goes the way its {@link Metric#direction()} says. With
 * {@code restoreBestWeights}, the weights of the best epoch are copied aside (to the heap) and put
 * back when training ends. Configure with the fluent setters before {@code fit}:
 * {@code new EarlyStopping().monitor("val_accuracy").patience(3).restoreBestWeights(true)}.
 */
public final class EarlyStopping implements Callback {
    private static final System.Logger LOG = System.getLogger(EarlyStopping.class.getName());

    private String monitor = "val_loss";
    private double minDelta;
    private int patience;
    private int verbose;
    private String mode = "auto";
    private Double baseline;
    private boolean restoreBestWeights;
    private int startFromEpoch;
    private PrintStream out = System.out;

    private Model model;
    private Boolean minimize;
    private int wait;
    private int stoppedEpoch;
    private int bestEpoch;
    private Double best;
    private float[][] bestWeights;

    /** The log value watched, e.g. {@code val_loss} or {@code accuracy}. */
    public EarlyStopping monitor(String monitor) {
        this.monitor = Objects.requireNonNull(monitor, "monitor");
        return this;
    }

    /** The smallest change that counts as an improvement (its sign is ignored, as in Keras). */
    public EarlyStopping minDelta(double minDelta) {
        if (!Double.isFinite(minDelta)) {
            throw new IllegalArgumentException("EarlyStopping: min_delta must be finite. Received: min_delta="
                    + minDelta);
        }
        this.minDelta = Math.abs(minDelta);
        return this;
    }

    /** Epochs without improvement before stopping. */
    public EarlyStopping patience(int patience) {
        if (patience < 0) {
            throw new IllegalArgumentException("EarlyStopping: patience must be >= 0. Received: patience=" + patience);
        }
        this.patience = patience;
        return this;
    }

    /** 1 prints when training stops and when weights are restored; 0 (default) is silent. */
    public EarlyStopping verbose(int verbose) {
        this.verbose = verbose;
        return this;
    }

    /** {@code "min"}, {@code "max"} or {@code "auto"} (default). */
    public EarlyStopping mode(String mode) {
        this.mode = MonitorMode.check("EarlyStopping", mode);
        return this;
    }

    /** Training stops unless the monitored value beats this (as well as the best so far). */
    public EarlyStopping baseline(double baseline) {
        this.baseline = baseline;
        return this;
    }

    /** Restore the weights of the best epoch when training ends. */
    public EarlyStopping restoreBestWeights(boolean restoreBestWeights) {
        this.restoreBestWeights = restoreBestWeights;
        return this;
    }

    /** Epochs to wait before watching at all (a warm-up). */
    public EarlyStopping startFromEpoch(int startFromEpoch) {
        if (startFromEpoch < 0) {
            throw new IllegalArgumentException("EarlyStopping: start_from_epoch must be >= 0. Received:"
                    + " start_from_epoch=" + startFromEpoch);
        }
        this.startFromEpoch = startFromEpoch;
        return this;
    }

    /** Where verbose messages go (standard output by default). */
    public EarlyStopping output(PrintStream out) {
        this.out = Objects.requireNonNull(out, "out");
        return this;
    }

    /** The epoch (0-based) at which training was stopped, or 0 when it was not. */
    public int stoppedEpoch() {
        return stoppedEpoch;
    }

    /** The epoch (0-based) with the best monitored value so far. */
    public int bestEpoch() {
        return bestEpoch;
    }

    @Override
    public void setModel(Model model) {
        this.model = model;
    }

    @Override
    public void onTrainBegin(Map<String, Double> logs) {
        minimize = null;
        wait = 0;
        stoppedEpoch = 0;
        best = null;
        bestWeights = null;
        bestEpoch = 0;
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        if (minimize == null) minimize = resolveMinimize();
        Double current = logs.get(monitor);
        if (current == null) {
            LOG.log(System.Logger.Level.WARNING, "Early stopping conditioned on metric `" + monitor
                    + "` which is not available. Available metrics are: " + String.join(",", logs.keySet()));
            return;
        }
        if (epoch < startFromEpoch) return;
        if (restoreBestWeights && bestWeights == null) {
            // until something improves, the weights now are the best ones
            bestWeights = snapshot();
            bestEpoch = epoch;
        }
        wait++;
        if (isImprovement(current, best)) {
            best = current;
            bestEpoch = epoch;
            if (restoreBestWeights) bestWeights = snapshot();
            // restart the wait only when both the baseline and the best so far are beaten
            if (baseline == null || isImprovement(current, baseline)) wait = 0;
            return;
        }
        if (wait >= patience && epoch > 0) {
            stoppedEpoch = epoch;
            model.stopTraining();
        }
    }

    @Override
    public void onTrainEnd(Map<String, Double> logs) {
        if (stoppedEpoch > 0 && verbose > 0) out.println("Epoch " + (stoppedEpoch + 1) + ": early stopping");
        if (restoreBestWeights && bestWeights != null) {
            if (verbose > 0) {
                out.println("Restoring model weights from the end of the best epoch: " + (bestEpoch + 1) + ".");
            }
            List<Parameter> weights = model.weights();
            for (int i = 0; i < weights.size(); i++) weights.get(i).assign(bestWeights[i]);
        }
    }

    private boolean isImprovement(double value, Double reference) {
        if (reference == null) return true;
        return minimize ? value + minDelta < reference : value - minDelta > reference;
    }

    private boolean resolveMinimize() {
        return MonitorMode.minimize("EarlyStopping", mode, monitor, model);
    }

    private float[][] snapshot() {
        List<Parameter> weights = model.weights();
        float[][] copy = bestWeights != null && bestWeights.length == weights.size() ? bestWeights
                : new float[weights.size()][];
        for (int i = 0; i < copy.length; i++) {
            int size = Math.toIntExact(weights.get(i).shape().size());
            if (copy[i] == null || copy[i].length != size) copy[i] = new float[size];
            weights.get(i).value().copyTo(copy[i]);
        }
        return copy;
    }
}
