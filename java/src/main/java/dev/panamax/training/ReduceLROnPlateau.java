package dev.panamax.training;

import dev.panamax.models.Model;
import java.io.PrintStream;
import java.util.Map;
import java.util.Objects;

/**
 * Keras' {@code ReduceLROnPlateau}: multiplies the learning rate by {@code factor} (0.1) when
 * {@code monitor} (default {@code val_loss}) has not improved by more than {@code minDelta} (1e-4)
 * for {@code patience} (10) epochs, then waits {@code cooldown} epochs before counting again; never
 * below {@code minLr}. In {@code "auto"} mode a monitor whose name contains "acc" is maximized, any
 * other minimized (as in Keras). Adds the current rate to the epoch's logs as {@code learning_rate}.
 */
public final class ReduceLROnPlateau implements Callback {
    private static final System.Logger LOG = System.getLogger(ReduceLROnPlateau.class.getName());

    private String monitor = "val_loss";
    private double factor = 0.1;
    private int patience = 10;
    private int verbose;
    private String mode = "auto";
    private double minDelta = 1e-4;
    private int cooldown;
    private double minLr;
    private PrintStream out = System.out;

    private Model model;
    private boolean maximize;
    private double best;
    private int wait;
    private int cooldownCounter;

    public ReduceLROnPlateau monitor(String monitor) {
        this.monitor = Objects.requireNonNull(monitor, "monitor");
        return this;
    }

    /** The new rate is {@code rate · factor}; in [0, 1). */
    public ReduceLROnPlateau factor(double factor) {
        if (!(factor >= 0)) {
            throw new IllegalArgumentException("ReduceLROnPlateau: factor must be >= 0. Received: factor=" + factor);
        }
        if (factor >= 1.0) {
            throw new IllegalArgumentException("ReduceLROnPlateau does not support a factor >= 1.0. Received: factor="
                    + factor);
        }
        this.factor = factor;
        return this;
    }

    public ReduceLROnPlateau patience(int patience) {
        if (patience < 0) {
            throw new IllegalArgumentException("ReduceLROnPlateau: patience must be >= 0. Received: patience="
                    + patience);
        }
        this.patience = patience;
        return this;
    }

    /** 1 prints each reduction; 0 (default) is silent. */
    public ReduceLROnPlateau verbose(int verbose) {
        this.verbose = verbose;
        return this;
    }

    /** {@code "min"}, {@code "max"} or {@code "auto"} (default). */
    public ReduceLROnPlateau mode(String mode) {
        this.mode = MonitorMode.check("ReduceLROnPlateau", mode);
        return this;
    }

    /** The smallest change that counts as an improvement. */
    public ReduceLROnPlateau minDelta(double minDelta) {
        if (!(minDelta >= 0) || Double.isInfinite(minDelta)) {
            throw new IllegalArgumentException("ReduceLROnPlateau: min_delta must be a finite number >= 0. Received:"
                    + " min_delta=" + minDelta);
        }
        this.minDelta = minDelta;
        return this;
    }

    /** Epochs to wait after a reduction before counting epochs without improvement again. */
    public ReduceLROnPlateau cooldown(int cooldown) {
        if (cooldown < 0) {
            throw new IllegalArgumentException("ReduceLROnPlateau: cooldown must be >= 0. Received: cooldown="
                    + cooldown);
        }
        this.cooldown = cooldown;
        return this;
    }

    /** The rate is never reduced below this. */
    public ReduceLROnPlateau minLr(double minLr) {
        if (!(minLr >= 0) || Double.isInfinite(minLr)) {
            throw new IllegalArgumentException("ReduceLROnPlateau: min_lr must be a finite number >= 0. Received:"
                    + " min_lr=" + minLr);
        }
        this.minLr = minLr;
        return this;
    }

    /** Where verbose messages go (standard output by default). */
    public ReduceLROnPlateau output(PrintStream out) {
        this.out = Objects.requireNonNull(out, "out");
        return this;
    }

    @Override
    public void setModel(Model model) {
        this.model = model;
    }

    @Override
    public void onTrainBegin(Map<String, Double> logs) {
        maximize = mode.equals("max") || (mode.equals("auto") && monitor.contains("acc"));
        best = maximize ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        cooldownCounter = 0;
        wait = 0;
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        Optimizer optimizer = model.optimizer();
        logs.put("learning_rate", (double) optimizer.learningRate());
        Double current = logs.get(monitor);
        if (current == null) {
            LOG.log(System.Logger.Level.WARNING, "Learning rate reduction is conditioned on metric `" + monitor
                    + "` which is not available. Available metrics are: " + String.join(",", logs.keySet()));
            return;
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            wait = 0;
        }
        if (maximize ? current > best + minDelta : current < best - minDelta) {
            best = current;
            wait = 0;
        } else if (cooldownCounter == 0) {
            wait++;
            if (wait >= patience) {
                float oldLr = optimizer.learningRate();
                if (oldLr > (float) minLr) {
                    double newLr = Math.max(oldLr * factor, minLr);
                    optimizer.setLearningRate(newLr);
                    if (verbose > 0) {
                        out.println("\nEpoch " + (epoch + 1) + ": ReduceLROnPlateau reducing learning rate to "
                                + PythonFloats.repr(newLr) + ".");
                    }
                    cooldownCounter = cooldown;
                    wait = 0;
                }
            }
        }
    }
}
