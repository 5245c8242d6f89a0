package dev.panamax.training;

/** The learning rate as a function of the optimizer step (0 for the first). */
@FunctionalInterface
public interface LearningRateSchedule {

    float rate(long step);

    static LearningRateSchedule constant(double learningRate) {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning_rate must be a positive number. Received: learning_rate="
                    + learningRate);
        }
        float lr = (float) learningRate;
        return step -> lr;
    }
}
