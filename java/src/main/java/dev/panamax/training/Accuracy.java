package dev.panamax.training;

import dev.panamax.data.FloatArray;

/**
 * Keras' {@code "accuracy"}, choosing its kind from the shapes as Keras does: class-index targets
 * {@code [n]} against {@code [n, classes]} predictions are sparse categorical; same-shape targets
 * with more than one class are categorical (argmax of both); one output column is binary
 * (prediction > 0.5).
 */
public final class Accuracy implements Metric {
    private final String name;
    private long correct;
    private long total;

    public Accuracy() {
        this("accuracy");
    }

    public Accuracy(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void update(FloatArray yTrue, FloatArray yPred) {
        int n = yPred.rows();
        int classes = yPred.rowSize();
        float[] p = yPred.data();
        float[] t = yTrue.data();
        if (yTrue.rows() != n) {
            throw new IllegalArgumentException("accuracy: " + yTrue.shape() + " targets for " + yPred.shape()
                    + " predictions");
        }
        if (classes == 1) {
            for (int i = 0; i < n; i++) {
                if ((p[i] > 0.5f) == (t[i] > 0.5f)) correct++;
            }
        } else if (yTrue.rowSize() == 1) {
            for (int i = 0; i < n; i++) {
                if (argmax(p, i * classes, classes) == (int) t[i]) correct++;
            }
        } else if (yTrue.rowSize() == classes) {
            for (int i = 0; i < n; i++) {
                if (argmax(p, i * classes, classes) == argmax(t, i * classes, classes)) correct++;
            }
        } else {
            throw new IllegalArgumentException("accuracy: " + yTrue.shape() + " targets do not fit " + yPred.shape()
                    + " predictions");
        }
        total += n;
    }

    static int argmax(float[] v, int offset, int length) {
        int best = 0;
        for (int j = 1; j < length; j++) {
            if (v[offset + j] > v[offset + best]) best = j;
        }
        return best;
    }

    @Override
    public double result() {
        return total == 0 ? 0 : (double) correct / total;
    }

    @Override
    public void reset() {
        correct = 0;
        total = 0;
    }
}
