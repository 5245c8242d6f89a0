package dev.panamax.training;

import dev.panamax.models.Model;
import java.io.PrintStream;
import java.util.Map;
import java.util.Objects;

/**
 * Keras' {@code LearningRateScheduler}: at the start of each epoch sets the optimizer's learning rate
 * to {@code schedule(epoch, currentRate)}; adds the rate to the epoch's logs as {@code learning_rate}.
 * For a rate that changes every step, give the optimizer a {@link LearningRateSchedule} instead.
 */
public final class LearningRateScheduler implements Callback {

    /** The learning rate for an epoch (0-based), given the current one. */
    @FunctionalInterface
    public interface Schedule {
        double learningRate(int epoch, double currentLearningRate);
    }

    private final Schedule schedule;
    private final int verbose;
    private PrintStream out = System.out;
    private Model model;

    public LearningRateScheduler(Schedule schedule) {
        this(schedule, 0);
    }

    /**
     * @param verbose 1 prints each new rate; 0 is silent
     */
    public LearningRateScheduler(Schedule schedule, int verbose) {
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.verbose = verbose;
    }

    /** Where verbose messages go (standard output by default). */
    public LearningRateScheduler output(PrintStream out) {
        this.out = Objects.requireNonNull(out, "out");
        return this;
    }

    @Override
    public void setModel(Model model) {
        this.model = model;
    }

    @Override
    public void onEpochBegin(int epoch, Map<String, Double> logs) {
        Optimizer optimizer = model.optimizer();
        double rate = schedule.learningRate(epoch, optimizer.learningRate());
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("LearningRateScheduler: the schedule must return a finite learning rate"
                    + " >= 0. Received: " + rate + " for epoch " + epoch);
        }
        optimizer.setLearningRate(rate);
        if (verbose > 0) {
            out.println("\nEpoch " + (epoch + 1) + ": LearningRateScheduler setting learning rate to "
                    + PythonFloats.repr(rate) + ".");
        }
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        logs.put("learning_rate", (double) model.optimizer().learningRate());
    }
}
