package dev.panamax.training;

import dev.panamax.data.FloatArray;
import java.util.Objects;

/**
 * A metric that averages one value per example over every example seen (Keras'
 * {@code MeanMetricWrapper}): accuracies and mean errors.
 */
abstract class MeanMetric implements Metric {
    private final String name;
    private double total;
    private long count;

    MeanMetric(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final void update(FloatArray yTrue, FloatArray yPred) {
        if (yTrue.rows() != yPred.rows()) {
            throw new IllegalArgumentException(name + ": " + yTrue.rows() + " targets " + yTrue.shape() + " for "
                    + yPred.rows() + " predictions " + yPred.shape());
        }
        total += sumOverRows(yTrue, yPred);
        count += yPred.rows();
    }

    /** Σ over the batch's examples of this metric's per-example value; checks the shapes first. */
    abstract double sumOverRows(FloatArray yTrue, FloatArray yPred);

    @Override
    public final double result() {
        return count == 0 ? 0 : total / count;
    }

    @Override
    public final void reset() {
        total = 0;
        count = 0;
    }

    /** An exception naming this metric and both shapes, saying what was expected. */
    final IllegalArgumentException shapeError(FloatArray yTrue, FloatArray yPred, String expected) {
        return new IllegalArgumentException(name + ": targets " + yTrue.shape() + " do not fit predictions "
                + yPred.shape() + "; expected " + expected);
    }

    /** The first index of the largest of {@code length} values from {@code offset} (NumPy's argmax). */
    static int argmax(float[] v, int offset, int length) {
        int best = 0;
        for (int j = 1; j < length; j++) {
            if (v[offset + j] > v[offset + best]) best = j;
        }
        return best;
    }

    /**
     * Whether class {@code label} is among the k largest of a row's predictions: fewer than k others
     * are strictly larger (ties count in, as TensorFlow's in_top_k; a NaN at the label never does).
     */
    static boolean inTopK(float[] p, int offset, int classes, int label, int k) {
        float at = p[offset + label];
        if (Float.isNaN(at)) return false;
        int larger = 0;
        for (int j = 0; j < classes; j++) {
            if (p[offset + j] > at) larger++;
        }
        return larger < k;
    }

    /** The class index a sparse target holds, or an exception naming the metric and the row. */
    final int classIndex(float target, int row, int classes) {
        if (target != Math.rint(target) || target < 0 || target >= classes) {
            throw new IllegalArgumentException(name + ": target " + target + " at row " + row
                    + " is not a class index in [0, " + classes + ")");
        }
        return (int) target;
    }
}
