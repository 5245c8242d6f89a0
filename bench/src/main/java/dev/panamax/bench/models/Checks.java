package dev.panamax.bench.models;

import dev.panamax.data.FloatArray;
import dev.panamax.models.Model;
import java.util.Arrays;

/** What each model benchmark verifies once before it times: a benchmark of a broken model measures nothing. */
public final class Checks {
    /** Steps the training check takes on one batch. */
    public static final int TRAINING_CHECK_STEPS = 3;

    private Checks() {
    }

    /**
     * Trains {@code steps} steps on one batch; throws unless every loss is finite and the last is below
     * the first. Returns the losses.
     */
    public static double[] lossDecreases(String what, Model model, SyntheticBatch batch, int steps) {
        double[] losses = new double[steps];
        for (int i = 0; i < steps; i++) {
            losses[i] = model.trainStep(batch.x(), batch.y());
            if (!Double.isFinite(losses[i])) {
                throw new IllegalStateException(what + ": loss of step " + (i + 1) + " is " + losses[i]
                        + "; losses so far " + Arrays.toString(Arrays.copyOf(losses, i + 1)));
            }
        }
        if (!(losses[steps - 1] < losses[0])) {
            throw new IllegalStateException(what + ": loss did not decrease over " + steps + " steps on one batch: "
                    + Arrays.toString(losses));
        }
        return losses;
    }

    /** Throws unless every row of {@code probabilities} is finite, non-negative and sums to 1. */
    public static void probabilities(String what, FloatArray probabilities) {
        int rows = probabilities.rows();
        int classes = probabilities.rowSize();
        float[] p = probabilities.data();
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                float v = p[r * classes + c];
                if (!(v >= 0 && v <= 1)) {
                    throw new IllegalStateException(what + ": row " + r + " class " + c + " has probability " + v);
                }
                sum += v;
            }
            if (Math.abs(sum - 1) > 1e-4) {
                throw new IllegalStateException(what + ": probabilities of row " + r + " sum to " + sum);
            }
        }
    }

    /** Throws unless {@code actual} and {@code expected} agree within {@code tolerance} everywhere. */
    public static void agree(String what, FloatArray actual, FloatArray expected, double tolerance) {
        if (!actual.shape().equals(expected.shape())) {
            throw new IllegalStateException(what + ": shapes differ, " + actual.shape() + " vs " + expected.shape());
        }
        float[] a = actual.data();
        float[] e = expected.data();
        for (int i = 0; i < e.length; i++) {
            if (!(Math.abs(a[i] - e[i]) <= tolerance)) {
                throw new IllegalStateException(what + ": element " + i + " is " + a[i] + ", expected " + e[i]
                        + " (tolerance " + tolerance + ")");
            }
        }
    }
}
