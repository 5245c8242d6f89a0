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
}
