package dev.panamax.training;

import dev.panamax.data.FloatArray;
import java.util.Arrays;
import java.util.Objects;

/**
 * Keras' {@code AUC} with its defaults: the area under the ROC curve, approximated with
 * {@code numThresholds} (200) evenly spaced thresholds (plus one just below 0 and one just above 1)
 * and the trapezoidal rule. Predictions are probabilities (clipped to [0, 1]); a target is positive
 * when it is not 0. Counts go into one bucket per threshold interval, as Keras' evenly-spaced path
 * does, so an update costs one pass over the batch.
 */
public final class AUC implements Metric {
    private final String name;
    private final int numThresholds;
    private final long[] positives;
    private final long[] negatives;

    /** Named {@code auc}, 200 thresholds. */
    public AUC() {
        this("auc", 200);
    }

    public AUC(int numThresholds) {
        this("auc", numThresholds);
    }

    public AUC(String name, int numThresholds) {
        this.name = Objects.requireNonNull(name, "name");
        if (numThresholds <= 1) {
            throw new IllegalArgumentException(name + ": num_thresholds must be an integer > 1. Received:"
                    + " num_thresholds=" + numThresholds);
        }
        this.numThresholds = numThresholds;
        this.positives = new long[numThresholds];
        this.negatives = new long[numThresholds];
    }

    @Override
    public String name() {
        return name;
    }

    public int numThresholds() {
        return numThresholds;
    }

    @Override
    public void update(FloatArray yTrue, FloatArray yPred) {
        if (yTrue.rows() != yPred.rows() || yTrue.shape().size() != yPred.shape().size()) {
            throw new IllegalArgumentException(name + ": targets " + yTrue.shape() + " do not fit predictions "
                    + yPred.shape() + "; expected one target per prediction");
        }
        float[] t = yTrue.data();
        float[] p = yPred.data();
        float scale = numThresholds - 1;
        for (int i = 0; i < p.length; i++) {
            float clipped = Math.min(Math.max(p[i], 0f), 1f);
            // thresholds j/(T-1) for j = 1..T-2, -ε at 0 and 1+ε at T-1: p exceeds thresholds 0..bucket
            int bucket = Math.max((int) Math.ceil(clipped * scale) - 1, 0);
            if (t[i] != 0f) positives[bucket]++;
            else negatives[bucket]++;
        }
    }

    @Override
    public double result() {
        long totalPositives = 0;
        long totalNegatives = 0;
        for (int j = 0; j < numThresholds; j++) {
            totalPositives += positives[j];
            totalNegatives += negatives[j];
        }
        // walk thresholds from the highest down; at threshold j, predictions in buckets >= j are positive
        double area = 0;
        long tp = 0;
        long fp = 0;
        double previousTpr = 0;
        double previousFpr = 0;
        for (int j = numThresholds - 1; j >= 0; j--) {
            tp += positives[j];
            fp += negatives[j];
            double tpr = totalPositives == 0 ? 0 : (double) tp / totalPositives;
            double fpr = totalNegatives == 0 ? 0 : (double) fp / totalNegatives;
            if (j < numThresholds - 1) area += (fpr - previousFpr) * (tpr + previousTpr) / 2;
            previousTpr = tpr;
            previousFpr = fpr;
        }
        return area;
    }

    @Override
    public void reset() {
        Arrays.fill(positives, 0);
        Arrays.fill(negatives, 0);
    }

    @Override
    public Metric copy() {
        return new AUC(name, numThresholds);
    }

    @Override
    public Direction direction() {
        return Direction.UP;
    }
}
