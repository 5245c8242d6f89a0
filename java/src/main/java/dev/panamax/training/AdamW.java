package dev.panamax.training;

/**
 * Keras' AdamW: Adam with decoupled weight decay {@code p -= lr·weight_decay·p} before each update
 * (defaults: learning rate 0.001, weight_decay 0.004, beta_1 0.9, beta_2 0.999, epsilon 1e-7).
 */
public class AdamW extends Adam {

    public AdamW() {
        this(0.001);
    }

    public AdamW(double learningRate) {
        this(learningRate, 0.004);
    }

    public AdamW(double learningRate, double weightDecay) {
        this(learningRate, weightDecay, 0.9, 0.999, 1e-7);
    }

    public AdamW(double learningRate, double weightDecay, double beta1, double beta2, double epsilon) {
        super(learningRate, beta1, beta2, epsilon);
        weightDecay(weightDecay);
    }

    public AdamW(LearningRateSchedule learningRate) {
        this(learningRate, 0.004);
    }

    public AdamW(LearningRateSchedule learningRate, double weightDecay) {
        this(learningRate, weightDecay, 0.9, 0.999, 1e-7);
    }

    public AdamW(LearningRateSchedule learningRate, double weightDecay, double beta1, double beta2, double epsilon) {
        super(learningRate, beta1, beta2, epsilon);
        weightDecay(weightDecay);
    }

    @Override
    public String name() {
        return "adamw";
    }
}
