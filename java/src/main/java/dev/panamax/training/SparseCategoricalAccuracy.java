package dev.panamax.training;

import dev.panamax.data.FloatArray;

/** Keras' {@code SparseCategoricalAccuracy}: whether the argmax of the prediction is the target class index. */
public final class SparseCategoricalAccuracy extends MeanMetric {

    /** Named {@code sparse_categorical_accuracy}. */
    public SparseCategoricalAccuracy() {
        this("sparse_categorical_accuracy");
    }

    public SparseCategoricalAccuracy(String name) {
        super(name);
    }

    @Override
    double sumOverRows(FloatArray yTrue, FloatArray yPred) {
        if (yTrue.rowSize() != 1) {
            throw shapeError(yTrue, yPred, "one class index per example");
        }
        int classes = yPred.rowSize();
        double hits = 0;
        for (int row = 0; row < yPred.rows(); row++) {
            if (argmax(yPred.data(), row * classes, classes) == yTrue.data()[row]) hits++;
        }
        return hits;
    }

    @Override
    public Metric copy() {
        return new SparseCategoricalAccuracy(name());
    }

    @Override
    public Direction direction() {
        return Direction.UP;
    }
}
