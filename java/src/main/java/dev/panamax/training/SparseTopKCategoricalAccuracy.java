package dev.panamax.training;

import dev.panamax.data.FloatArray;

/**
 * Keras' {@code SparseTopKCategoricalAccuracy}: whether the target class index is among the k largest
 * predictions (k = 5 by default; ties at the boundary count as in).
 */
public final class SparseTopKCategoricalAccuracy extends MeanMetric {
    private final int k;

    /** Named {@code sparse_top_k_categorical_accuracy}, k = 5. */
    public SparseTopKCategoricalAccuracy() {
        this("sparse_top_k_categorical_accuracy", 5);
    }

    public SparseTopKCategoricalAccuracy(int k) {
        this("sparse_top_k_categorical_accuracy", k);
    }

    public SparseTopKCategoricalAccuracy(String name, int k) {
        super(name);
        if (k < 1) throw new IllegalArgumentException(name + ": k must be >= 1. Received: k=" + k);
        this.k = k;
    }

    public int k() {
        return k;
    }

    @Override
    double sumOverRows(FloatArray yTrue, FloatArray yPred) {
        if (yTrue.rowSize() != 1) {
            throw shapeError(yTrue, yPred, "one class index per example");
        }
        int classes = yPred.rowSize();
        double hits = 0;
        for (int row = 0; row < yPred.rows(); row++) {
            int label = classIndex(yTrue.data()[row], row, classes);
            if (inTopK(yPred.data(), row * classes, classes, label, k)) hits++;
        }
        return hits;
    }

    @Override
    public Metric copy() {
        return new SparseTopKCategoricalAccuracy(name(), k);
    }

    @Override
    public Direction direction() {
        return Direction.UP;
    }
}
