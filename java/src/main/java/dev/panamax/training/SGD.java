package dev.panamax.training;

import dev.panamax.autograd.Parameter;
import dev.panamax.backend.Backend;
import dev.panamax.tensor.Tensor;

/**
 * Keras' SGD with optional momentum and Nesterov momentum (defaults: learning rate 0.01, no momentum):
 * {@code v = momentum·v - lr·g}, then {@code p += v}, or with Nesterov {@code p += momentum·v - lr·g};
 * without momentum {@code p -= lr·g}.
 */
public class SGD extends Optimizer {
    private final float momentum;
    private final boolean nesterov;

    public SGD() {
        this(0.01);
    }

    public SGD(double learningRate) {
        this(learningRate, 0, false);
    }

    public SGD(double learningRate, double momentum, boolean nesterov) {
        super(learningRate);
        this.momentum = checkMomentum(momentum);
        this.nesterov = nesterov;
    }

    /** With a global {@code weight_decay} (see {@link Optimizer#weightDecay(double)}). */
    public SGD(double learningRate, double momentum, boolean nesterov, double weightDecay) {
        this(learningRate, momentum, nesterov);
        weightDecay(weightDecay);
    }

    public SGD(LearningRateSchedule learningRate) {
        this(learningRate, 0, false);
    }

    public SGD(LearningRateSchedule learningRate, double momentum, boolean nesterov) {
        super(learningRate);
        this.momentum = checkMomentum(momentum);
        this.nesterov = nesterov;
    }

    private static float checkMomentum(double momentum) {
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("SGD: momentum must be a float in [0, 1]. Received: momentum="
                    + momentum);
        }
        return (float) momentum;
    }

    @Override
    public String name() {
        return "sgd";
    }

    public float momentum() {
        return momentum;
    }

    public boolean nesterov() {
        return nesterov;
    }

    @Override
    protected Tensor[] createSlots(Parameter p) {
        return momentum == 0f ? new Tensor[] {null} : new Tensor[] {zerosLike(p)};
    }

    @Override
    protected void update(Backend backend, Parameter p, Tensor grad, Tensor[] slots, float lr, float weightDecay,
                          long step) {
        backend.sgdUpdate(p.value(), grad, slots[0], lr, momentum, nesterov, weightDecay);
    }
}
