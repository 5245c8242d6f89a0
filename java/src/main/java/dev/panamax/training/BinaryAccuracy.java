package dev.panamax.training;

import dev.panamax.data.FloatArray;

/**
 * Keras' {@code BinaryAccuracy}: per example, the fraction of outputs where the target equals the
 * thresholded prediction ({@code prediction > threshold} as 1, else 0); targets must be 0 or 1.
 */
public final class BinaryAccuracy extends MeanMetric {
    private final float threshold;

    /** Named {@code binary_accuracy}, threshold 0.5. */
    public BinaryAccuracy() {
        this("binary_accuracy", 0.5);
    }

    public BinaryAccuracy(double threshold) {
        this("binary_accuracy", threshold);
    }

    public BinaryAccuracy(String name, double threshold) {
        super(name);
        if (Double.isNaN(threshold)) {
            throw new IllegalArgumentException(name + ": threshold must be a number. Received: threshold=" + threshold);
        }
        this.threshold = (float) threshold;
    }

    public float threshold() {
        return threshold;
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
            int hits = 0;
            for (int j = row * width; j < (row + 1) * width; j++) {
                if (t[j] == (p[j] > threshold ? 1f : 0f)) hits++;
            }
            sum += (double) hits / width;
        }
        return sum;
    }

    @Override
    public Metric copy() {
        return new BinaryAccuracy(name(), threshold);
    }

    @Override
    public Direction direction() {
        return Direction.UP;
    }
}
