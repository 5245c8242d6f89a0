package dev.panamax.training;

import dev.panamax.autograd.Parameter;
import dev.panamax.backend.Backend;
import dev.panamax.tensor.Tensor;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Updates parameters from their gradients, one fused backend kernel per parameter. Slot state
 * (momentum, moments) is made on first use in the parameter's own scope, so it lives as long as
 * the model. {@link #iterations()} counts applied steps, as Keras' {@code optimizer.iterations}.
 */
public abstract class Optimizer {
    private final Map<Parameter, Tensor[]> slots = new IdentityHashMap<>();
    private LearningRateSchedule schedule;
    private long iterations;

    protected Optimizer(LearningRateSchedule schedule) {
        this.schedule = schedule;
    }

    protected Optimizer(double learningRate) {
        this(LearningRateSchedule.constant(learningRate));
    }

    /** Keras' name, e.g. {@code adam}. */
    public abstract String name();

    /** The learning rate for the next step. */
    public float learningRate() {
        return schedule.rate(iterations);
    }

    /** Replaces the learning rate by a constant (what ReduceLROnPlateau and LearningRateScheduler do). */
    public void setLearningRate(double learningRate) {
        this.schedule = LearningRateSchedule.constant(learningRate);
    }

    public void setSchedule(LearningRateSchedule schedule) {
        this.schedule = schedule;
    }

    public long iterations() {
        return iterations;
    }

    /** For resuming from a checkpoint. */
    public void setIterations(long iterations) {
        this.iterations = iterations;
    }

    /** One step over {@code params} (their gradients as accumulated); frozen ones are skipped. */
    public void apply(Backend backend, List<Parameter> params) {
        float lr = learningRate();
        iterations++;
        for (Parameter p : params) {
            if (!p.trainable() || !p.hasGrad()) continue;
            update(backend, p, p.grad(), slots.computeIfAbsent(p, this::createSlots), lr, iterations);
        }
    }

    /** The state this optimizer keeps for {@code p} (e.g. Adam's m and v); zero-filled. */
    protected abstract Tensor[] createSlots(Parameter p);

    protected abstract void update(Backend backend, Parameter p, Tensor grad, Tensor[] slots, float learningRate,
                                   long step);

    /** The slot tensors of {@code p}, made (zeroed) if this optimizer has not updated it yet. */
    public Tensor[] slotsFor(Parameter p) {
        return slots.computeIfAbsent(p, this::createSlots);
    }

    /** Slot tensors by parameter, for saving optimizer state. */
    public Map<Parameter, Tensor[]> slots() {
        return slots;
    }

    protected static Tensor zerosLike(Parameter p) {
        return Tensor.zeros(p.value().scope(), p.value().dtype(), p.shape());
    }

    protected static void checkRate(String optimizer, double learningRate) {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException(optimizer + ": learning_rate must be a positive number. Received: "
                    + "learning_rate=" + learningRate);
        }
    }
}
