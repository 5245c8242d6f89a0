package dev.panamax.training;

import java.util.Objects;

/**
 * A linear warmup in front of another schedule: the rate rises linearly from
 * {@code initialLearningRate} to {@code schedule.rate(0)} over {@code warmupSteps} steps, then follows
 * {@code schedule} with steps counted from the end of the warmup (how Keras' CosineDecay warms up,
 * for any schedule).
 */
public record LinearWarmup(LearningRateSchedule schedule, long warmupSteps, double initialLearningRate)
        implements LearningRateSchedule {

    public LinearWarmup {
        Objects.requireNonNull(schedule, "schedule");
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("LinearWarmup: warmup_steps must be >= 0. Received: warmup_steps="
                    + warmupSteps);
        }
        if (!(initialLearningRate >= 0) || Double.isInfinite(initialLearningRate)) {
            throw new IllegalArgumentException("LinearWarmup: initial_learning_rate must be a finite number >= 0."
                    + " Received: initial_learning_rate=" + initialLearningRate);
        }
    }

    /** Warmup from 0. */
    public LinearWarmup(LearningRateSchedule schedule, long warmupSteps) {
        this(schedule, warmupSteps, 0.0);
    }

    @Override
    public float rate(long step) {
        if (step >= warmupSteps) return schedule.rate(step - warmupSteps);
        double target = schedule.rate(0);
        return (float) (initialLearningRate + (target - initialLearningRate) * step / warmupSteps);
    }
}
