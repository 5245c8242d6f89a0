package dev.panamax.bench.djl;

import java.util.Arrays;

/** The checks Panamax's benchmarks run before timing (bench/.../models/Checks.java), on DJL networks. */
final class DjlChecks {
    /** Adam's first steps on a freshly initialized network may overshoot, so the loss gets this many steps to fall. */
    static final int TRAINING_CHECK_STEPS = 10;

    private DjlChecks() {
    }

    /** Throws unless the loss stays finite and falls below the first step's within a few steps on one batch. */
    static void lossDecreases(String what, DjlNetwork net, DjlBatch batch) {
        double[] losses = new double[TRAINING_CHECK_STEPS];
        for (int i = 0; i < losses.length; i++) {
            losses[i] = net.trainStep(batch.x(), batch.y());
            if (!Double.isFinite(losses[i])) {
                throw new IllegalStateException(what + ": loss of step " + (i + 1) + " is " + losses[i]);
            }
            if (i >= 2 && losses[i] < losses[0]) return;
        }
        throw new IllegalStateException(what + ": loss did not fall below the first step's in " + losses.length
                + " steps on one batch: " + Arrays.toString(losses));
    }

    /** Throws unless each row of {@code p} ({@code rows x classes}) is a probability distribution. */
    static void probabilities(String what, float[] p, int classes) {
        for (int r = 0; r < p.length / classes; r++) {
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
}
