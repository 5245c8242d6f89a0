package dev.panamax.training;

import dev.panamax.data.FloatArray;

/** Keras' {@code MeanSquaredError} metric: the mean over examples of each example's mean squared error. */
public final class MeanSquaredError extends MeanMetric {

    /** Named {@code mean_squared_error}. */
    public MeanSquaredError() {
        this("mean_squared_error");
    }

    public MeanSquaredError(String name) {
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
            double squares = 0;
            for (int j = row * width; j < (row + 1) * width; j++) {
                double e = (double) p[j] - t[j];
                squares += e * e;
            }
            sum += squares / width;
        }
        return sum;
    }

    @Override
    public Metric copy() {
        return new MeanSquaredError(name());
    }

    @Override
    public Direction direction() {
        return Direction.DOWN;
    }
}
