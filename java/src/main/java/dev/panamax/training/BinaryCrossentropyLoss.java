package dev.panamax.training;

import dev.panamax.autograd.Ops;
import dev.panamax.autograd.Var;
import dev.panamax.tensor.Tensor;

/**
 * Keras' {@code binary_crossentropy}: the mean of {@code -(y·log p + (1-y)·log(1-p))}. From logits it
 * is computed stably for any logit; from probabilities, p is clipped to {@code [1e-7, 1 - 1e-7]} first,
 * as Keras does.
 */
record BinaryCrossentropyLoss(boolean fromLogits) implements Loss {
    private static final float EPSILON = 1e-7f;

    @Override
    public String name() {
        return "binary_crossentropy";
    }

    @Override
    public Var compute(Var yPred, Tensor yTrue) {
        Tensor targets = Losses.targetsLike(name(), yPred, yTrue);
        if (fromLogits) {
            return LossOps.meanSigmoidCrossEntropy(yPred, targets);
        }
        Ops ops = yPred.ops();
        Tensor notTargets = ops.allocate(targets.shape());
        ops.backend().affine(targets, -1f, 1f, notTargets);
        Var clipped = LossOps.clip(yPred, EPSILON, 1f - EPSILON);
        Var logP = LossOps.log(clipped);
        Var logNotP = LossOps.log(ops.affine(clipped, -1f, 1f));
        Var logLikelihood = ops.add(ops.mul(logP, ops.constant(targets)), ops.mul(logNotP, ops.constant(notTargets)));
        return ops.affine(ops.mean(logLikelihood), -1f, 0f);
    }
}
