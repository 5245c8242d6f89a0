package dev.panamax.training;

import dev.panamax.autograd.Ops;
import dev.panamax.autograd.Var;
import dev.panamax.tensor.Tensor;

/** Keras' {@code mean_absolute_error}: {@code mean(|yPred - yTrue|)}. */
record MeanAbsoluteErrorLoss() implements Loss {

    @Override
    public String name() {
        return "mean_absolute_error";
    }

    @Override
    public Var compute(Var yPred, Tensor yTrue) {
        Ops ops = yPred.ops();
        return ops.mean(LossOps.abs(ops.sub(yPred, ops.constant(Losses.targetsLike(name(), yPred, yTrue)))));
    }
}
