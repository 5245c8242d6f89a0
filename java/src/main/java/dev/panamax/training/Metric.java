package dev.panamax.training;

import dev.panamax.data.FloatArray;

/**
 * A metric accumulated over batches (Keras' stateful metrics): {@link #update} per batch,
 * {@link #result} for the epoch so far, {@link #reset} between epochs.
 */
public interface Metric {

    /** The name in logs and History, e.g. {@code accuracy}. */
    String name();

    /** Adds a batch: targets as given to fit, predictions as the model output them. */
    void update(FloatArray yTrue, FloatArray yPred);

    double result();

    void reset();
}
