package dev.panamax.training;

import dev.panamax.autograd.Ops;
import dev.panamax.autograd.Var;
import dev.panamax.backend.Activation;
import dev.panamax.backend.Backend;
import dev.panamax.backend.BinaryOp;
import dev.panamax.backend.ReduceOp;
import dev.panamax.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/** Differentiable ops the losses need beyond {@link Ops}, built on its result/onBackward plumbing. */
final class LossOps {
    private LossOps() {
    }

    /** {@code |x| = relu(x) + relu(-x)}; the gradient is sign(x), 0 at 0 as in Keras. */
    static Var abs(Var x) {
        Ops ops = x.ops();
        return ops.add(ops.activation(Activation.RELU, 0f, x),
                ops.activation(Activation.RELU, 0f, ops.affine(x, -1f, 0f)));
    }

    /** {@code min(x, c) = c - relu(c - x)}. */
    static Var minimum(Var x, float c) {
        Ops ops = x.ops();
        return ops.affine(ops.activation(Activation.RELU, 0f, ops.affine(x, -1f, c)), -1f, c);
    }

    /**
     * {@code clip(x, lo, hi)}; as in TensorFlow and PyTorch the gradient passes where x is inside the
     * range and is 0 where the clip acts (here: at the bounds too).
     */
    static Var clip(Var x, float lo, float hi) {
        Ops ops = x.ops();
        Backend b = ops.backend();
        Tensor bounds = ops.allocate(2);
        ops.host(() -> {
            bounds.segment().setAtIndex(ValueLayout.JAVA_FLOAT, 0, lo);
            bounds.segment().setAtIndex(ValueLayout.JAVA_FLOAT, 1, hi);
        });
        Tensor y = ops.allocate(x.shape());
        b.binary(BinaryOp.MAX, x.value(), bounds.slice(0, 1), y);
        b.binary(BinaryOp.MIN, y, bounds.slice(1, 1), y);
        Var result = ops.result(y, x);
        ops.onBackward(result, dy -> {
            // relu's backward pass is the mask: dy where x - lo > 0, then where hi - x > 0
            Tensor distance = ops.allocate(x.shape());
            Tensor dx = ops.allocate(x.shape());
            b.affine(x.value(), 1f, -lo, distance);
            b.activationBackward(Activation.RELU, 0f, distance, dy, dx);
            b.affine(x.value(), -1f, hi, distance);
            b.activationBackward(Activation.RELU, 0f, distance, dx, dx);
            ops.accumulateOwned(x, dx);
        });
        return result;
    }

    /**
     * The natural logarithm, gradient {@code 1/x}. The backend has no logarithm, so the values are
     * computed here, in Java; losses apply it to their (small) outputs only.
     */
    static Var log(Var x) {
        Ops ops = x.ops();
        Tensor y = ops.allocate(x.shape());
        MemorySegment from = x.value().segment();
        MemorySegment to = y.segment();
        long size = x.value().size();
        ops.host(() -> {
            for (long i = 0; i < size; i++) {
                to.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) Math.log(from.getAtIndex(ValueLayout.JAVA_FLOAT, i)));
            }
        });
        Var result = ops.result(y, x);
        ops.onBackward(result, dy -> {
            Tensor dx = ops.allocate(x.shape());
            ops.backend().binary(BinaryOp.DIV, dy, x.value(), dx);
            ops.accumulateOwned(x, dx);
        });
        return result;
    }

    /**
     * The mean over every element of the sigmoid cross-entropy
     * {@code -(z·log σ(x) + (1-z)·log(1-σ(x)))} of logits x and targets z (same element count).
     * Numerically stable for any x: it is the two-class softmax cross-entropy of logits {@code [0, x]}
     * and labels {@code [1-z, z]}, which the backend's fused kernel computes; its gradient is σ(x) - z.
     */
    static Var meanSigmoidCrossEntropy(Var logits, Tensor targets) {
        Ops ops = logits.ops();
        Backend b = ops.backend();
        long m = logits.value().size();
        Tensor pairs = ops.allocate(m, 2);
        b.concat(1, List.of(ops.allocate(m, 1), logits.value().reshape(m, 1)), pairs);
        Tensor z = targets.reshape(m, 1);
        Tensor notZ = ops.allocate(m, 1);
        b.affine(z, -1f, 1f, notZ);
        Tensor labels = ops.allocate(m, 2);
        b.concat(1, List.of(notZ, z), labels);
        Tensor losses = ops.allocate(m);
        Tensor diff = logits.requiresGrad() ? ops.allocate(m, 2) : null;
        b.softmaxCrossEntropy(pairs, labels, losses, diff, 1f / m);
        Tensor loss = ops.allocate(1);
        b.reduce(ReduceOp.MEAN, losses, new int[] {0}, loss);
        Var result = ops.result(loss, logits);
        ops.onBackward(result, dy -> {
            // column 1 is d/dx; column 0 belongs to the constant 0 logit
            Tensor dx = ops.allocate(m, 1);
            b.split(1, diff, List.of(ops.allocate(m, 1), dx));
            float upstream = dy.getFloat(0);
            if (upstream != 1f) b.affine(dx, upstream, 0f, dx);
            ops.accumulateOwned(logits, dx.reshape(logits.shape().dims()));
        });
        return result;
    }
}
