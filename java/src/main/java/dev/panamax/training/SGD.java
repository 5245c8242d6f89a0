package dev.panamax.training;

import dev.panamax.autograd.Parameter;
import dev.panamax.backend.Backend;
import dev.panamax.tensor.Tensor;

/** Keras' SGD with optional momentum and Nesterov momentum (defaults: learning rate 0.01, no momentum). */
public class SGD extends Optimizer {
    private final float momentum;
    private final boolean nesterov;
    private final float weightDecay;

    public SGD() {
        this(0.01);
    }

    public SGD(double learningRate) {
        this(learningRate, 0, false, 0);
    }

    public SGD(double learningRate, double momentum, boolean nesterov) {
        this(learningRate, momentum, nesterov, 0);
    }

    public SGD(double learningRate, double momentum, boolean nesterov, double weightDecay) {
        super(learningRate);
        if (!(momentum >= 0 && momentum <= 1) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("SGD: `momentum` must be in [0, 1] and weight_decay >= 0. Received:"
                    + " momentum=" + momentum + ", weight_decay=" + weightDecay);
        }
        this.momentum = (float) momentum;
        this.nesterov = nesterov;
        this.weightDecay = (float) weightDecay;
    }

    @Override
    public String name() {
        return "sgd";
    }

    @Override
    protected Tensor[] createSlots(Parameter p) {
        return momentum == 0f ? new Tensor[] {null} : new Tensor[] {zerosLike(p)};
    }

    @Override
    protected void update(Backend backend, Parameter p, Tensor grad, Tensor[] slots, float lr, long step) {
        backend.sgdUpdate(p.value(), grad, slots[0], lr, momentum, nesterov, weightDecay);
    }
}
