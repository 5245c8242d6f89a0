package dev.panamax.training;

import dev.panamax.autograd.Parameter;
import dev.panamax.backend.Backend;
import dev.panamax.tensor.Tensor;

/** Keras' Adam (defaults: learning rate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7). */
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
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(epsilon > 0)) {
            throw new IllegalArgumentException("Adam: beta_1 and beta_2 must be in [0, 1) and epsilon > 0. Received:"
                    + " beta_1=" + beta1 + ", beta_2=" + beta2 + ", epsilon=" + epsilon);
        }
        this.beta1 = (float) beta1;
        this.beta2 = (float) beta2;
        this.epsilon = (float) epsilon;
    }

    @Override
    public String name() {
        return "adam";
    }

    /** Decoupled weight decay per step (AdamW); 0 for Adam. */
    protected float weightDecay() {
        return 0f;
    }

    @Override
    protected Tensor[] createSlots(Parameter p) {
        return new Tensor[] {zerosLike(p), zerosLike(p)};
    }

    @Override
    protected void update(Backend backend, Parameter p, Tensor grad, Tensor[] slots, float lr, long step) {
        backend.adamUpdate(p.value(), grad, slots[0], slots[1], lr, beta1, beta2, epsilon, step, weightDecay());
    }
}
