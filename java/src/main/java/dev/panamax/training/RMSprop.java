package dev.panamax.training;

import dev.panamax.autograd.Parameter;
import dev.panamax.backend.Backend;
import dev.panamax.backend.BinaryOp;
import dev.panamax.tensor.Tensor;

/**
 * Keras' RMSprop (defaults: learning rate 0.001, rho 0.9, momentum 0, epsilon 1e-7, not centered):
 * {@code v = ρ·v + (1-ρ)·g²}; centered, also {@code a = ρ·a + (1-ρ)·g} and the denominator is
 * {@code v - a²} instead of v; {@code inc = lr·g / sqrt(denominator + ε)}; then {@code p -= inc}, or
 * with momentum {@code mom = momentum·mom + inc}, {@code p -= mom}.
 */
public class RMSprop extends Optimizer {
    private final float rho;
    private final float momentum;
    private final float epsilon;
    private final boolean centered;

    public RMSprop() {
        this(0.001);
    }

    public RMSprop(double learningRate) {
        this(learningRate, 0.9, 0, 1e-7, false);
    }

    public RMSprop(double learningRate, double rho, double momentum, double epsilon, boolean centered) {
        super(learningRate);
        checkArguments(rho, momentum, epsilon);
        this.rho = (float) rho;
        this.momentum = (float) momentum;
        this.epsilon = (float) epsilon;
        this.centered = centered;
    }

    public RMSprop(LearningRateSchedule learningRate) {
        this(learningRate, 0.9, 0, 1e-7, false);
    }

    public RMSprop(LearningRateSchedule learningRate, double rho, double momentum, double epsilon, boolean centered) {
        super(learningRate);
        checkArguments(rho, momentum, epsilon);
        this.rho = (float) rho;
        this.momentum = (float) momentum;
        this.epsilon = (float) epsilon;
        this.centered = centered;
    }

    private static void checkArguments(double rho, double momentum, double epsilon) {
        if (!(rho >= 0 && rho < 1) || !(momentum >= 0 && momentum <= 1) || !(epsilon > 0)
                || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("RMSprop: rho must be in [0, 1), momentum in [0, 1] and epsilon a finite"
                    + " number > 0. Received: rho=" + rho + ", momentum=" + momentum + ", epsilon=" + epsilon);
        }
    }

    @Override
    public String name() {
        return "rmsprop";
    }

    public float rho() {
        return rho;
    }

    public float momentum() {
        return momentum;
    }

    public float epsilon() {
        return epsilon;
    }

    public boolean centered() {
        return centered;
    }

    /** Slots: velocity (v), momentum (null when 0), average gradient (centered only, else null). */
    @Override
    protected Tensor[] createSlots(Parameter p) {
        return new Tensor[] {zerosLike(p), momentum > 0 ? zerosLike(p) : null, centered ? zerosLike(p) : null};
    }

    @Override
    protected int scratchBuffers() {
        return centered ? 2 : 0;
    }

    @Override
    protected void update(Backend backend, Parameter p, Tensor grad, Tensor[] slots, float lr, float weightDecay,
                          long step) {
        Tensor velocity = slots[0];
        Tensor momentumBuffer = slots[1];
        if (!centered) {
            backend.rmspropUpdate(p.value(), grad, velocity, momentumBuffer, lr, rho, momentum, epsilon, weightDecay);
            return;
        }
        Tensor average = slots[2];
        Tensor squared = scratch(0, p.shape());
        Tensor work = scratch(1, p.shape());
        backend.binary(BinaryOp.MUL, grad, grad, squared);
        // v = ρ·v + (1-ρ)·g²
        backend.affine(squared, 1f - rho, 0f, work);
        backend.affine(velocity, rho, 0f, velocity);
        backend.binary(BinaryOp.ADD, velocity, work, velocity);
        // a = ρ·a + (1-ρ)·g
        backend.affine(grad, 1f - rho, 0f, work);
        backend.affine(average, rho, 0f, average);
        backend.binary(BinaryOp.ADD, average, work, average);
        // denominator v - a²
        backend.binary(BinaryOp.MUL, average, average, work);
        backend.binary(BinaryOp.SUB, velocity, work, work);
        RootDivisionStep.apply(backend, p.value(), grad, squared, work, momentumBuffer, lr, momentum, epsilon,
                weightDecay);
    }
}
