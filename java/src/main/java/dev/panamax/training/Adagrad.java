package dev.panamax.training;

import dev.panamax.autograd.Parameter;
import dev.panamax.backend.Backend;
import dev.panamax.backend.BinaryOp;
import dev.panamax.tensor.Tensor;

/**
 * Keras' Adagrad (defaults: learning rate 0.001, initial_accumulator_value 0.1, epsilon 1e-7):
 * {@code acc += g²}, {@code p -= lr·g / sqrt(acc + ε)}. Composed from backend primitives (there is
 * no Adagrad kernel); see {@link RootDivisionStep}.
 */
public class Adagrad extends Optimizer {
    private final float initialAccumulatorValue;
    private final float epsilon;

    public Adagrad() {
        this(0.001);
    }

    public Adagrad(double learningRate) {
        this(learningRate, 0.1, 1e-7);
    }

    public Adagrad(double learningRate, double initialAccumulatorValue, double epsilon) {
        super(learningRate);
        checkArguments(initialAccumulatorValue, epsilon);
        this.initialAccumulatorValue = (float) initialAccumulatorValue;
        this.epsilon = (float) epsilon;
    }

    public Adagrad(LearningRateSchedule learningRate) {
        this(learningRate, 0.1, 1e-7);
    }

    public Adagrad(LearningRateSchedule learningRate, double initialAccumulatorValue, double epsilon) {
        super(learningRate);
        checkArguments(initialAccumulatorValue, epsilon);
        this.initialAccumulatorValue = (float) initialAccumulatorValue;
        this.epsilon = (float) epsilon;
    }

    private static void checkArguments(double initialAccumulatorValue, double epsilon) {
        if (!(initialAccumulatorValue >= 0) || Double.isInfinite(initialAccumulatorValue) || !(epsilon > 0)
                || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("Adagrad: initial_accumulator_value must be a finite number >= 0 and"
                    + " epsilon a finite number > 0. Received: initial_accumulator_value=" + initialAccumulatorValue
                    + ", epsilon=" + epsilon);
        }
    }

    @Override
    public String name() {
        return "adagrad";
    }

    public float initialAccumulatorValue() {
        return initialAccumulatorValue;
    }

    public float epsilon() {
        return epsilon;
    }

    @Override
    protected Tensor[] createSlots(Parameter p) {
        Tensor accumulator = zerosLike(p);
        accumulator.fill(initialAccumulatorValue);
        return new Tensor[] {accumulator};
    }

    @Override
    protected int scratchBuffers() {
        return 1;
    }

    @Override
    protected void update(Backend backend, Parameter p, Tensor grad, Tensor[] slots, float lr, float weightDecay,
                          long step) {
        Tensor accumulator = slots[0];
        Tensor squared = scratch(0, p.shape());
        backend.binary(BinaryOp.MUL, grad, grad, squared);
        backend.binary(BinaryOp.ADD, accumulator, squared, accumulator);
        RootDivisionStep.apply(backend, p.value(), grad, squared, accumulator, null, lr, 0f, epsilon, weightDecay);
    }
}
