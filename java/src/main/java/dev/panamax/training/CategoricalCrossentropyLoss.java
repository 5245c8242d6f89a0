package dev.panamax.training;

import dev.panamax.autograd.Ops;
import dev.panamax.autograd.Var;
import dev.panamax.backend.ReduceOp;
import dev.panamax.tensor.DType;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Keras' {@code categorical_crossentropy} (one-hot or probability targets {@code [n, classes]}) and
 * {@code sparse_categorical_crossentropy} (class-index targets {@code [n]}): the mean over rows of
 * {@code -Σ y·log p}. From logits, or from probabilities that come straight from a softmax, the fused,
 * numerically stable kernel runs on the logits (as Keras does); other probabilities are normalized to
 * sum 1 per row and clipped to {@code [1e-7, 1 - 1e-7]} first, as Keras does.
 */
record CategoricalCrossentropyLoss(boolean fromLogits, boolean sparse) implements Loss {
    private static final float EPSILON = 1e-7f;

    @Override
    public String name() {
        return sparse ? "sparse_categorical_crossentropy" : "categorical_crossentropy";
    }

    @Override
    public Var compute(Var yPred, Tensor yTrue) {
        Ops ops = yPred.ops();
        if (yPred.shape().rank() != 2) {
            throw new IllegalArgumentException(name() + ": predictions must be [batch, classes]; got "
                    + yPred.value().describeShape());
        }
        long n = yPred.shape().dim(0);
        long classes = yPred.shape().dim(1);
        Tensor labels = sparse ? classIndices(ops, yPred, yTrue, n, classes) : probabilities(yPred, yTrue);
        if (fromLogits) {
            return ops.softmaxCrossEntropy(yPred, labels);
        }
        if (yPred.softmaxLogits() != null) {
            return ops.softmaxCrossEntropy(yPred.softmaxLogits(), labels);
        }
        Tensor targets = sparse ? oneHot(ops, labels, n, classes) : labels;
        Var normalized = ops.div(yPred, ops.reduce(ReduceOp.SUM, yPred, new int[] {1}, true));
        Var logP = LossOps.log(LossOps.clip(normalized, EPSILON, 1f - EPSILON));
        return ops.affine(ops.sum(ops.mul(logP, ops.constant(targets))), -1f / n, 0f);
    }

    private Tensor probabilities(Var yPred, Tensor yTrue) {
        if (!yTrue.shape().equals(yPred.shape())) {
            throw new IllegalArgumentException(name() + ": targets " + yTrue.describeShape()
                    + " must have the predictions' shape " + yPred.value().describeShape()
                    + " (one-hot); use sparse_categorical_crossentropy for class indices");
        }
        return yTrue;
    }

    private Tensor classIndices(Ops ops, Var yPred, Tensor yTrue, long n, long classes) {
        if (yTrue.size() != n) {
            throw new IllegalArgumentException(name() + ": targets must be class indices [" + n + "]; got "
                    + yTrue.describeShape() + " for predictions " + yPred.value().describeShape());
        }
        Tensor labels = Tensor.zeros(ops.scope(), DType.INT32, Shape.of(n));
        MemorySegment from = yTrue.segment();
        MemorySegment to = labels.segment();
        ops.host(() -> { // each step's targets are converted and checked anew
            for (long i = 0; i < n; i++) {
                float c = from.getAtIndex(ValueLayout.JAVA_FLOAT, i);
                if (c != Math.rint(c) || c < 0 || c >= classes) {
                    throw new IllegalArgumentException(name() + ": target " + c + " at row " + i
                            + " is not a class index in [0, " + classes + ")");
                }
                to.setAtIndex(ValueLayout.JAVA_INT, i, (int) c);
            }
        });
        return labels;
    }

    private static Tensor oneHot(Ops ops, Tensor labels, long n, long classes) {
        Tensor t = ops.allocate(n, classes);
        MemorySegment from = labels.segment();
        MemorySegment to = t.segment();
        ops.host(() -> {
            to.fill((byte) 0);
            for (long i = 0; i < n; i++) {
                to.setAtIndex(ValueLayout.JAVA_FLOAT, i * classes + from.getAtIndex(ValueLayout.JAVA_INT, i), 1f);
            }
        });
        return t;
    }
}
