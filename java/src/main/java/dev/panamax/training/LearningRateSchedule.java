package dev.panamax.training;

/**
 * The learning rate as a function of the optimizer step (0 for the first), as Keras'
 * {@code LearningRateSchedule}: {@link ExponentialDecay}, {@link PiecewiseConstantDecay},
 * {@link CosineDecay}, and {@link LinearWarmup} in front of any of them.
 */
@FunctionalInterface
public interface LearningRateSchedule {

    float rate(long step);

    /** The same rate at every step. */
    static LearningRateSchedule constant(double learningRate) {
        if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning_rate must be a finite number >= 0. Received: learning_rate="
                    + learningRate);
        }
        float lr = (float) learningRate;
        return step -> lr;
    }
}
