package dev.panamax.training;

import dev.panamax.data.FloatArray;
import java.util.Objects;

/**
 * Counts of true positives, false positives and false negatives over every output (micro-averaged,
 * Keras' default) or over one column ({@code classId}): an output is predicted positive when it is
 * above the threshold, and is actually positive when its target is not 0.
 */
abstract class ConfusionMetric implements Metric {
    /** No class id: every output counts. */
    static final int ALL_CLASSES = -1;

    private final String name;
    private final float threshold;
    private final int classId;
    long truePositives;
    long falsePositives;
    long falseNegatives;

    ConfusionMetric(String name, double threshold, int classId) {
        this.name = Objects.requireNonNull(name, "name");
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException(name + ": threshold values must be in [0, 1]. Received: threshold="
                    + threshold);
        }
        if (classId < ALL_CLASSES) {
            throw new IllegalArgumentException(name + ": class_id must be >= 0 (or " + ALL_CLASSES
                    + " for every class). Received: class_id=" + classId);
        }
        this.threshold = (float) threshold;
        this.classId = classId;
    }

    @Override
    public final String name() {
        return name;
    }

    public final float threshold() {
        return threshold;
    }

    /** The one column counted, or -1 when every output counts. */
    public final int classId() {
        return classId;
    }

    @Override
    public final void update(FloatArray yTrue, FloatArray yPred) {
        if (yTrue.rows() != yPred.rows() || yTrue.shape().size() != yPred.shape().size()) {
            throw new IllegalArgumentException(name + ": targets " + yTrue.shape() + " do not fit predictions "
                    + yPred.shape() + "; expected one target per prediction");
        }
        int width = yPred.rowSize();
        if (classId >= width) {
            throw new IllegalArgumentException(name + ": class_id=" + classId + " is out of range for predictions "
                    + yPred.shape() + " with " + width + " classes");
        }
        float[] t = yTrue.data();
        float[] p = yPred.data();
        int start = classId == ALL_CLASSES ? 0 : classId;
        int stride = classId == ALL_CLASSES ? 1 : width;
        for (int i = start; i < p.length; i += stride) {
            boolean predicted = p[i] > threshold;
            boolean actual = t[i] != 0f;
            if (predicted && actual) truePositives++;
            else if (predicted) falsePositives++;
            else if (actual) falseNegatives++;
        }
    }

    @Override
    public final void reset() {
        truePositives = 0;
        falsePositives = 0;
        falseNegatives = 0;
    }

    /** {@code a / (a + b)}, or 0 when both are 0 (Keras' divide_no_nan). */
    static double ratio(long a, long b) {
        return a + b == 0 ? 0 : (double) a / (a + b);
    }

    @Override
    public final Direction direction() {
        return Direction.UP;
    }
}
