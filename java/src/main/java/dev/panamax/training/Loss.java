package dev.panamax.training;

import dev.panamax.autograd.Var;
import dev.panamax.tensor.Tensor;

/**
 * A loss: the mean over the batch of a per-example loss between predictions and targets
 * (Keras' {@code sum_over_batch_size} reduction), as a differentiable one-element value.
 */
public interface Loss {

    /** Keras' name, e.g. {@code categorical_crossentropy}; used in logs and saved configs. */
    String name();

    /**
     * @param yPred the model's output, {@code [n, ...]}
     * @param yTrue targets as float32: the same shape as yPred, or class indices {@code [n]} for sparse losses
     */
    Var compute(Var yPred, Tensor yTrue);

    /**
     * Whether a training step computing this loss may be recorded once and replayed, as for
     * {@link dev.panamax.layers.Layer#replayable()}: Panamax's own losses qualify, others are assumed
     * not to unless they override this.
     */
    default boolean replayable() {
        return getClass().getPackageName().equals(Loss.class.getPackageName());
    }
}
