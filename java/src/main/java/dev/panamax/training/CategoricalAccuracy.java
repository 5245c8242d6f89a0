package dev.panamax.training;

import dev.panamax.data.FloatArray;

/** Keras' {@code CategoricalAccuracy}: whether the argmax of the prediction is the argmax of the one-hot target. */
public final class CategoricalAccuracy extends MeanMetric {

    /** Named {@code categorical_accuracy}. */
    public CategoricalAccuracy() {
        this("categorical_accuracy");
    }

    public CategoricalAccuracy(String name) {
        super(name);
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
            if (argmax(yPred.data(), offset, classes) == argmax(yTrue.data(), offset, classes)) hits++;
        }
        return hits;
    }

    @Override
    public Metric copy() {
        return new CategoricalAccuracy(name());
    }

    @Override
    public Direction direction() {
        return Direction.UP;
    }
}
