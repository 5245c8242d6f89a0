package dev.panamax.training;

import dev.panamax.autograd.Ops;
import dev.panamax.autograd.Var;
import dev.panamax.tensor.Tensor;

/**
 * Keras' {@code Huber}: per element {@code ½e²} where {@code |e| <= delta}, else
 * {@code delta·|e| - ½delta²}, for {@code e = yPred - yTrue}; the mean of those. Computed as
 * {@code ½q² + delta·(|e| - q)} with {@code q = min(|e|, delta)}, which is the same function.
 */
record HuberLoss(float delta) implements Loss {

    HuberLoss {
        if (!(delta > 0) || Float.isInfinite(delta)) {
            throw new IllegalArgumentException("Huber: delta must be a finite number > 0. Received: delta=" + delta);
        }
    }

    @Override
    public String name() {
        return "huber_loss";
    }

    @Override
    public Var compute(Var yPred, Tensor yTrue) {
        Ops ops = yPred.ops();
        Var abs = LossOps.abs(ops.sub(yPred, ops.constant(Losses.targetsLike(name(), yPred, yTrue))));
        Var quadratic = LossOps.minimum(abs, delta);
        Var linear = ops.sub(abs, quadratic);
        Var perElement = ops.add(ops.affine(ops.mul(quadratic, quadratic), 0.5f, 0f), ops.affine(linear, delta, 0f));
        return ops.mean(perElement);
    }
}
