package dev.panamax.training;

import dev.panamax.data.FloatArray;
import java.util.Objects;

/**
 * Keras' {@code "accuracy"} (or {@code "acc"}) as given to compile: on the first batch it becomes
 * {@link BinaryAccuracy} when predictions have one column, {@link SparseCategoricalAccuracy} when
 * targets are class indices ({@code [n]} or {@code [n, 1]} against {@code [n, classes]}), and
 * {@link CategoricalAccuracy} otherwise, keeping this metric's name in logs.
 */
public final class Accuracy implements Metric {
    private final String name;
    private MeanMetric resolved;

    /** Named {@code accuracy}. */
    public Accuracy() {
        this("accuracy");
    }

    public Accuracy(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void update(FloatArray yTrue, FloatArray yPred) {
        if (resolved == null) resolved = resolve(yTrue, yPred);
        resolved.update(yTrue, yPred);
    }

    private MeanMetric resolve(FloatArray yTrue, FloatArray yPred) {
        long predLast = yPred.shape().dim(-1);
        long trueLast = yTrue.shape().dim(-1);
        boolean binary = yPred.shape().rank() == 1 || predLast == 1;
        boolean sparse = yTrue.shape().rank() < yPred.shape().rank() || (trueLast == 1 && predLast > 1);
        if (binary) return new BinaryAccuracy(name, 0.5);
        if (sparse) return new SparseCategoricalAccuracy(name);
        return new CategoricalAccuracy(name);
    }

    @Override
    public double result() {
        return resolved == null ? 0 : resolved.result();
    }

    @Override
    public void reset() {
        if (resolved != null) resolved.reset();
    }

    @Override
    public Metric copy() {
        return new Accuracy(name);
    }

    @Override
    public Direction direction() {
        return Direction.UP;
    }
}
