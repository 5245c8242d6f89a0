package dev.panamax.backend;

import dev.panamax.tensor.DType;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.List;

/**
 * Argument checks of the element-wise, softmax, normalization, shape and optimizer ops, shared
 * by every backend so all reject the same inputs with the same message before any work: each
 * names the op and every shape (and value) at fault. A closed scope surfaces as the
 * {@link IllegalStateException} of {@link Tensor#segment()}.
 *
 * <p>Outputs may alias an input only where {@link Backend} allows it, and then only exactly
 * (same memory, same shape); any other overlap is rejected.
 *
 * <p>A call that passes allocates nothing on the Java heap (except the axis list {@link #reduce}
 * returns): each check's helpers return the reason a problem fails (null when it does not),
 * shapes are compared dimension by dimension, and the text naming every operand is built only
 * in the throw.
 */
public final class ElementwiseOpChecks {
    private static final String[] ACTIVATION_FORWARD = opNames("activationForward ", Activation.values());
    private static final String[] ACTIVATION_BACKWARD = opNames("activationBackward ", Activation.values());
    private static final String[] BINARY = opNames("binary ", BinaryOp.values());
    private static final String[] REDUCE = opNames("reduce ", ReduceOp.values());

    private ElementwiseOpChecks() {
    }

    private static String[] opNames(String prefix, Enum<?>[] values) {
        String[] names = new String[values.length];
        for (Enum<?> v : values) {
            names[v.ordinal()] = prefix + (v instanceof Activation a ? a.kerasName() : v.name());
        }
        return names;
    }

    // ---- element-wise ---------------------------------------------------------------------

    public static void activationForward(Activation activation, float alpha, Tensor src, Tensor dst) {
        notNull("activationForward", "activation", activation);
        String op = ACTIVATION_FORWARD[activation.ordinal()];
        notNull(op, "src", src);
        notNull(op, "dst", dst);
        String bad = plainFloat("src", src);
        if (bad == null) bad = plainFloat("dst", dst);
        if (bad == null) bad = activationAlpha(activation, alpha);
        if (bad == null) bad = sameShape("src", src, "dst", dst);
        if (bad == null) bad = inPlaceOrDisjoint("dst", dst, "src", src);
        if (bad != null) throw fail(op, bad, "src=" + src.describeShape() + ", dst=" + dst.describeShape());
    }

    public static void activationBackward(Activation activation, float alpha, Tensor src, Tensor diffDst,
                                          Tensor diffSrc) {
        notNull("activationBackward", "activation", activation);
        String op = ACTIVATION_BACKWARD[activation.ordinal()];
        notNull(op, "src", src);
        notNull(op, "diffDst", diffDst);
        notNull(op, "diffSrc", diffSrc);
        String bad = plainFloat("src", src);
        if (bad == null) bad = plainFloat("diffDst", diffDst);
        if (bad == null) bad = plainFloat("diffSrc", diffSrc);
        if (bad == null) bad = activationAlpha(activation, alpha);
        if (bad == null) bad = sameShape("src", src, "diffDst", diffDst);
        if (bad == null) bad = sameShape("src", src, "diffSrc", diffSrc);
        if (bad == null) bad = inPlaceOrDisjoint("diffSrc", diffSrc, "diffDst", diffDst);
        if (bad == null) bad = disjoint("diffSrc", diffSrc, "src", src);
        if (bad != null) {
            throw fail(op, bad, "src=" + src.describeShape() + ", diffDst=" + diffDst.describeShape() + ", diffSrc="
                    + diffSrc.describeShape());
        }
    }

    /** Checks NumPy broadcasting of a and b; returns the broadcast shape (dst's). */
    public static Shape binary(BinaryOp binaryOp, Tensor a, Tensor b, Tensor dst) {
        notNull("binary", "op", binaryOp);
        String op = BINARY[binaryOp.ordinal()];
        notNull(op, "a", a);
        notNull(op, "b", b);
        notNull(op, "dst", dst);
        String bad = plainFloat("a", a);
        if (bad == null) bad = plainFloat("b", b);
        if (bad == null) bad = plainFloat("dst", dst);
        if (bad == null) bad = broadcastProblem(a.shape(), b.shape(), dst.shape());
        if (bad == null) bad = inPlaceOrDisjoint("dst", dst, "a", a);
        if (bad == null) bad = inPlaceOrDisjoint("dst", dst, "b", b);
        if (bad != null) {
            throw fail(op, bad, "a=" + a.describeShape() + ", b=" + b.describeShape() + ", dst="
                    + dst.describeShape());
        }
        return dst.shape();
    }

    /** Shapes aligned from the right must agree or be 1 on every axis, and dst must be their broadcast. */
    private static String broadcastProblem(Shape a, Shape b, Shape dst) {
        int rank = Math.max(a.rank(), b.rank());
        boolean dstMatches = dst.rank() == rank;
        for (int i = 1; i <= rank; i++) {
            long x = i <= a.rank() ? a.dim(-i) : 1;
            long y = i <= b.rank() ? b.dim(-i) : 1;
            if (x != y && x != 1 && y != 1) {
                return "shapes " + a + " and " + b + " do not broadcast (axis -" + i + ": " + x + " vs " + y + ")";
            }
            dstMatches = dstMatches && dst.dim(-i) == Math.max(x, y);
        }
        if (dstMatches) return null;
        long[] out = new long[rank];
        for (int i = 1; i <= rank; i++) {
            out[rank - i] = Math.max(i <= a.rank() ? a.dim(-i) : 1, i <= b.rank() ? b.dim(-i) : 1);
        }
        return "dst must have the broadcast shape " + Shape.of(out);
    }

    public static void affine(Tensor src, float alpha, float beta, Tensor dst) {
        String op = "affine";
        notNull(op, "src", src);
        notNull(op, "dst", dst);
        String bad = plainFloat("src", src);
        if (bad == null) bad = plainFloat("dst", dst);
        if (bad == null) bad = sameShape("src", src, "dst", dst);
        if (bad == null) bad = inPlaceOrDisjoint("dst", dst, "src", src);
        if (bad != null) {
            throw fail(op, bad, "src=" + src.describeShape() + ", dst=" + dst.describeShape() + ", alpha=" + alpha
                    + ", beta=" + beta);
        }
    }

    /**
     * Checks a reduction; returns the axes made non-negative, in increasing order. dst must be
     * src's shape with those axes set to 1 (keep dims) or removed.
     */
    public static int[] reduce(ReduceOp reduceOp, Tensor src, int[] axes, Tensor dst) {
        notNull("reduce", "op", reduceOp);
        String op = REDUCE[reduceOp.ordinal()];
        notNull(op, "src", src);
        notNull(op, "axes", axes);
        notNull(op, "dst", dst);
        String bad = plainFloat("src", src);
        if (bad == null) bad = plainFloat("dst", dst);
        if (bad == null) bad = reduceProblem(src.shape(), axes, dst);
        if (bad == null) bad = disjoint("dst", dst, "src", src);
        if (bad != null) {
            throw fail(op, bad, "src=" + src.describeShape() + ", axes=" + Arrays.toString(axes) + ", dst="
                    + dst.describeShape());
        }
        return normalizedAxes(axes, src.shape().rank());
    }

    /** The checked axes, non-negative and increasing: {@code axes} itself when it already is (no copy per call). */
    private static int[] normalizedAxes(int[] axes, int rank) {
        boolean sorted = true;
        for (int i = 0; sorted && i < axes.length; i++) sorted = axes[i] >= 0 && (i == 0 || axes[i] > axes[i - 1]);
        if (sorted) return axes;
        long mask = reducedMask(axes, rank);
        int[] normalized = new int[axes.length];
        for (int i = 0, r = 0; i < rank; i++) {
            if ((mask & (1L << i)) != 0) normalized[r++] = i;
        }
        return normalized;
    }

    /** Bit i set when axis i is reduced; the axes are already checked. */
    private static long reducedMask(int[] axes, int rank) {
        long mask = 0;
        for (int axis : axes) mask |= 1L << (axis < 0 ? axis + rank : axis);
        return mask;
    }

    /** Null when the axes are valid and dst keeps them as 1 or drops them; else what is wrong. */
    private static String reduceProblem(Shape s, int[] axes, Tensor dst) {
        int rank = s.rank();
        if (rank > 64) return "src has rank " + rank + "; reductions take rank <= 64";
        long reduced = 0;
        for (int axis : axes) {
            if (axis < -rank || axis >= rank) return axisOutOfRange(axis, rank);
            int a = axis < 0 ? axis + rank : axis;
            if ((reduced & (1L << a)) != 0) return "axis " + a + " is given twice";
            reduced |= 1L << a;
        }
        Shape d = dst.shape();
        boolean scalar = axes.length == rank && dst.size() == 1; // a full reduction may also write [1]
        boolean kept = d.rank() == rank;
        for (int i = 0; kept && i < rank; i++) kept = d.dim(i) == ((reduced & (1L << i)) != 0 ? 1 : s.dim(i));
        boolean squeezed = d.rank() == rank - axes.length;
        for (int i = 0, j = 0; squeezed && i < rank; i++) {
            if ((reduced & (1L << i)) == 0) squeezed = d.dim(j++) == s.dim(i);
        }
        if (scalar || kept || squeezed) return null;
        long[] keptDims = s.dims();
        long[] squeezedDims = new long[rank - axes.length];
        for (int i = 0, j = 0; i < rank; i++) {
            if ((reduced & (1L << i)) != 0) keptDims[i] = 1;
            else squeezedDims[j++] = s.dim(i);
        }
        return "dst must be " + Shape.of(keptDims) + " (axes kept) or " + Shape.of(squeezedDims) + " (axes removed)";
    }

    // ---- softmax and losses ---------------------------------------------------------------

    public static void softmaxForward(Tensor src, boolean log, Tensor dst) {
        String op = log ? "softmaxForward (log)" : "softmaxForward";
        notNull(op, "src", src);
        notNull(op, "dst", dst);
        String bad = plainFloat("src", src);
        if (bad == null) bad = plainFloat("dst", dst);
        if (bad == null) bad = hasLastAxis("src", src);
        if (bad == null) bad = sameShape("src", src, "dst", dst);
        if (bad == null) bad = disjoint("dst", dst, "src", src);
        if (bad != null) throw fail(op, bad, "src=" + src.describeShape() + ", dst=" + dst.describeShape());
    }

    public static void softmaxBackward(Tensor dst, Tensor diffDst, boolean log, Tensor diffSrc) {
        String op = log ? "softmaxBackward (log)" : "softmaxBackward";
        notNull(op, "dst", dst);
        notNull(op, "diffDst", diffDst);
        notNull(op, "diffSrc", diffSrc);
        String bad = plainFloat("dst", dst);
        if (bad == null) bad = plainFloat("diffDst", diffDst);
        if (bad == null) bad = plainFloat("diffSrc", diffSrc);
        if (bad == null) bad = hasLastAxis("dst", dst);
        if (bad == null) bad = sameShape("dst", dst, "diffDst", diffDst);
        if (bad == null) bad = sameShape("dst", dst, "diffSrc", diffSrc);
        if (bad == null) bad = disjoint("diffSrc", diffSrc, "dst", dst);
        if (bad == null) bad = disjoint("diffSrc", diffSrc, "diffDst", diffDst);
        if (bad != null) {
            throw fail(op, bad, "dst=" + dst.describeShape() + ", diffDst=" + diffDst.describeShape() + ", diffSrc="
                    + diffSrc.describeShape());
        }
    }

    /**
     * Checks the fused loss, including every int32 label (each in {@code [0, classes)}), so a bad
     * label fails before anything is written.
     */
    public static void softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor losses, Tensor diffLogits,
                                           float gradScale) {
        String op = "softmaxCrossEntropy";
        notNull(op, "logits", logits);
        notNull(op, "labels", labels);
        notNull(op, "losses", losses);
        if (!Float.isFinite(gradScale)) {
            throw new IllegalArgumentException(op + ": gradScale must be finite. Received: gradScale=" + gradScale);
        }
        String bad = crossEntropyProblem(logits, labels, losses, diffLogits);
        if (bad != null) {
            throw fail(op, bad, "logits=" + logits.describeShape() + ", labels=" + labels.describeShape()
                    + ", losses=" + losses.describeShape() + ", diffLogits="
                    + (diffLogits == null ? "none" : diffLogits.describeShape()));
        }
    }

    private static String crossEntropyProblem(Tensor logits, Tensor labels, Tensor losses, Tensor diffLogits) {
        String bad;
        if ((bad = plainFloat("logits", logits)) != null || (bad = plainFloat("losses", losses)) != null
                || diffLogits != null && (bad = plainFloat("diffLogits", diffLogits)) != null
                || (bad = rowMajor("labels", labels)) != null) {
            return bad;
        }
        if (logits.shape().rank() != 2) return "logits must be [n, classes]";
        long rows = logits.shape().dim(0);
        long classes = logits.shape().dim(1);
        if (!is1d(losses.shape(), rows)) return "losses must be [" + rows + "]";
        if (diffLogits != null && !diffLogits.shape().equals(logits.shape())) {
            return "diffLogits must have logits' shape";
        }
        if (labels.dtype() == DType.FLOAT32) {
            if (!labels.shape().equals(logits.shape())) {
                return "float32 labels (probabilities) must have logits' shape " + logits.shape();
            }
        } else if (labels.dtype() == DType.INT32) {
            if (!is1d(labels.shape(), rows)) return "int32 labels (class indices) must be [" + rows + "]";
            MemorySegment s = labels.segment();
            for (long r = 0; r < rows; r++) {
                int label = s.getAtIndex(ValueLayout.JAVA_INT, r);
                if (label < 0 || label >= classes) {
                    return "label " + label + " at row " + r + " is outside [0, " + classes + ")";
                }
            }
        } else {
            return "labels must be float32 probabilities or int32 class indices";
        }
        if ((bad = disjoint("losses", losses, "logits", logits)) != null
                || (bad = disjoint("losses", losses, "labels", labels)) != null || diffLogits == null) {
            return bad;
        }
        if ((bad = disjoint("diffLogits", diffLogits, "logits", logits)) != null
                || (bad = disjoint("diffLogits", diffLogits, "labels", labels)) != null) {
            return bad;
        }
        return disjoint("diffLogits", diffLogits, "losses", losses);
    }

    // ---- normalization --------------------------------------------------------------------

    public static void layerNormForward(Tensor src, Tensor gamma, Tensor beta, float epsilon, Tensor dst, Tensor mean,
                                        Tensor variance) {
        String op = "layerNormForward";
        notNull(op, "src", src);
        notNull(op, "gamma", gamma);
        notNull(op, "beta", beta);
        notNull(op, "dst", dst);
        notNull(op, "mean", mean);
        notNull(op, "variance", variance);
        epsilon(op, epsilon);
        String bad = layerNormForwardProblem(src, gamma, beta, dst, mean, variance);
        if (bad != null) {
            throw fail(op, bad, "src=" + src.describeShape() + ", gamma=" + gamma.describeShape() + ", beta="
                    + beta.describeShape() + ", dst=" + dst.describeShape() + ", mean=" + mean.describeShape()
                    + ", variance=" + variance.describeShape());
        }
    }

    private static String layerNormForwardProblem(Tensor src, Tensor gamma, Tensor beta, Tensor dst, Tensor mean,
                                                  Tensor variance) {
        String bad;
        if ((bad = plainFloat("src", src)) != null || (bad = plainFloat("gamma", gamma)) != null
                || (bad = plainFloat("beta", beta)) != null || (bad = plainFloat("dst", dst)) != null
                || (bad = plainFloat("mean", mean)) != null || (bad = plainFloat("variance", variance)) != null
                || (bad = layerNormShapes(src, gamma, mean, variance)) != null) {
            return bad;
        }
        if (!beta.shape().equals(gamma.shape())) return "beta must be " + gamma.shape();
        if ((bad = sameShape("src", src, "dst", dst)) != null) return bad;
        // Outputs dst, mean, variance touch neither the inputs nor each other.
        if ((bad = disjointFromInputs("dst", dst, "src", src, "gamma", gamma, "beta", beta)) != null
                || (bad = disjointFromInputs("mean", mean, "src", src, "gamma", gamma, "beta", beta)) != null
                || (bad = disjointFromInputs("variance", variance, "src", src, "gamma", gamma, "beta", beta)) != null
                || (bad = disjoint("mean", mean, "dst", dst)) != null
                || (bad = disjoint("variance", variance, "dst", dst)) != null) {
            return bad;
        }
        return disjoint("variance", variance, "mean", mean);
    }

    public static void layerNormBackward(Tensor src, Tensor diffDst, Tensor gamma, Tensor mean, Tensor variance,
                                         float epsilon, Tensor diffSrc, Tensor diffGamma, Tensor diffBeta) {
        String op = "layerNormBackward";
        notNull(op, "src", src);
        notNull(op, "diffDst", diffDst);
        notNull(op, "gamma", gamma);
        notNull(op, "mean", mean);
        notNull(op, "variance", variance);
        notNull(op, "diffSrc", diffSrc);
        notNull(op, "diffGamma", diffGamma);
        notNull(op, "diffBeta", diffBeta);
        epsilon(op, epsilon);
        String bad = layerNormBackwardProblem(src, diffDst, gamma, mean, variance, diffSrc, diffGamma, diffBeta);
        if (bad != null) {
            throw fail(op, bad, "src=" + src.describeShape() + ", diffDst=" + diffDst.describeShape() + ", gamma="
                    + gamma.describeShape() + ", mean=" + mean.describeShape() + ", variance="
                    + variance.describeShape() + ", diffSrc=" + diffSrc.describeShape() + ", diffGamma="
                    + diffGamma.describeShape() + ", diffBeta=" + diffBeta.describeShape());
        }
    }

    private static String layerNormBackwardProblem(Tensor src, Tensor diffDst, Tensor gamma, Tensor mean,
                                                   Tensor variance, Tensor diffSrc, Tensor diffGamma,
                                                   Tensor diffBeta) {
        String bad;
        if ((bad = plainFloat("src", src)) != null || (bad = plainFloat("diffDst", diffDst)) != null
                || (bad = plainFloat("gamma", gamma)) != null || (bad = plainFloat("mean", mean)) != null
                || (bad = plainFloat("variance", variance)) != null || (bad = plainFloat("diffSrc", diffSrc)) != null
                || (bad = plainFloat("diffGamma", diffGamma)) != null || (bad = plainFloat("diffBeta", diffBeta)) != null
                || (bad = layerNormShapes(src, gamma, mean, variance)) != null
                || (bad = sameShape("src", src, "diffDst", diffDst)) != null
                || (bad = sameShape("src", src, "diffSrc", diffSrc)) != null
                || (bad = sameShape("gamma", gamma, "diffGamma", diffGamma)) != null
                || (bad = sameShape("gamma", gamma, "diffBeta", diffBeta)) != null) {
            return bad;
        }
        // Outputs diffSrc, diffGamma, diffBeta touch neither the inputs nor each other.
        for (int o = 0; o < 3; o++) {
            Tensor out = o == 0 ? diffSrc : o == 1 ? diffGamma : diffBeta;
            String name = o == 0 ? "diffSrc" : o == 1 ? "diffGamma" : "diffBeta";
            if ((bad = disjointFromInputs(name, out, "src", src, "diffDst", diffDst, "gamma", gamma)) != null
                    || (bad = disjoint(name, out, "mean", mean)) != null
                    || (bad = disjoint(name, out, "variance", variance)) != null) {
                return bad;
            }
        }
        if ((bad = disjoint("diffGamma", diffGamma, "diffSrc", diffSrc)) != null
                || (bad = disjoint("diffBeta", diffBeta, "diffSrc", diffSrc)) != null) {
            return bad;
        }
        return disjoint("diffBeta", diffBeta, "diffGamma", diffGamma);
    }

    /** mean and variance: src's shape without its last axis, or {@code [rows]}; gamma {@code [last]}. */
    private static String layerNormShapes(Tensor src, Tensor gamma, Tensor mean, Tensor variance) {
        String bad = hasLastAxis("src", src);
        if (bad != null) return bad;
        Shape s = src.shape();
        long cols = s.dim(-1);
        if (!is1d(gamma.shape(), cols)) return "gamma must be [" + cols + "] (src's last axis)";
        bad = statsShape("mean", mean, s);
        return bad != null ? bad : statsShape("variance", variance, s);
    }

    private static String statsShape(String name, Tensor stat, Shape src) {
        Shape t = stat.shape();
        long rows = src.size() / src.dim(-1);
        boolean withoutLast = t.rank() == src.rank() - 1;
        for (int i = 0; withoutLast && i < t.rank(); i++) withoutLast = t.dim(i) == src.dim(i);
        if (withoutLast || is1d(t, rows)) return null;
        long[] dims = src.dims();
        return name + " must be " + Shape.of(Arrays.copyOf(dims, dims.length - 1)) + " or " + Shape.of(rows)
                + " (one value per row)";
    }

    // ---- dropout --------------------------------------------------------------------------

    /** dst may be src (in place); mask overlaps neither. */
    public static void dropoutForward(float rate, long seed, Tensor src, Tensor dst, Tensor mask) {
        String op = "dropoutForward";
        notNull(op, "src", src);
        notNull(op, "dst", dst);
        notNull(op, "mask", mask);
        if (!(rate >= 0f && rate < 1f)) {
            throw new IllegalArgumentException(op + ": rate must be in [0, 1). Received: rate=" + rate);
        }
        String bad = plainFloat("src", src);
        if (bad == null) bad = plainFloat("dst", dst);
        if (bad == null) bad = plainFloat("mask", mask);
        if (bad == null) bad = sameShape("src", src, "dst", dst);
        if (bad == null) bad = sameShape("src", src, "mask", mask);
        if (bad == null) bad = inPlaceOrDisjoint("dst", dst, "src", src);
        if (bad == null) bad = disjoint("mask", mask, "src", src);
        if (bad == null) bad = disjoint("mask", mask, "dst", dst);
        if (bad != null) {
            throw fail(op, bad, "src=" + src.describeShape() + ", dst=" + dst.describeShape() + ", mask="
                    + mask.describeShape());
        }
    }

    // ---- shape ops ------------------------------------------------------------------------

    /** Checks a concatenation; returns the axis made non-negative. */
    public static int concat(int axis, List<Tensor> srcs, Tensor dst) {
        String op = "concat";
        notNull(op, "srcs", srcs);
        notNull(op, "dst", dst);
        String bad = joinProblem(axis, srcs, "srcs", dst, "dst");
        if (bad != null) {
            throw fail(op, bad, "srcs=" + describeAll(srcs) + ", dst=" + dst.describeShape() + ", axis=" + axis);
        }
        return axis < 0 ? axis + dst.shape().rank() : axis;
    }

    /** Checks a split; returns the axis made non-negative. */
    public static int split(int axis, Tensor src, List<Tensor> dsts) {
        String op = "split";
        notNull(op, "src", src);
        notNull(op, "dsts", dsts);
        String bad = joinProblem(axis, dsts, "dsts", src, "src");
        for (int i = 0; bad == null && i < dsts.size(); i++) {
            for (int j = i + 1; bad == null && j < dsts.size(); j++) {
                if (Overlap.overlaps(dsts.get(i).segment(), dsts.get(j).segment())) {
                    bad = "dsts[" + i + "] overlaps dsts[" + j + "]";
                }
            }
        }
        if (bad != null) {
            throw fail(op, bad, "src=" + src.describeShape() + ", dsts=" + describeAll(dsts) + ", axis=" + axis);
        }
        return axis < 0 ? axis + src.shape().rank() : axis;
    }

    /** Checks the pieces of a concat or split against the whole. */
    private static String joinProblem(int axis, List<Tensor> pieces, String piecesName, Tensor whole,
                                      String wholeName) {
        if (pieces.isEmpty()) return piecesName + " is empty";
        for (int i = 0; i < pieces.size(); i++) {
            Tensor piece = pieces.get(i);
            if (piece == null) return piecesName + "[" + i + "] is null";
            if (rowMajor(piecesName, piece) != null || piece.dtype() != DType.FLOAT32) {
                return piecesName + "[" + i + "] must be row-major float32";
            }
        }
        String bad = plainFloat(wholeName, whole);
        if (bad != null) return bad;
        Shape w = whole.shape();
        int rank = w.rank();
        if (axis < -rank || axis >= rank) return axisOutOfRange(axis, rank);
        int a = axis < 0 ? axis + rank : axis;
        long total = 0;
        for (int i = 0; i < pieces.size(); i++) {
            Shape s = pieces.get(i).shape();
            if (s.rank() != rank) {
                return piecesName + "[" + i + "] has rank " + s.rank() + ", " + wholeName + " has rank " + rank;
            }
            for (int d = 0; d < rank; d++) {
                if (d != a && s.dim(d) != w.dim(d)) {
                    return piecesName + "[" + i + "] differs from " + wholeName + " outside axis " + a + " (axis " + d
                            + ": " + s.dim(d) + " vs " + w.dim(d) + ")";
                }
            }
            total += s.dim(a);
        }
        if (total != w.dim(a)) {
            return piecesName + " add up to " + total + " along axis " + a + " but " + wholeName + " has " + w.dim(a);
        }
        for (int i = 0; i < pieces.size(); i++) {
            if (Overlap.overlaps(pieces.get(i).segment(), whole.segment())) {
                return piecesName + "[" + i + "] overlaps " + wholeName;
            }
        }
        return null;
    }

    /** {@code perm} must be a permutation of {@code [0, rank)}; dst's axis i is src's axis perm[i]. */
    public static void transpose(Tensor src, int[] perm, Tensor dst) {
        String op = "transpose";
        notNull(op, "src", src);
        notNull(op, "perm", perm);
        notNull(op, "dst", dst);
        String bad = plainFloat("src", src);
        if (bad == null) bad = plainFloat("dst", dst);
        if (bad == null) bad = transposeProblem(src.shape(), perm, dst.shape());
        if (bad == null) bad = disjoint("dst", dst, "src", src);
        if (bad != null) {
            throw fail(op, bad, "src=" + src.describeShape() + ", perm=" + Arrays.toString(perm) + ", dst="
                    + dst.describeShape());
        }
    }

    private static String transposeProblem(Shape s, int[] perm, Shape d) {
        int rank = s.rank();
        boolean permutation = perm.length == rank;
        for (int i = 0; permutation && i < rank; i++) {
            permutation = perm[i] >= 0 && perm[i] < rank;
            for (int j = 0; permutation && j < i; j++) permutation = perm[j] != perm[i];
        }
        if (!permutation) return "perm must be a permutation of [0, " + rank + ")";
        boolean matches = d.rank() == rank;
        for (int i = 0; matches && i < rank; i++) matches = d.dim(i) == s.dim(perm[i]);
        if (matches) return null;
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) out[i] = s.dim(perm[i]);
        return "dst must be " + Shape.of(out);
    }

    public static void pad(Tensor src, long[] before, long[] after, float value, Tensor dst) {
        String op = "pad";
        notNull(op, "src", src);
        notNull(op, "before", before);
        notNull(op, "after", after);
        notNull(op, "dst", dst);
        String bad = plainFloat("src", src);
        if (bad == null) bad = plainFloat("dst", dst);
        if (bad == null) bad = padProblem(src.shape(), before, after, dst.shape());
        if (bad == null) bad = disjoint("dst", dst, "src", src);
        if (bad != null) {
            throw fail(op, bad, "src=" + src.describeShape() + ", before=" + Arrays.toString(before) + ", after="
                    + Arrays.toString(after) + ", dst=" + dst.describeShape());
        }
    }

    private static String padProblem(Shape s, long[] before, long[] after, Shape d) {
        int rank = s.rank();
        if (before.length != rank || after.length != rank) {
            return "before and after need one amount per axis (" + rank + ")";
        }
        boolean matches = d.rank() == rank;
        for (int i = 0; i < rank; i++) {
            if (before[i] < 0 || after[i] < 0) {
                return "padding must be non-negative (axis " + i + ": before=" + before[i] + ", after=" + after[i]
                        + ")";
            }
            matches = matches && d.dim(i) == s.dim(i) + before[i] + after[i];
        }
        if (matches) return null;
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) out[i] = s.dim(i) + before[i] + after[i];
        return "dst must be " + Shape.of(out);
    }

    // ---- optimizer updates ----------------------------------------------------------------

    /** velocity is required when momentum is not 0 (and ignored otherwise). */
    public static void sgdUpdate(Tensor param, Tensor grad, Tensor velocity, float learningRate, float momentum,
                                 boolean nesterov, float weightDecay) {
        String op = "sgdUpdate";
        notNull(op, "param", param);
        notNull(op, "grad", grad);
        nonNegative(op, "learningRate", learningRate);
        unitRange(op, "momentum", momentum, true);
        nonNegative(op, "weightDecay", weightDecay);
        if (momentum != 0f && velocity == null) {
            throw new IllegalArgumentException(op + ": velocity is null but momentum=" + momentum + " needs it");
        }
        optimizerState(op, param, grad, "velocity", velocity, null, null);
    }

    /** step is the 1-based count of updates, including this one. */
    public static void adamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v, float learningRate, float beta1,
                                  float beta2, float epsilon, long step, float weightDecay) {
        String op = "adamUpdate";
        notNull(op, "param", param);
        notNull(op, "grad", grad);
        notNull(op, "m", m);
        notNull(op, "v", v);
        nonNegative(op, "learningRate", learningRate);
        unitRange(op, "beta1", beta1, false);
        unitRange(op, "beta2", beta2, false);
        epsilon(op, epsilon);
        if (step < 1) {
            throw new IllegalArgumentException(op + ": step must be >= 1 (1 at the first update). Received: step="
                    + step);
        }
        nonNegative(op, "weightDecay", weightDecay);
        optimizerState(op, param, grad, "m", m, "v", v);
    }

    /** momentumBuffer is required when momentum is not 0 (and ignored otherwise). */
    public static void rmspropUpdate(Tensor param, Tensor grad, Tensor meanSquare, Tensor momentumBuffer,
                                     float learningRate, float rho, float momentum, float epsilon, float weightDecay) {
        String op = "rmspropUpdate";
        notNull(op, "param", param);
        notNull(op, "grad", grad);
        notNull(op, "meanSquare", meanSquare);
        nonNegative(op, "learningRate", learningRate);
        unitRange(op, "rho", rho, false);
        unitRange(op, "momentum", momentum, true);
        epsilon(op, epsilon);
        nonNegative(op, "weightDecay", weightDecay);
        if (momentum != 0f && momentumBuffer == null) {
            throw new IllegalArgumentException(op + ": momentumBuffer is null but momentum=" + momentum + " needs it");
        }
        optimizerState(op, param, grad, "meanSquare", meanSquare, "momentumBuffer", momentumBuffer);
    }

    /** param and grad, then up to two optional states of param's shape, all disjoint. */
    private static void optimizerState(String op, Tensor param, Tensor grad, String name1, Tensor state1,
                                       String name2, Tensor state2) {
        String bad = plainFloat("param", param);
        if (bad == null) bad = plainFloat("grad", grad);
        if (bad == null) bad = sameShape("param", param, "grad", grad);
        if (bad == null) bad = disjoint("param", param, "grad", grad);
        if (bad == null) bad = optimizerStateProblem(param, grad, name1, state1);
        if (bad == null) bad = optimizerStateProblem(param, grad, name2, state2);
        if (bad == null && state1 != null && state2 != null) bad = disjoint(name2, state2, name1, state1);
        if (bad != null) {
            throw fail(op, bad, "param=" + param.describeShape() + ", grad=" + grad.describeShape() + ", " + name1
                    + "=" + describe(state1) + (name2 == null ? "" : ", " + name2 + "=" + describe(state2)));
        }
    }

    private static String optimizerStateProblem(Tensor param, Tensor grad, String name, Tensor state) {
        if (state == null) return null;
        String bad;
        if ((bad = plainFloat(name, state)) != null || (bad = sameShape("param", param, name, state)) != null
                || (bad = disjoint(name, state, "param", param)) != null) {
            return bad;
        }
        return disjoint(name, state, "grad", grad);
    }

    // ---- helpers --------------------------------------------------------------------------

    private static String activationAlpha(Activation activation, float alpha) {
        if ((activation == Activation.LEAKY_RELU || activation == Activation.ELU) && !Float.isFinite(alpha)) {
            return "alpha must be finite. Received: alpha=" + alpha;
        }
        return null;
    }

    private static boolean is1d(Shape s, long d0) {
        return s.rank() == 1 && s.dim(0) == d0;
    }

    private static String axisOutOfRange(int axis, int rank) {
        return "axis " + axis + " is out of range for rank " + rank + " (expected " + -rank + " to " + (rank - 1) + ")";
    }

    private static String hasLastAxis(String name, Tensor t) {
        return t.shape().rank() == 0 ? name + " must have at least one axis" : null;
    }

    private static void epsilon(String op, float epsilon) {
        if (!(epsilon >= 0f) || !Float.isFinite(epsilon)) {
            throw new IllegalArgumentException(op + ": epsilon must be finite and >= 0. Received: epsilon=" + epsilon);
        }
    }

    private static void nonNegative(String op, String name, float value) {
        if (!(value >= 0f) || !Float.isFinite(value)) {
            throw new IllegalArgumentException(op + ": " + name + " must be finite and >= 0. Received: " + name + "="
                    + value);
        }
    }

    /** value in [0, 1], or [0, 1) when not closed. */
    private static void unitRange(String op, String name, float value, boolean closed) {
        if (!(value >= 0f && (closed ? value <= 1f : value < 1f))) {
            throw new IllegalArgumentException(op + ": " + name + " must be in [0, 1" + (closed ? "]" : ")")
                    + ". Received: " + name + "=" + value);
        }
    }

    private static String sameShape(String nameA, Tensor a, String nameB, Tensor b) {
        return a.shape().equals(b.shape()) ? null : nameB + " must have " + nameA + "'s shape " + a.shape();
    }

    /** {@code out} is exactly {@code in} (same memory and shape: in place) or does not touch it. */
    private static String inPlaceOrDisjoint(String outName, Tensor out, String inName, Tensor in) {
        MemorySegment o = out.segment();
        MemorySegment i = in.segment();
        if (!Overlap.overlaps(o, i) || Overlap.same(o, i) && out.shape().equals(in.shape())) return null;
        return outName + " overlaps " + inName + " without being it (in place needs the same memory and shape)";
    }

    private static String disjoint(String outName, Tensor out, String inName, Tensor in) {
        return Overlap.overlaps(out.segment(), in.segment()) ? outName + " overlaps " + inName : null;
    }

    private static String disjointFromInputs(String outName, Tensor out, String name1, Tensor in1, String name2,
                                             Tensor in2, String name3, Tensor in3) {
        String bad = disjoint(outName, out, name1, in1);
        if (bad == null) bad = disjoint(outName, out, name2, in2);
        return bad != null ? bad : disjoint(outName, out, name3, in3);
    }

    private static String plainFloat(String name, Tensor t) {
        String bad = rowMajor(name, t);
        if (bad != null) return bad;
        return t.dtype() == DType.FLOAT32 ? null : name + " must be float32";
    }

    private static String rowMajor(String name, Tensor t) {
        t.segment(); // throws IllegalStateException if its scope is closed
        if (t.layout().isRowMajor()) return null;
        return name + " is in backend layout '" + t.layout() + "', expected row-major";
    }

    private static String describe(Tensor t) {
        return t == null ? "none" : t.describeShape();
    }

    private static String describeAll(List<Tensor> ts) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < ts.size(); i++) {
            if (i > 0) b.append(", ");
            b.append(ts.get(i) == null ? "null" : ts.get(i).describeShape());
        }
        return b.append(']').toString();
    }

    private static IllegalArgumentException fail(String op, String reason, String operands) {
        return new IllegalArgumentException(op + ": " + reason + "; got " + operands);
    }

    private static void notNull(String op, String name, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(op + ": " + name + " is null");
        }
    }
}
