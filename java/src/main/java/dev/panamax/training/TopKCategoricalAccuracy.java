package dev.panamax.training;

import dev.panamax.data.FloatArray;

/**
 * Keras' {@code TopKCategoricalAccuracy}: whether the class of the one-hot target's argmax is among the
 * k largest predictions (k = 5 by default; ties at the boundary count as in).
 */
public final class TopKCategoricalAccuracy extends MeanMetric {
    private final int k;

    /** Named {@code top_k_categorical_accuracy}, k = 5. */
    public TopKCategoricalAccuracy() {
        this("top_k_categorical_accuracy", 5);
    }

    public TopKCategoricalAccuracy(int k) {
        this("top_k_categorical_accuracy", k);
    }

    public TopKCategoricalAccuracy(String name, int k) {
        super(name);
        if (k < 1) throw new IllegalArgumentException(name + ": k must be >= 1. Received: k=" + k);
        this.k = k;
    }

    public int k() {
        return k;
    }

    @Override
    double sumOverRows(FloatArray yTrue, FloatArray yPred) {
        if (!yTrue.shape().equals(yPred.shape())) {
            throw shapeError(yTrue, yPred, "one-hot targets of the predictions' shape");
        }
        int classes = yPred.rowSize();
        double hits = 0;
        for (int row = 0; row < yPred.rows(); row++) {
            int offset = row * classes;
            if (inTopK(yPred.data(), offset, classes, argmax(yTrue.data(), offset, classes), k)) hits++;
        }
        return hits;
    }

    @Override
    public Metric copy() {
        return new TopKCategoricalAccuracy(name(), k);
    }

    @Override
    public Direction direction() {
        return Direction.UP;
    }
}
