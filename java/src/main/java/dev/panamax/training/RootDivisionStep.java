package dev.panamax.training;

import dev.panamax.backend.Backend;
import dev.panamax.backend.BinaryOp;
import dev.panamax.tensor.Tensor;

/**
 * {@code p -= lr·g / sqrt(d + ε)}, with optional momentum and the decoupled weight decay, for a
 * denominator d that is not RMSprop's plain running mean of g² (Adagrad's sum, centered RMSprop's
 * variance). The backend has no square root op, but its RMSprop kernel takes one: with ρ = 1/2 its
 * mean-square update computes {@code ½·s + ½·g²}, which is d when {@code s = 2d - g²}. The result
 * agrees with a direct evaluation to within a rounding or two of d.
 */
final class RootDivisionStep {
    private static final float HALF = 0.5f;

    private RootDivisionStep() {
    }

    /**
     * @param gradSquared g², element-wise
     * @param denominator d on entry; about d again on return (the kernel rewrites it)
     * @param momentumBuffer RMSprop's momentum accumulator, or null when momentum is 0
     */
    static void apply(Backend backend, Tensor param, Tensor grad, Tensor gradSquared, Tensor denominator,
                      Tensor momentumBuffer, float learningRate, float momentum, float epsilon, float weightDecay) {
        backend.affine(denominator, 2f, 0f, denominator);
        backend.binary(BinaryOp.SUB, denominator, gradSquared, denominator);
        backend.rmspropUpdate(param, grad, denominator, momentumBuffer, learningRate, HALF, momentum, epsilon,
                weightDecay);
    }
}
