package dev.panamax.training;

import dev.panamax.data.FloatArray;

/** Keras' {@code MeanAbsoluteError} metric: the mean over examples of each example's mean absolute error. */
public final class MeanAbsoluteError extends MeanMetric {

    /** Named {@code mean_absolute_error}. */
    public MeanAbsoluteError() {
        this("mean_absolute_error");
    }

    public MeanAbsoluteError(String name) {
        super(name);
    }

    @Override
    double sumOverRows(FloatArray yTrue, FloatArray yPred) {
        if (yTrue.shape().size() != yPred.shape().size()) {
            throw shapeError(yTrue, yPred, "one target per prediction");
        }
        float[] t = yTrue.data();
        float[] p = yPred.data();
        int width = yPred.rowSize();
        double sum = 0;
        for (int row = 0; row < yPred.rows(); row++) {
            double errors = 0;
            for (int j = row * width; j < (row + 1) * width; j++) errors += Math.abs((double) p[j] - t[j]);
            sum += errors / width;
        }
        return sum;
    }

    @Override
    public Metric copy() {
        return new MeanAbsoluteError(name());
    }

    @Override
    public Direction direction() {
        return Direction.DOWN;
    }
}
