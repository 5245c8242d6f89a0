package dev.panamax.training;

/**
 * Keras' {@code ExponentialDecay}: {@code initial · decayRate^(step / decaySteps)}, with the exponent
 * rounded down when {@code staircase} (the rate then drops once every decaySteps steps).
 */
public record ExponentialDecay(double initialLearningRate, long decaySteps, double decayRate, boolean staircase)
        implements LearningRateSchedule {

    public ExponentialDecay {
        if (!(initialLearningRate >= 0) || Double.isInfinite(initialLearningRate)) {
            throw new IllegalArgumentException("ExponentialDecay: initial_learning_rate must be a finite number >= 0."
                    + " Received: initial_learning_rate=" + initialLearningRate);
        }
        if (decaySteps <= 0) {
            throw new IllegalArgumentException("ExponentialDecay: decay_steps must be > 0. Received: decay_steps="
                    + decaySteps);
        }
        if (!(decayRate > 0) || Double.isInfinite(decayRate)) {
            throw new IllegalArgumentException("ExponentialDecay: decay_rate must be a finite number > 0. Received:"
                    + " decay_rate=" + decayRate);
        }
    }

    /** Keras' default: not staircase. */
    public ExponentialDecay(double initialLearningRate, long decaySteps, double decayRate) {
        this(initialLearningRate, decaySteps, decayRate, false);
    }

    @Override
    public float rate(long step) {
        double p = (double) step / decaySteps;
        if (staircase) p = Math.floor(p);
        return (float) (initialLearningRate * Math.pow(decayRate, p));
    }
}
