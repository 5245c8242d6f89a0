package dev.panamax.training;

import java.util.OptionalDouble;

/**
 * Keras 3's {@code CosineDecay}: {@code lr · ((1 - alpha) · ½(1 + cos(π · min(step, decaySteps) / decaySteps))
 * + alpha)}. With a warmup target, the rate first rises linearly from {@code initialLearningRate} to
 * {@code warmupTarget} over {@code warmupSteps} steps, then decays from the target, counting steps
 * from the end of the warmup.
 */
public record CosineDecay(double initialLearningRate, long decaySteps, double alpha, OptionalDouble warmupTarget,
                          long warmupSteps) implements LearningRateSchedule {

    public CosineDecay {
        if (!(initialLearningRate >= 0) || Double.isInfinite(initialLearningRate)) {
            throw new IllegalArgumentException("CosineDecay: initial_learning_rate must be a finite number >= 0."
                    + " Received: initial_learning_rate=" + initialLearningRate);
        }
        if (decaySteps <= 0) {
            throw new IllegalArgumentException("CosineDecay: decay_steps must be > 0. Received: decay_steps="
                    + decaySteps);
        }
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("CosineDecay: alpha must be in [0, 1]. Received: alpha=" + alpha);
        }
        if (warmupTarget.isPresent()
                && (!(warmupTarget.getAsDouble() >= 0) || Double.isInfinite(warmupTarget.getAsDouble()))) {
            throw new IllegalArgumentException("CosineDecay: warmup_target must be a finite number >= 0. Received:"
                    + " warmup_target=" + warmupTarget.getAsDouble());
        }
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("CosineDecay: warmup_steps must be >= 0. Received: warmup_steps="
                    + warmupSteps);
        }
    }

    /** Decay to 0 over decaySteps, no warmup (Keras' defaults: alpha 0, warmup_target None). */
    public CosineDecay(double initialLearningRate, long decaySteps) {
        this(initialLearningRate, decaySteps, 0.0);
    }

    public CosineDecay(double initialLearningRate, long decaySteps, double alpha) {
        this(initialLearningRate, decaySteps, alpha, OptionalDouble.empty(), 0);
    }

    /** With a linear warmup from initialLearningRate to warmupTarget over warmupSteps. */
    public CosineDecay(double initialLearningRate, long decaySteps, double alpha, double warmupTarget,
                       long warmupSteps) {
        this(initialLearningRate, decaySteps, alpha, OptionalDouble.of(warmupTarget), warmupSteps);
    }

    @Override
    public float rate(long step) {
        if (warmupTarget.isEmpty()) {
            return (float) decayed(Math.min(step, decaySteps), initialLearningRate);
        }
        double target = warmupTarget.getAsDouble();
        long s = Math.min(step, decaySteps + warmupSteps);
        if (s < warmupSteps) {
            return (float) (initialLearningRate + (target - initialLearningRate) * s / warmupSteps);
        }
        return (float) decayed(s - warmupSteps, target);
    }

    private double decayed(long step, double from) {
        double cosine = 0.5 * (1 + Math.cos(Math.PI * step / decaySteps));
        return from * ((1 - alpha) * cosine + alpha);
    }
}
