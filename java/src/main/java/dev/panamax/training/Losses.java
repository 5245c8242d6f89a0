package dev.panamax.training;

import dev.panamax.autograd.Ops;
import dev.panamax.autograd.Var;
import dev.panamax.backend.BinaryOp;
import dev.panamax.tensor.DType;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;
import java.util.Locale;

/** The losses, by Keras name. */
public final class Losses {
    private Losses() {
    }

    /** The loss called {@code name} in Keras ({@code "mse"}, {@code "sparse_categorical_crossentropy"}, ...). */
    public static Loss get(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "categorical_crossentropy" -> categoricalCrossentropy(false);
            case "sparse_categorical_crossentropy" -> sparseCategoricalCrossentropy(false);
            case "mse", "mean_squared_error" -> meanSquaredError();
            default -> throw new IllegalArgumentException("Unknown loss: '" + name + "'");
        };
    }

    /**
     * Cross-entropy with one-hot (or probability) targets {@code [n, classes]}. With
     * {@code fromLogits} false, predictions are probabilities; when they come straight from a softmax
     * the fused, numerically stable kernel runs on its logits instead (as Keras does).
     */
    public static Loss categoricalCrossentropy(boolean fromLogits) {
        return new CrossEntropy("categorical_crossentropy", fromLogits, false);
    }

    /** Cross-entropy with class-index targets {@code [n]}. */
    public static Loss sparseCategoricalCrossentropy(boolean fromLogits) {
        return new CrossEntropy("sparse_categorical_crossentropy", fromLogits, true);
    }

    /** {@code mean((yPred - yTrue)²)}. */
    public static Loss meanSquaredError() {
        return new Loss() {
            @Override
            public String name() {
                return "mean_squared_error";
            }

            @Override
            public Var compute(Var yPred, Tensor yTrue) {
                Ops ops = yPred.ops();
                checkSameSize(name(), yPred, yTrue);
                Var diff = ops.sub(yPred, ops.constant(yTrue.reshape(yPred.shape().dims())));
                return ops.mean(ops.mul(diff, diff));
            }
        };
    }

    static void checkSameSize(String loss, Var yPred, Tensor yTrue) {
        if (yPred.value().size() != yTrue.size() || yPred.shape().dim(0) != yTrue.shape().dim(0)) {
            throw new IllegalArgumentException(loss + ": targets " + yTrue.describeShape()
                    + " do not match predictions " + yPred.value().describeShape());
        }
    }

    private record CrossEntropy(String name, boolean fromLogits, boolean sparse) implements Loss {
        private static final float EPSILON = 1e-7f; // Keras' clip of probabilities

        @Override
        public Var compute(Var yPred, Tensor yTrue) {
            Ops ops = yPred.ops();
            if (yPred.shape().rank() != 2) {
                throw new IllegalArgumentException(name + ": predictions must be [batch, classes]; got "
                        + yPred.value().describeShape());
            }
            long n = yPred.shape().dim(0);
            long classes = yPred.shape().dim(1);
            Tensor labels;
            if (sparse) {
                if (yTrue.size() != n) {
                    throw new IllegalArgumentException(name + ": targets must be class indices [" + n + "]; got "
                            + yTrue.describeShape() + " for predictions " + yPred.value().describeShape());
                }
                labels = Tensor.zeros(ops.scope(), DType.INT32, Shape.of(n));
                for (long i = 0; i < n; i++) {
                    float c = yTrue.reshape(n).getFloat(i);
                    if (c != Math.rint(c) || c < 0 || c >= classes) {
                        throw new IllegalArgumentException(name + ": target " + c + " at row " + i
                                + " is not a class index in [0, " + classes + ")");
                    }
                    labels.setInt((int) c, i);
                }
            } else {
                if (!yTrue.shape().equals(yPred.shape())) {
                    throw new IllegalArgumentException(name + ": targets " + yTrue.describeShape()
                            + " must have the predictions' shape " + yPred.value().describeShape()
                            + " (one-hot); use sparse_categorical_crossentropy for class indices");
                }
                labels = yTrue;
            }
            if (fromLogits) {
                return ops.softmaxCrossEntropy(yPred, labels);
            }
            if (yPred.softmaxLogits() != null) {
                return ops.softmaxCrossEntropy(yPred.softmaxLogits(), labels);
            }
            // Probabilities from elsewhere: -mean(Σ y · log(clip(p)))
            Tensor oneHot = sparse ? oneHot(ops, labels, n, classes) : labels;
            Tensor clipped = ops.allocate(yPred.shape());
            ops.backend().affine(yPred.value(), 1f, 0f, clipped);
            Tensor lo = ops.allocate(1);
            lo.fill(EPSILON);
            Tensor hi = ops.allocate(1);
            hi.fill(1f - EPSILON);
            ops.backend().binary(BinaryOp.MAX, clipped, lo, clipped);
            ops.backend().binary(BinaryOp.MIN, clipped, hi, clipped);
            // d/dp of -Σ y log p = -y / p, taken at the clipped p (Keras' clip passes no gradient outside)
            Var logP = logOf(ops, yPred, clipped);
            Var perElement = ops.mul(logP, ops.constant(oneHot));
            return ops.affine(ops.sum(perElement), -1f / n, 0f);
        }

        /** log(p) as a differentiable value of yPred, using the clipped p for both value and slope. */
        private static Var logOf(Ops ops, Var yPred, Tensor clipped) {
            float[] v = clipped.toFloatArray();
            for (int i = 0; i < v.length; i++) v[i] = (float) Math.log(v[i]);
            Tensor log = Tensor.of(ops.scope(), v, yPred.shape().dims());
            Var result = ops.result(log, yPred);
            ops.onBackward(result, dy -> {
                Tensor dx = ops.allocate(yPred.shape());
                ops.backend().binary(BinaryOp.DIV, dy, clipped, dx);
                ops.accumulateOwned(yPred, dx);
            });
            return result;
        }

        private static Tensor oneHot(Ops ops, Tensor labels, long n, long classes) {
            Tensor t = ops.allocate(n, classes);
            for (long i = 0; i < n; i++) t.setFloat(1f, i, labels.getInt(i));
            return t;
        }
    }
}
