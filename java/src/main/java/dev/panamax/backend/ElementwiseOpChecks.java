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
 */
public final class ElementwiseOpChecks {
    private ElementwiseOpChecks() {
    }

    // ---- element-wise ---------------------------------------------------------------------

    public static void activationForward(Activation activation, float alpha, Tensor src, Tensor dst) {
        notNull("activationForward", "activation", activation);
        String op = "activationForward " + activation.kerasName();
        notNull(op, "src", src);
        notNull(op, "dst", dst);
        String shapes = "src=" + src.describeShape() + ", dst=" + dst.describeShape();
        plainFloat(op, "src", src, shapes);
        plainFloat(op, "dst", dst, shapes);
        activationAlpha(op, activation, alpha);
        sameShape(op, shapes, "src", src, "dst", dst);
        inPlaceOrDisjoint(op, shapes, "dst", dst, "src", src);
    }

    public static void activationBackward(Activation activation, float alpha, Tensor src, Tensor diffDst,
                                          Tensor diffSrc) {
        notNull("activationBackward", "activation", activation);
        String op = "activationBackward " + activation.kerasName();
        notNull(op, "src", src);
        notNull(op, "diffDst", diffDst);
        notNull(op, "diffSrc", diffSrc);
        String shapes = "src=" + src.describeShape() + ", diffDst=" + diffDst.describeShape() + ", diffSrc="
                + diffSrc.describeShape();
        plainFloat(op, "src", src, shapes);
        plainFloat(op, "diffDst", diffDst, shapes);
        plainFloat(op, "diffSrc", diffSrc, shapes);
        activationAlpha(op, activation, alpha);
        sameShape(op, shapes, "src", src, "diffDst", diffDst);
        sameShape(op, shapes, "src", src, "diffSrc", diffSrc);
        inPlaceOrDisjoint(op, shapes, "diffSrc", diffSrc, "diffDst", diffDst);
        disjoint(op, shapes, "diffSrc", diffSrc, "src", src);
    }

    /** Checks NumPy broadcasting of a and b; returns the broadcast shape (dst's). */
    public static Shape binary(BinaryOp binaryOp, Tensor a, Tensor b, Tensor dst) {
        notNull("binary", "op", binaryOp);
        String op = "binary " + binaryOp;
        notNull(op, "a", a);
        notNull(op, "b", b);
        notNull(op, "dst", dst);
        String shapes = "a=" + a.describeShape() + ", b=" + b.describeShape() + ", dst=" + dst.describeShape();
        plainFloat(op, "a", a, shapes);
        plainFloat(op, "b", b, shapes);
        plainFloat(op, "dst", dst, shapes);
        long[] da = a.shape().dims();
        long[] db = b.shape().dims();
        int rank = Math.max(da.length, db.length);
        long[] out = new long[rank];
        for (int i = 1; i <= rank; i++) {
            long x = i <= da.length ? da[da.length - i] : 1;
            long y = i <= db.length ? db[db.length - i] : 1;
            if (x != y && x != 1 && y != 1) {
                throw new IllegalArgumentException(op + ": shapes " + a.shape() + " and " + b.shape()
                        + " do not broadcast (axis -" + i + ": " + x + " vs " + y + "); dst=" + dst.shape());
            }
            out[rank - i] = Math.max(x, y);
        }
        Shape broadcast = Shape.of(out);
        if (!dst.shape().equals(broadcast)) {
            throw new IllegalArgumentException(op + ": dst must have the broadcast shape " + broadcast + "; got "
                    + shapes);
        }
        inPlaceOrDisjoint(op, shapes, "dst", dst, "a", a);
        inPlaceOrDisjoint(op, shapes, "dst", dst, "b", b);
        return broadcast;
    }

    public static void affine(Tensor src, float alpha, float beta, Tensor dst) {
        String op = "affine";
        notNull(op, "src", src);
        notNull(op, "dst", dst);
        String shapes = "src=" + src.describeShape() + ", dst=" + dst.describeShape() + ", alpha=" + alpha
                + ", beta=" + beta;
        plainFloat(op, "src", src, shapes);
        plainFloat(op, "dst", dst, shapes);
        sameShape(op, shapes, "src", src, "dst", dst);
        inPlaceOrDisjoint(op, shapes, "dst", dst, "src", src);
    }

    /**
     * Checks a reduction; returns the axes made non-negative, in increasing order. dst must be
     * src's shape with those axes set to 1 (keep dims) or removed.
     */
    public static int[] reduce(ReduceOp reduceOp, Tensor src, int[] axes, Tensor dst) {
        notNull("reduce", "op", reduceOp);
        String op = "reduce " + reduceOp;
        notNull(op, "src", src);
        notNull(op, "axes", axes);
        notNull(op, "dst", dst);
        String shapes = "src=" + src.describeShape() + ", axes=" + Arrays.toString(axes) + ", dst="
                + dst.describeShape();
        plainFloat(op, "src", src, shapes);
        plainFloat(op, "dst", dst, shapes);
        int rank = src.shape().rank();
        boolean[] reduced = new boolean[rank];
        for (int axis : axes) {
            int a = normalizeAxis(op, "axis", axis, rank, shapes);
            if (reduced[a]) {
                throw new IllegalArgumentException(op + ": axis " + a + " is given twice; got " + shapes);
            }
            reduced[a] = true;
        }
        long[] dims = src.shape().dims();
        long[] kept = dims.clone();
        long[] squeezed = new long[rank - axes.length];
        int[] normalized = new int[axes.length];
        for (int i = 0, s = 0, r = 0; i < rank; i++) {
            if (reduced[i]) {
                kept[i] = 1;
                normalized[r++] = i;
            } else {
                squeezed[s++] = dims[i];
            }
        }
        boolean scalar = squeezed.length == 0 && dst.size() == 1; // a full reduction may also write [1]
        if (!scalar && !dst.shape().equals(Shape.of(kept)) && !dst.shape().equals(Shape.of(squeezed))) {
            throw new IllegalArgumentException(op + ": dst must be " + Shape.of(kept) + " (axes kept) or "
                    + Shape.of(squeezed) + " (axes removed); got " + shapes);
        }
        disjoint(op, shapes, "dst", dst, "src", src);
        return normalized;
    }

    // ---- softmax and losses ---------------------------------------------------------------

    public static void softmaxForward(Tensor src, boolean log, Tensor dst) {
        String op = log ? "softmaxForward (log)" : "softmaxForward";
        notNull(op, "src", src);
        notNull(op, "dst", dst);
        String shapes = "src=" + src.describeShape() + ", dst=" + dst.describeShape();
        plainFloat(op, "src", src, shapes);
        plainFloat(op, "dst", dst, shapes);
        hasLastAxis(op, "src", src, shapes);
        sameShape(op, shapes, "src", src, "dst", dst);
        disjoint(op, shapes, "dst", dst, "src", src);
    }

    public static void softmaxBackward(Tensor dst, Tensor diffDst, boolean log, Tensor diffSrc) {
        String op = log ? "softmaxBackward (log)" : "softmaxBackward";
        notNull(op, "dst", dst);
        notNull(op, "diffDst", diffDst);
        notNull(op, "diffSrc", diffSrc);
        String shapes = "dst=" + dst.describeShape() + ", diffDst=" + diffDst.describeShape() + ", diffSrc="
                + diffSrc.describeShape();
        plainFloat(op, "dst", dst, shapes);
        plainFloat(op, "diffDst", diffDst, shapes);
        plainFloat(op, "diffSrc", diffSrc, shapes);
        hasLastAxis(op, "dst", dst, shapes);
        sameShape(op, shapes, "dst", dst, "diffDst", diffDst);
        sameShape(op, shapes, "dst", dst, "diffSrc", diffSrc);
        disjoint(op, shapes, "diffSrc", diffSrc, "dst", dst);
        disjoint(op, shapes, "diffSrc", diffSrc, "diffDst", diffDst);
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
        String shapes = "logits=" + logits.describeShape() + ", labels=" + labels.describeShape() + ", losses="
                + losses.describeShape() + ", diffLogits=" + (diffLogits == null ? "none" : diffLogits.describeShape());
        plainFloat(op, "logits", logits, shapes);
        plainFloat(op, "losses", losses, shapes);
        if (diffLogits != null) plainFloat(op, "diffLogits", diffLogits, shapes);
        rowMajor(op, "labels", labels, shapes);
        if (logits.shape().rank() != 2) {
            throw new IllegalArgumentException(op + ": logits must be [n, classes]; got " + shapes);
        }
        long rows = logits.shape().dim(0);
        long classes = logits.shape().dim(1);
        if (!losses.shape().equals(Shape.of(rows))) {
            throw new IllegalArgumentException(op + ": losses must be [" + rows + "]; got " + shapes);
        }
        if (diffLogits != null && !diffLogits.shape().equals(logits.shape())) {
            throw new IllegalArgumentException(op + ": diffLogits must have logits' shape; got " + shapes);
        }
        if (!Float.isFinite(gradScale)) {
            throw new IllegalArgumentException(op + ": gradScale must be finite. Received: gradScale=" + gradScale);
        }
        if (labels.dtype() == DType.FLOAT32) {
            if (!labels.shape().equals(logits.shape())) {
                throw new IllegalArgumentException(op + ": float32 labels (probabilities) must have logits' shape "
                        + logits.shape() + "; got " + shapes);
            }
        } else if (labels.dtype() == DType.INT32) {
            if (!labels.shape().equals(Shape.of(rows))) {
                throw new IllegalArgumentException(op + ": int32 labels (class indices) must be [" + rows + "]; got "
                        + shapes);
            }
            MemorySegment s = labels.segment();
            for (long r = 0; r < rows; r++) {
                int label = s.getAtIndex(ValueLayout.JAVA_INT, r);
                if (label < 0 || label >= classes) {
                    throw new IllegalArgumentException(op + ": label " + label + " at row " + r + " is outside [0, "
                            + classes + "); got " + shapes);
                }
            }
        } else {
            throw new IllegalArgumentException(op + ": labels must be float32 probabilities or int32 class indices; got "
                    + shapes);
        }
        for (Tensor in : new Tensor[] {logits, labels}) {
            String inName = in == logits ? "logits" : "labels";
            disjoint(op, shapes, "losses", losses, inName, in);
            if (diffLogits != null) disjoint(op, shapes, "diffLogits", diffLogits, inName, in);
        }
        if (diffLogits != null) disjoint(op, shapes, "diffLogits", diffLogits, "losses", losses);
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
        String shapes = "src=" + src.describeShape() + ", gamma=" + gamma.describeShape() + ", beta="
                + beta.describeShape() + ", dst=" + dst.describeShape() + ", mean=" + mean.describeShape()
                + ", variance=" + variance.describeShape();
        Tensor[] all = {src, gamma, beta, dst, mean, variance};
        String[] names = {"src", "gamma", "beta", "dst", "mean", "variance"};
        for (int i = 0; i < all.length; i++) plainFloat(op, names[i], all[i], shapes);
        layerNormShapes(op, shapes, src, gamma, mean, variance);
        if (!beta.shape().equals(gamma.shape())) {
            throw new IllegalArgumentException(op + ": beta must be " + gamma.shape() + "; got " + shapes);
        }
        sameShape(op, shapes, "src", src, "dst", dst);
        epsilon(op, epsilon);
        allDisjoint(op, shapes, all, names, 3);
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
        String shapes = "src=" + src.describeShape() + ", diffDst=" + diffDst.describeShape() + ", gamma="
                + gamma.describeShape() + ", mean=" + mean.describeShape() + ", variance=" + variance.describeShape()
                + ", diffSrc=" + diffSrc.describeShape() + ", diffGamma=" + diffGamma.describeShape() + ", diffBeta="
                + diffBeta.describeShape();
        Tensor[] all = {src, diffDst, gamma, mean, variance, diffSrc, diffGamma, diffBeta};
        String[] names = {"src", "diffDst", "gamma", "mean", "variance", "diffSrc", "diffGamma", "diffBeta"};
        for (int i = 0; i < all.length; i++) plainFloat(op, names[i], all[i], shapes);
        layerNormShapes(op, shapes, src, gamma, mean, variance);
        sameShape(op, shapes, "src", src, "diffDst", diffDst);
        sameShape(op, shapes, "src", src, "diffSrc", diffSrc);
        sameShape(op, shapes, "gamma", gamma, "diffGamma", diffGamma);
        sameShape(op, shapes, "gamma", gamma, "diffBeta", diffBeta);
        epsilon(op, epsilon);
        allDisjoint(op, shapes, all, names, 5);
    }

    // ---- dropout --------------------------------------------------------------------------

    /** dst may be src (in place); mask overlaps neither. */
    public static void dropoutForward(float rate, long seed, Tensor src, Tensor dst, Tensor mask) {
        String op = "dropoutForward";
        notNull(op, "src", src);
        notNull(op, "dst", dst);
        notNull(op, "mask", mask);
        String shapes = "src=" + src.describeShape() + ", dst=" + dst.describeShape() + ", mask="
                + mask.describeShape();
        plainFloat(op, "src", src, shapes);
        plainFloat(op, "dst", dst, shapes);
        plainFloat(op, "mask", mask, shapes);
        if (!(rate >= 0f && rate < 1f)) {
            throw new IllegalArgumentException(op + ": rate must be in [0, 1). Received: rate=" + rate);
        }
        sameShape(op, shapes, "src", src, "dst", dst);
        sameShape(op, shapes, "src", src, "mask", mask);
        inPlaceOrDisjoint(op, shapes, "dst", dst, "src", src);
        disjoint(op, shapes, "mask", mask, "src", src);
        disjoint(op, shapes, "mask", mask, "dst", dst);
    }

    // ---- shape ops ------------------------------------------------------------------------

    /** Checks a concatenation; returns the axis made non-negative. */
    public static int concat(int axis, List<Tensor> srcs, Tensor dst) {
        String op = "concat";
        notNull(op, "srcs", srcs);
        notNull(op, "dst", dst);
        String shapes = "srcs=" + describeAll(srcs) + ", dst=" + dst.describeShape() + ", axis=" + axis;
        return joinCheck(op, axis, srcs, "srcs", dst, "dst", shapes);
    }

    /** Checks a split; returns the axis made non-negative. */
    public static int split(int axis, Tensor src, List<Tensor> dsts) {
        String op = "split";
        notNull(op, "src", src);
        notNull(op, "dsts", dsts);
        String shapes = "src=" + src.describeShape() + ", dsts=" + describeAll(dsts) + ", axis=" + axis;
        int a = joinCheck(op, axis, dsts, "dsts", src, "src", shapes);
        for (int i = 0; i < dsts.size(); i++) {
            for (int j = i + 1; j < dsts.size(); j++) {
                disjoint(op, shapes, "dsts[" + i + "]", dsts.get(i), "dsts[" + j + "]", dsts.get(j));
            }
        }
        return a;
    }

    /** {@code perm} must be a permutation of {@code [0, rank)}; dst's axis i is src's axis perm[i]. */
    public static void transpose(Tensor src, int[] perm, Tensor dst) {
        String op = "transpose";
        notNull(op, "src", src);
        notNull(op, "perm", perm);
        notNull(op, "dst", dst);
        String shapes = "src=" + src.describeShape() + ", perm=" + Arrays.toString(perm) + ", dst="
                + dst.describeShape();
        plainFloat(op, "src", src, shapes);
        plainFloat(op, "dst", dst, shapes);
        int rank = src.shape().rank();
        boolean[] seen = new boolean[rank];
        boolean valid = perm.length == rank;
        for (int p : perm) {
            if (!valid || p < 0 || p >= rank || seen[p]) {
                valid = false;
                break;
            }
            seen[p] = true;
        }
        if (!valid) {
            throw new IllegalArgumentException(op + ": perm must be a permutation of [0, " + rank + "); got " + shapes);
        }
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) out[i] = src.shape().dim(perm[i]);
        if (!dst.shape().equals(Shape.of(out))) {
            throw new IllegalArgumentException(op + ": dst must be " + Shape.of(out) + "; got " + shapes);
        }
        disjoint(op, shapes, "dst", dst, "src", src);
    }

    public static void pad(Tensor src, long[] before, long[] after, float value, Tensor dst) {
        String op = "pad";
        notNull(op, "src", src);
        notNull(op, "before", before);
        notNull(op, "after", after);
        notNull(op, "dst", dst);
        String shapes = "src=" + src.describeShape() + ", before=" + Arrays.toString(before) + ", after="
                + Arrays.toString(after) + ", dst=" + dst.describeShape();
        plainFloat(op, "src", src, shapes);
        plainFloat(op, "dst", dst, shapes);
        int rank = src.shape().rank();
        if (before.length != rank || after.length != rank) {
            throw new IllegalArgumentException(op + ": before and after need one amount per axis (" + rank
                    + "); got " + shapes);
        }
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            if (before[i] < 0 || after[i] < 0) {
                throw new IllegalArgumentException(op + ": padding must be non-negative (axis " + i + ": before="
                        + before[i] + ", after=" + after[i] + "); got " + shapes);
            }
            out[i] = src.shape().dim(i) + before[i] + after[i];
        }
        if (!dst.shape().equals(Shape.of(out))) {
            throw new IllegalArgumentException(op + ": dst must be " + Shape.of(out) + "; got " + shapes);
        }
        disjoint(op, shapes, "dst", dst, "src", src);
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
        optimizerState(op, param, grad, new Tensor[] {velocity}, new String[] {"velocity"});
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
        optimizerState(op, param, grad, new Tensor[] {m, v}, new String[] {"m", "v"});
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
        optimizerState(op, param, grad, new Tensor[] {meanSquare, momentumBuffer},
                new String[] {"meanSquare", "momentumBuffer"});
    }

    // ---- helpers --------------------------------------------------------------------------

    private static void activationAlpha(String op, Activation activation, float alpha) {
        if ((activation == Activation.LEAKY_RELU || activation == Activation.ELU) && !Float.isFinite(alpha)) {
            throw new IllegalArgumentException(op + ": alpha must be finite. Received: alpha=" + alpha);
        }
    }

    /** mean and variance: src's shape without its last axis, or {@code [rows]}; gamma {@code [last]}. */
    private static void layerNormShapes(String op, String shapes, Tensor src, Tensor gamma, Tensor mean,
                                        Tensor variance) {
        hasLastAxis(op, "src", src, shapes);
        long cols = src.shape().dim(-1);
        if (!gamma.shape().equals(Shape.of(cols))) {
            throw new IllegalArgumentException(op + ": gamma must be [" + cols + "] (src's last axis); got " + shapes);
        }
        long[] dims = src.shape().dims();
        Shape withoutLast = Shape.of(Arrays.copyOf(dims, dims.length - 1));
        Shape flat = Shape.of(src.size() / cols);
        for (Tensor stat : new Tensor[] {mean, variance}) {
            if (!stat.shape().equals(withoutLast) && !stat.shape().equals(flat)) {
                throw new IllegalArgumentException(op + ": " + (stat == mean ? "mean" : "variance") + " must be "
                        + withoutLast + " or " + flat + " (one value per row); got " + shapes);
            }
        }
    }

    /** Checks the pieces of a concat or split against the whole; returns the axis. */
    private static int joinCheck(String op, int axis, List<Tensor> pieces, String piecesName, Tensor whole,
                                 String wholeName, String shapes) {
        if (pieces.isEmpty()) {
            throw new IllegalArgumentException(op + ": " + piecesName + " is empty; got " + shapes);
        }
        for (int i = 0; i < pieces.size(); i++) {
            if (pieces.get(i) == null) {
                throw new IllegalArgumentException(op + ": " + piecesName + "[" + i + "] is null; got " + shapes);
            }
            plainFloat(op, piecesName + "[" + i + "]", pieces.get(i), shapes);
        }
        plainFloat(op, wholeName, whole, shapes);
        int rank = whole.shape().rank();
        int a = normalizeAxis(op, "axis", axis, rank, shapes);
        long total = 0;
        for (int i = 0; i < pieces.size(); i++) {
            Shape s = pieces.get(i).shape();
            if (s.rank() != rank) {
                throw new IllegalArgumentException(op + ": " + piecesName + "[" + i + "] has rank " + s.rank() + ", "
                        + wholeName + " has rank " + rank + "; got " + shapes);
            }
            for (int d = 0; d < rank; d++) {
                if (d != a && s.dim(d) != whole.shape().dim(d)) {
                    throw new IllegalArgumentException(op + ": " + piecesName + "[" + i + "] differs from " + wholeName
                            + " outside axis " + a + " (axis " + d + ": " + s.dim(d) + " vs " + whole.shape().dim(d)
                            + "); got " + shapes);
                }
            }
            total += s.dim(a);
        }
        if (total != whole.shape().dim(a)) {
            throw new IllegalArgumentException(op + ": " + piecesName + " add up to " + total + " along axis " + a
                    + " but " + wholeName + " has " + whole.shape().dim(a) + "; got " + shapes);
        }
        for (int i = 0; i < pieces.size(); i++) {
            disjoint(op, shapes, piecesName + "[" + i + "]", pieces.get(i), wholeName, whole);
        }
        return a;
    }

    private static void optimizerState(String op, Tensor param, Tensor grad, Tensor[] states, String[] names) {
        StringBuilder b = new StringBuilder("param=").append(param.describeShape()).append(", grad=")
                .append(grad.describeShape());
        for (int i = 0; i < states.length; i++) {
            b.append(", ").append(names[i]).append('=').append(states[i] == null ? "none" : states[i].describeShape());
        }
        String shapes = b.toString();
        plainFloat(op, "param", param, shapes);
        plainFloat(op, "grad", grad, shapes);
        sameShape(op, shapes, "param", param, "grad", grad);
        disjoint(op, shapes, "param", param, "grad", grad);
        for (int i = 0; i < states.length; i++) {
            if (states[i] == null) continue;
            plainFloat(op, names[i], states[i], shapes);
            sameShape(op, shapes, "param", param, names[i], states[i]);
            disjoint(op, shapes, names[i], states[i], "param", param);
            disjoint(op, shapes, names[i], states[i], "grad", grad);
            for (int j = 0; j < i; j++) {
                if (states[j] != null) disjoint(op, shapes, names[i], states[i], names[j], states[j]);
            }
        }
    }

    private static int normalizeAxis(String op, String name, int axis, int rank, String shapes) {
        if (axis < -rank || axis >= rank) {
            throw new IllegalArgumentException(op + ": " + name + " " + axis + " is out of range for rank " + rank
                    + " (expected " + -rank + " to " + (rank - 1) + "); got " + shapes);
        }
        return axis < 0 ? axis + rank : axis;
    }

    private static void hasLastAxis(String op, String name, Tensor t, String shapes) {
        if (t.shape().rank() == 0) {
            throw new IllegalArgumentException(op + ": " + name + " must have at least one axis; got " + shapes);
        }
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

    private static void sameShape(String op, String shapes, String nameA, Tensor a, String nameB, Tensor b) {
        if (!a.shape().equals(b.shape())) {
            throw new IllegalArgumentException(op + ": " + nameB + " must have " + nameA + "'s shape " + a.shape()
                    + "; got " + shapes);
        }
    }

    /** {@code out} is exactly {@code in} (same memory and shape: in place) or does not touch it. */
    private static void inPlaceOrDisjoint(String op, String shapes, String outName, Tensor out, String inName,
                                          Tensor in) {
        MemorySegment o = out.segment();
        MemorySegment i = in.segment();
        if (o.asOverlappingSlice(i).isEmpty()) return;
        if (o.address() == i.address() && o.byteSize() == i.byteSize() && out.shape().equals(in.shape())) return;
        throw new IllegalArgumentException(op + ": " + outName + " overlaps " + inName + " without being it (in place"
                + " needs the same memory and shape); got " + shapes);
    }

    private static void disjoint(String op, String shapes, String outName, Tensor out, String inName, Tensor in) {
        if (out.segment().asOverlappingSlice(in.segment()).isPresent()) {
            throw new IllegalArgumentException(op + ": " + outName + " overlaps " + inName + "; got " + shapes);
        }
    }

    /** Outputs {@code all[firstOutput..]} overlap no other tensor of {@code all}. */
    private static void allDisjoint(String op, String shapes, Tensor[] all, String[] names, int firstOutput) {
        for (int o = firstOutput; o < all.length; o++) {
            for (int i = 0; i < o; i++) {
                disjoint(op, shapes, names[o], all[o], names[i], all[i]);
            }
        }
    }

    private static void plainFloat(String op, String name, Tensor t, String shapes) {
        rowMajor(op, name, t, shapes);
        if (t.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException(op + ": " + name + " must be float32; got " + shapes);
        }
    }

    private static void rowMajor(String op, String name, Tensor t, String shapes) {
        t.segment(); // throws IllegalStateException if its scope is closed
        if (!t.layout().isRowMajor()) {
            throw new IllegalArgumentException(op + ": " + name + " is in backend layout '" + t.layout()
                    + "', expected row-major; got " + shapes);
        }
    }

    private static String describeAll(List<Tensor> ts) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < ts.size(); i++) {
            if (i > 0) b.append(", ");
            b.append(ts.get(i) == null ? "null" : ts.get(i).describeShape());
        }
        return b.append(']').toString();
    }

    private static void notNull(String op, String name, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(op + ": " + name + " is null");
        }
    }
}
