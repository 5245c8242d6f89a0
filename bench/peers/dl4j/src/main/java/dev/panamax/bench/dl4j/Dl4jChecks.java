package dev.panamax.bench.dl4j;

import java.util.Arrays;

/** The checks Panamax's benchmarks run before timing (bench/.../models/Checks.java), on DL4J networks. */
final class Dl4jChecks {
    static final int TRAINING_CHECK_STEPS = 3;

    private Dl4jChecks() {
    }

    /** Throws unless the loss stays finite and falls over a few steps on one batch. */
    static void lossDecreases(String what, Dl4jNetwork net, Dl4jBatch batch) {
        double[] losses = new double[TRAINING_CHECK_STEPS];
        for (int i = 0; i < losses.length; i++) {
            losses[i] = net.trainStep(batch.x(), batch.y());
            if (!Double.isFinite(losses[i])) {
                throw new IllegalStateException(what + ": loss of step " + (i + 1) + " is " + losses[i]);
            }
        }
        if (!(losses[losses.length - 1] < losses[0])) {
            throw new IllegalStateException(what + ": loss did not decrease over " + losses.length
                    + " steps on one batch: " + Arrays.toString(losses));
        }
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
