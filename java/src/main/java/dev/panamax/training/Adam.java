package dev.panamax.training;

import dev.panamax.autograd.Parameter;
import dev.panamax.backend.Backend;
import dev.panamax.tensor.Tensor;

/**
 * Keras' Adam (defaults: learning rate 0.001, beta_1 0.9, beta_2 0.999, epsilon 1e-7):
 * {@code m = β1·m + (1-β1)·g}, {@code v = β2·v + (1-β2)·g²},
 * {@code p -= lr·sqrt(1-β2^t)/(1-β1^t) · m / (sqrt(v) + ε)}.
 */
public class Adam extends Optimizer {
    private final float beta1;
    private final float beta2;
    private final float epsilon;

    public Adam() {
        this(0.001);
    }

    public Adam(double learningRate) {
        this(learningRate, 0.9, 0.999, 1e-7);
    }

    public Adam(double learningRate, double beta1, double beta2, double epsilon) {
        super(learningRate);
        checkArguments(getClass().getSimpleName(), beta1, beta2, epsilon);
        this.beta1 = (float) beta1;
        this.beta2 = (float) beta2;
        this.epsilon = (float) epsilon;
    }

    public Adam(LearningRateSchedule learningRate) {
        this(learningRate, 0.9, 0.999, 1e-7);
    }

    public Adam(LearningRateSchedule learningRate, double beta1, double beta2, double epsilon) {
        super(learningRate);
        checkArguments(getClass().getSimpleName(), beta1, beta2, epsilon);
        this.beta1 = (float) beta1;
        this.beta2 = (float) beta2;
        this.epsilon = (float) epsilon;
    }

    private static void checkArguments(String optimizer, double beta1, double beta2, double epsilon) {
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException(optimizer + ": beta_1 and beta_2 must be in [0, 1) and epsilon a finite"
                    + " number > 0. Received: beta_1=" + beta1 + ", beta_2=" + beta2 + ", epsilon=" + epsilon);
        }
    }

    @Override
    public String name() {
        return "adam";
    }

    public float beta1() {
        return beta1;
    }

    public float beta2() {
        return beta2;
    }

    public float epsilon() {
        return epsilon;
    }

    @Override
    protected Tensor[] createSlots(Parameter p) {
        return new Tensor[] {zerosLike(p), zerosLike(p)};
    }

    @Override
    protected void update(Backend backend, Parameter p, Tensor grad, Tensor[] slots, float lr, float weightDecay,
                          long step) {
        backend.adamUpdate(p.value(), grad, slots[0], slots[1], lr, beta1, beta2, epsilon, step, weightDecay);
    }
}
