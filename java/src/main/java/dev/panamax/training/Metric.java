package dev.panamax.training;

import dev.panamax.data.FloatArray;

/**
 * A metric accumulated over batches (Keras' stateful metrics): {@link #update} per batch,
 * {@link #result} for the epoch so far, {@link #reset} between epochs.
 */
public interface Metric {

    /** Which way a metric improves, for callbacks in {@code "auto"} mode (Keras' {@code _direction}). */
    enum Direction {
        /** Larger is better (accuracy, AUC, precision). */
        UP,
        /** Smaller is better (errors). */
        DOWN,
        /** Not known: callbacks in auto mode ask for an explicit mode. */
        UNKNOWN
    }

    /** The name in logs and History, e.g. {@code accuracy}. */
    String name();

    /** Adds a batch: targets as given to fit, predictions as the model output them. */
    void update(FloatArray yTrue, FloatArray yPred);

    /** The value over everything added since the last reset; 0 before any update. */
    double result();

    void reset();

    /** A new, reset metric with this one's name and configuration (what evaluate uses). */
    Metric copy();

    default Direction direction() {
        return Direction.UNKNOWN;
    }
}
