package dev.panamax.training;

import dev.panamax.autograd.Ops;
import dev.panamax.autograd.Var;
import dev.panamax.tensor.Tensor;

/** Keras' {@code mean_squared_error}: {@code mean((yPred - yTrue)²)}. */
record MeanSquaredErrorLoss() implements Loss {

    @Override
    public String name() {
        return "mean_squared_error";
    }

    @Override
    public Var compute(Var yPred, Tensor yTrue) {
        Ops ops = yPred.ops();
        Var diff = ops.sub(yPred, ops.constant(Losses.targetsLike(name(), yPred, yTrue)));
        return ops.mean(ops.mul(diff, diff));
    }
}
