package dev.panamax.backend;

import dev.panamax.tensor.DType;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;

/**
 * Argument checks shared by every backend, so both reject the same inputs with the same
 * message (naming the op and every shape involved) before any work or native call. What only
 * one backend cares about (the layout and dtype of its workspaces, packed weights) is checked
 * by that backend; here, only whether a workspace is present.
 */
public final class OpChecks {
    private OpChecks() {
    }

    // ---- matrix products ------------------------------------------------------------------

    /** Checks matmul operands; returns {@code {m, n, k}}. */
    public static long[] matmul(Tensor a, boolean transposeA, Tensor b, boolean transposeB, Tensor dst) {
        return product("matmul", a, transposeA, b, transposeB, dst);
    }

    /** Checks gemm operands (dst, also read when beta is not 0, must not overlap a or b); returns {@code {m, n, k}}. */
    public static long[] gemm(Tensor a, boolean transposeA, Tensor b, boolean transposeB, Tensor dst) {
        return product("gemm", a, transposeA, b, transposeB, dst);
    }

    private static long[] product(String op, Tensor a, boolean transposeA, Tensor b, boolean transposeB, Tensor dst) {
        notNull(op, "a", a);
        notNull(op, "b", b);
        notNull(op, "dst", dst);
        String shapes = "a=" + a.describeShape() + (transposeA ? "ᵀ" : "") + ", b=" + b.describeShape()
                + (transposeB ? "ᵀ" : "") + ", dst=" + dst.describeShape();
        for (Tensor t : new Tensor[] {a, b, dst}) {
            plainFloat(op, t, shapes);
            if (t.shape().rank() != 2) {
                throw new IllegalArgumentException(op + ": operands must be 2-D matrices; got " + shapes);
            }
        }
        long m = transposeA ? a.shape().dim(1) : a.shape().dim(0);
        long k = transposeA ? a.shape().dim(0) : a.shape().dim(1);
        long kb = transposeB ? b.shape().dim(1) : b.shape().dim(0);
        long n = transposeB ? b.shape().dim(0) : b.shape().dim(1);
        if (k != kb) {
            throw new IllegalArgumentException(op + ": inner dimensions differ (" + k + " vs " + kb + "); got " + shapes);
        }
        if (!dst.shape().equals(Shape.of(m, n))) {
            throw new IllegalArgumentException(op + ": dst must be [" + m + ", " + n + "]; got " + shapes);
        }
        noOverlap(op, "dst", dst, shapes, a, b);
        return new long[] {m, n, k};
    }

    /** Checks batched matmul operands; returns {@code {batch, m, n, k}}. */
    public static long[] batchedMatmul(Tensor a, boolean transposeA, Tensor b, boolean transposeB, Tensor dst) {
        String op = "batched_matmul";
        notNull(op, "a", a);
        notNull(op, "b", b);
        notNull(op, "dst", dst);
        String shapes = "a=" + a.describeShape() + (transposeA ? " (transposed)" : "") + ", b=" + b.describeShape()
                + (transposeB ? " (transposed)" : "") + ", dst=" + dst.describeShape();
        for (Tensor t : new Tensor[] {a, b, dst}) {
            plainFloat(op, t, shapes);
            if (t.shape().rank() != 3) {
                throw new IllegalArgumentException(op + ": operands must be 3-D [batch, rows, columns]; got " + shapes);
            }
        }
        long batch = a.shape().dim(0);
        if (b.shape().dim(0) != batch || dst.shape().dim(0) != batch) {
            throw new IllegalArgumentException(op + ": batch sizes differ; got " + shapes);
        }
        long m = transposeA ? a.shape().dim(2) : a.shape().dim(1);
        long k = transposeA ? a.shape().dim(1) : a.shape().dim(2);
        long kb = transposeB ? b.shape().dim(2) : b.shape().dim(1);
        long n = transposeB ? b.shape().dim(1) : b.shape().dim(2);
        if (k != kb) {
            throw new IllegalArgumentException(op + ": inner dimensions differ (" + k + " vs " + kb + "); got " + shapes);
        }
        if (!dst.shape().equals(Shape.of(batch, m, n))) {
            throw new IllegalArgumentException(op + ": dst must be [" + batch + ", " + m + ", " + n + "]; got " + shapes);
        }
        noOverlap(op, "dst", dst, shapes, a, b);
        return new long[] {batch, m, n, k};
    }

    // ---- dense ----------------------------------------------------------------------------

    /** Checks x {@code [n, in]}, kernel {@code [in, out]}, bias {@code [out]} or null, dst {@code [n, out]}. */
    public static void denseForward(Tensor x, Tensor kernel, Tensor bias, PostOps postOps, Tensor dst) {
        String op = "dense";
        notNull(op, "x", x);
        notNull(op, "kernel", kernel);
        notNull(op, "postOps", postOps);
        notNull(op, "dst", dst);
        String shapes = "x=" + x.describeShape() + ", kernel=" + kernel.describeShape() + ", bias=" + describe(bias)
                + ", dst=" + dst.describeShape();
        long[] nio = denseShapes(op, x, kernel, shapes);
        checkOptional(op, "bias", bias, Shape.of(nio[2]), shapes);
        checkShape(op, "dst", dst, Shape.of(nio[0], nio[2]), shapes);
        if (postOps.sum()) {
            throw new IllegalArgumentException(op + ": post-ops may hold an activation but no sum; got postOps="
                    + postOps + ", " + shapes);
        }
        noOverlap(op, "dst", dst, shapes, x, kernel, bias);
    }

    /**
     * Checks dense backward: diffDst {@code [n, out]}, diffKernel {@code [in, out]} (required),
     * diffX {@code [n, in]} and diffBias {@code [out]} (each may be null).
     */
    public static void denseBackward(Tensor x, Tensor kernel, Tensor diffDst, Tensor diffX, Tensor diffKernel,
                                     Tensor diffBias) {
        String op = "dense_backward";
        notNull(op, "x", x);
        notNull(op, "kernel", kernel);
        notNull(op, "diffDst", diffDst);
        notNull(op, "diffKernel", diffKernel);
        String shapes = "x=" + x.describeShape() + ", kernel=" + kernel.describeShape() + ", diffDst="
                + diffDst.describeShape() + ", diffX=" + describe(diffX) + ", diffKernel=" + diffKernel.describeShape()
                + ", diffBias=" + describe(diffBias);
        long[] nio = denseShapes(op, x, kernel, shapes);
        checkShape(op, "diffDst", diffDst, Shape.of(nio[0], nio[2]), shapes);
        checkOptional(op, "diffX", diffX, Shape.of(nio[0], nio[1]), shapes);
        checkShape(op, "diffKernel", diffKernel, Shape.of(nio[1], nio[2]), shapes);
        checkOptional(op, "diffBias", diffBias, Shape.of(nio[2]), shapes);
        Tensor[] inputs = {x, kernel, diffDst};
        noOverlap(op, "diffX", diffX, shapes, inputs);
        noOverlap(op, "diffKernel", diffKernel, shapes, inputs);
        noOverlap(op, "diffBias", diffBias, shapes, inputs);
        noOverlap(op, "diffKernel", diffKernel, shapes, diffX, diffBias);
        noOverlap(op, "diffX", diffX, shapes, diffBias);
    }

    /** Returns {@code {n, in, out}} of a dense layer. */
    private static long[] denseShapes(String op, Tensor x, Tensor kernel, String shapes) {
        plainFloat(op, x, shapes);
        plainFloat(op, kernel, shapes);
        if (x.shape().rank() != 2 || kernel.shape().rank() != 2) {
            throw new IllegalArgumentException(op + ": x must be [batch, in] and kernel [in, out]; got " + shapes);
        }
        if (x.shape().dim(1) != kernel.shape().dim(0)) {
            throw new IllegalArgumentException(op + ": x has " + x.shape().dim(1) + " features but the kernel expects "
                    + kernel.shape().dim(0) + "; got " + shapes);
        }
        return new long[] {x.shape().dim(0), x.shape().dim(1), kernel.shape().dim(1)};
    }

    // ---- convolution ----------------------------------------------------------------------

    /** Checks plain HWIO weights for {@code spec}. */
    public static void conv2dWeights(Conv2dSpec spec, Tensor weights) {
        String op = "conv2d";
        notNull(op, "spec", spec);
        notNull(op, "weights", weights);
        String shapes = "weights=" + weights.describeShape() + " for " + spec;
        plainFloat(op, weights, shapes);
        if (!weights.shape().equals(spec.weightsShape())) {
            throw new IllegalArgumentException(op + ": weights must be HWIO " + spec.weightsShape() + "; got " + shapes);
        }
    }

    /** Checks forward operands without post-ops. */
    public static void conv2dForward(Conv2dSpec spec, Tensor src, Tensor weights, Tensor bias, Tensor dst) {
        conv2dForward(spec, PostOps.NONE, src, weights, bias, dst);
    }

    /** Checks forward operands; weights may be in a backend layout (the backend checks which). */
    public static void conv2dForward(Conv2dSpec spec, PostOps postOps, Tensor src, Tensor weights, Tensor bias,
                                     Tensor dst) {
        String op = "conv2d";
        notNull(op, "spec", spec);
        notNull(op, "postOps", postOps);
        notNull(op, "src", src);
        notNull(op, "weights", weights);
        notNull(op, "dst", dst);
        String shapes = "src=" + src.describeShape() + ", weights=" + weights.describeShape()
                + ", bias=" + describe(bias) + ", dst=" + dst.describeShape() + " for " + spec;
        plainFloat(op, src, shapes);
        plainFloat(op, dst, shapes);
        if (weights.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException(op + ": weights must be float32; got " + shapes);
        }
        checkNhwc(op, "src", src, spec.srcShape(), shapes);
        checkNhwc(op, "dst", dst, spec.dstShape(), shapes);
        if (!weights.shape().equals(spec.weightsShape())) {
            throw new IllegalArgumentException(op + ": weights must be HWIO " + spec.weightsShape() + "; got " + shapes);
        }
        convBias(op, spec, bias, shapes);
        noOverlap(op, "dst", dst, shapes, src, weights, bias);
    }

    /** Checks the input gradient: diffDst is dst-shaped, weights plain HWIO, diffSrc src-shaped. */
    public static void conv2dBackwardData(Conv2dSpec spec, Tensor diffDst, Tensor weights, Tensor diffSrc) {
        String op = "conv2d_backward_data";
        notNull(op, "spec", spec);
        notNull(op, "diffDst", diffDst);
        notNull(op, "weights", weights);
        notNull(op, "diffSrc", diffSrc);
        String shapes = "diffDst=" + diffDst.describeShape() + ", weights=" + weights.describeShape() + ", diffSrc="
                + diffSrc.describeShape() + " for " + spec;
        checkNhwc(op, "diffDst", diffDst, spec.dstShape(), shapes);
        checkShape(op, "weights", weights, spec.weightsShape(), shapes);
        checkNhwc(op, "diffSrc", diffSrc, spec.srcShape(), shapes);
        noOverlap(op, "diffSrc", diffSrc, shapes, diffDst, weights);
    }

    /** Checks the weight gradient (plain HWIO) and the bias gradient (null when the spec has no bias). */
    public static void conv2dBackwardWeights(Conv2dSpec spec, Tensor src, Tensor diffDst, Tensor diffWeights,
                                             Tensor diffBias) {
        String op = "conv2d_backward_weights";
        notNull(op, "spec", spec);
        notNull(op, "src", src);
        notNull(op, "diffDst", diffDst);
        notNull(op, "diffWeights", diffWeights);
        String shapes = "src=" + src.describeShape() + ", diffDst=" + diffDst.describeShape() + ", diffWeights="
                + diffWeights.describeShape() + ", diffBias=" + describe(diffBias) + " for " + spec;
        checkNhwc(op, "src", src, spec.srcShape(), shapes);
        checkNhwc(op, "diffDst", diffDst, spec.dstShape(), shapes);
        checkShape(op, "diffWeights", diffWeights, spec.weightsShape(), shapes);
        if (diffBias != null && !spec.hasBias()) {
            throw new IllegalArgumentException(op + ": a bias gradient was given but the spec has no bias; got "
                    + shapes);
        }
        checkOptional(op, "diffBias", diffBias, spec.biasShape(), shapes);
        noOverlap(op, "diffWeights", diffWeights, shapes, src, diffDst, diffBias);
        noOverlap(op, "diffBias", diffBias, shapes, src, diffDst);
    }

    private static void convBias(String op, Conv2dSpec spec, Tensor bias, String shapes) {
        if (spec.hasBias()) {
            if (bias == null) {
                throw new IllegalArgumentException(op + ": the spec has a bias but none was given; got " + shapes);
            }
            checkShape(op, "bias", bias, spec.biasShape(), shapes);
        } else if (bias != null) {
            throw new IllegalArgumentException(op + ": a bias was given but the spec has none; got " + shapes);
        }
    }

    // ---- pooling --------------------------------------------------------------------------

    /** Checks pooling forward; a workspace is optional for max pooling (inference) and absent for average. */
    public static void pool2dForward(Pool2dSpec spec, Tensor src, Tensor dst, Tensor workspace) {
        String op = "pool2d";
        notNull(op, "spec", spec);
        notNull(op, "src", src);
        notNull(op, "dst", dst);
        String shapes = "src=" + src.describeShape() + ", dst=" + dst.describeShape() + ", workspace="
                + describe(workspace) + " for " + spec;
        checkNhwc(op, "src", src, spec.srcShape(), shapes);
        checkNhwc(op, "dst", dst, spec.dstShape(), shapes);
        poolWorkspace(op, spec, workspace, false, shapes);
        noOverlap(op, "dst", dst, shapes, src, workspace);
        noOverlap(op, "workspace", workspace, shapes, src);
    }

    /** Checks pooling backward; max pooling needs the workspace its forward pass filled. */
    public static void pool2dBackward(Pool2dSpec spec, Tensor diffDst, Tensor workspace, Tensor diffSrc) {
        String op = "pool2d_backward";
        notNull(op, "spec", spec);
        notNull(op, "diffDst", diffDst);
        notNull(op, "diffSrc", diffSrc);
        String shapes = "diffDst=" + diffDst.describeShape() + ", workspace=" + describe(workspace) + ", diffSrc="
                + diffSrc.describeShape() + " for " + spec;
        checkNhwc(op, "diffDst", diffDst, spec.dstShape(), shapes);
        checkNhwc(op, "diffSrc", diffSrc, spec.srcShape(), shapes);
        poolWorkspace(op, spec, workspace, true, shapes);
        noOverlap(op, "diffSrc", diffSrc, shapes, diffDst, workspace);
    }

    private static void poolWorkspace(String op, Pool2dSpec spec, Tensor workspace, boolean required, String shapes) {
        if (spec.kind() != Pool2dSpec.Kind.MAX) {
            if (workspace != null) {
                throw new IllegalArgumentException(op + ": average pooling keeps no workspace, but one was given; got "
                        + shapes);
            }
            return;
        }
        if (workspace == null) {
            if (required) {
                throw new IllegalArgumentException(op + ": max pooling needs the workspace its forward pass filled"
                        + " (from pool2dWorkspace); got " + shapes);
            }
            return;
        }
        workspace.segment(); // throws IllegalStateException if its scope is closed
    }

    // ---- batch norm -----------------------------------------------------------------------

    /** Checks batch norm training: params and statistics {@code [C]} (C = src's last axis), dst src-shaped. */
    public static void batchNormForwardTraining(Tensor src, Tensor gamma, Tensor beta, float epsilon, float momentum,
                                                Tensor movingMean, Tensor movingVariance, boolean fuseRelu, Tensor dst,
                                                Tensor batchMean, Tensor batchVariance, Tensor workspace) {
        String op = "batch_norm";
        String[] names = {"src", "gamma", "beta", "movingMean", "movingVariance", "dst", "batchMean", "batchVariance"};
        Tensor[] tensors = {src, gamma, beta, movingMean, movingVariance, dst, batchMean, batchVariance};
        for (int i = 0; i < names.length; i++) notNull(op, names[i], tensors[i]);
        String shapes = describeAll(names, tensors) + ", workspace=" + describe(workspace);
        Shape c = channels(op, src, shapes);
        checkShape(op, "gamma", gamma, c, shapes);
        checkShape(op, "beta", beta, c, shapes);
        checkShape(op, "movingMean", movingMean, c, shapes);
        checkShape(op, "movingVariance", movingVariance, c, shapes);
        checkShape(op, "dst", dst, src.shape(), shapes);
        checkShape(op, "batchMean", batchMean, c, shapes);
        checkShape(op, "batchVariance", batchVariance, c, shapes);
        epsilon(op, epsilon, shapes);
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException(op + ": momentum must be in [0, 1]. Received: momentum=" + momentum
                    + "; " + shapes);
        }
        reluWorkspace(op, fuseRelu, workspace, shapes);
        Tensor[] inputs = {src, gamma, beta};
        for (int i = 3; i < tensors.length; i++) noOverlap(op, names[i], tensors[i], shapes, inputs);
        noOverlap(op, "workspace", workspace, shapes, inputs);
        noOverlap(op, "dst", dst, shapes, movingMean, movingVariance, batchMean, batchVariance, workspace);
        noOverlap(op, "batchMean", batchMean, shapes, movingMean, movingVariance, batchVariance);
        noOverlap(op, "batchVariance", batchVariance, shapes, movingMean, movingVariance);
        noOverlap(op, "movingMean", movingMean, shapes, movingVariance);
    }

    /** Checks batch norm inference: params and statistics {@code [C]}, dst src-shaped. */
    public static void batchNormForwardInference(Tensor src, Tensor gamma, Tensor beta, Tensor mean, Tensor variance,
                                                 float epsilon, boolean fuseRelu, Tensor dst) {
        String op = "batch_norm_inference";
        String[] names = {"src", "gamma", "beta", "mean", "variance", "dst"};
        Tensor[] tensors = {src, gamma, beta, mean, variance, dst};
        for (int i = 0; i < names.length; i++) notNull(op, names[i], tensors[i]);
        String shapes = describeAll(names, tensors) + ", fuseRelu=" + fuseRelu;
        Shape c = channels(op, src, shapes);
        checkShape(op, "gamma", gamma, c, shapes);
        checkShape(op, "beta", beta, c, shapes);
        checkShape(op, "mean", mean, c, shapes);
        checkShape(op, "variance", variance, c, shapes);
        checkShape(op, "dst", dst, src.shape(), shapes);
        epsilon(op, epsilon, shapes);
        noOverlap(op, "dst", dst, shapes, src, gamma, beta, mean, variance);
    }

    /** Checks batch norm backward: diffGamma and diffBeta {@code [C]} are required, the workspace iff fuseRelu. */
    public static void batchNormBackward(Tensor src, Tensor diffDst, Tensor gamma, Tensor batchMean,
                                         Tensor batchVariance, float epsilon, boolean fuseRelu, Tensor workspace,
                                         Tensor diffSrc, Tensor diffGamma, Tensor diffBeta) {
        String op = "batch_norm_backward";
        String[] names = {"src", "diffDst", "gamma", "batchMean", "batchVariance", "diffSrc", "diffGamma", "diffBeta"};
        Tensor[] tensors = {src, diffDst, gamma, batchMean, batchVariance, diffSrc, diffGamma, diffBeta};
        for (int i = 0; i < names.length; i++) notNull(op, names[i], tensors[i]);
        String shapes = describeAll(names, tensors) + ", workspace=" + describe(workspace);
        Shape c = channels(op, src, shapes);
        checkShape(op, "diffDst", diffDst, src.shape(), shapes);
        checkShape(op, "gamma", gamma, c, shapes);
        checkShape(op, "batchMean", batchMean, c, shapes);
        checkShape(op, "batchVariance", batchVariance, c, shapes);
        checkShape(op, "diffSrc", diffSrc, src.shape(), shapes);
        checkShape(op, "diffGamma", diffGamma, c, shapes);
        checkShape(op, "diffBeta", diffBeta, c, shapes);
        epsilon(op, epsilon, shapes);
        reluWorkspace(op, fuseRelu, workspace, shapes);
        Tensor[] inputs = {src, diffDst, gamma, batchMean, batchVariance, workspace};
        noOverlap(op, "diffSrc", diffSrc, shapes, inputs);
        noOverlap(op, "diffGamma", diffGamma, shapes, inputs);
        noOverlap(op, "diffBeta", diffBeta, shapes, inputs);
        noOverlap(op, "diffSrc", diffSrc, shapes, diffGamma, diffBeta);
        noOverlap(op, "diffGamma", diffGamma, shapes, diffBeta);
    }

    /** src must be float32 of rank 2 or more; returns {@code [C]}. */
    private static Shape channels(String op, Tensor src, String shapes) {
        plainFloat(op, src, shapes);
        if (src.shape().rank() < 2) {
            throw new IllegalArgumentException(op + ": src must have a batch axis and a channel (last) axis; got "
                    + shapes);
        }
        return Shape.of(src.shape().dim(-1));
    }

    private static void epsilon(String op, float epsilon, String shapes) {
        if (!(epsilon > 0) || !Float.isFinite(epsilon)) {
            throw new IllegalArgumentException(op + ": epsilon must be positive and finite. Received: epsilon="
                    + epsilon + "; " + shapes);
        }
    }

    private static void reluWorkspace(String op, boolean fuseRelu, Tensor workspace, String shapes) {
        if (fuseRelu && workspace == null) {
            throw new IllegalArgumentException(op + ": a fused ReLU needs the workspace from batchNormWorkspace; got "
                    + shapes);
        }
        if (!fuseRelu && workspace != null) {
            throw new IllegalArgumentException(op + ": a workspace was given but fuseRelu is false; got " + shapes);
        }
        if (workspace != null) workspace.segment(); // throws IllegalStateException if its scope is closed
    }

    // ---- helpers --------------------------------------------------------------------------

    private static void checkShape(String op, String name, Tensor t, Shape expected, String shapes) {
        plainFloat(op, t, shapes);
        if (!t.shape().equals(expected)) {
            throw new IllegalArgumentException(op + ": " + name + " must be " + expected + "; got " + shapes);
        }
    }

    /** As checkShape, for activations, whose message says they are NHWC. */
    private static void checkNhwc(String op, String name, Tensor t, Shape expected, String shapes) {
        plainFloat(op, t, shapes);
        if (!t.shape().equals(expected)) {
            throw new IllegalArgumentException(op + ": " + name + " must be NHWC " + expected + "; got " + shapes);
        }
    }

    private static void checkOptional(String op, String name, Tensor t, Shape expected, String shapes) {
        if (t != null) checkShape(op, name, t, expected, shapes);
    }

    /** Outputs must not share memory with the tensors they are computed from. */
    private static void noOverlap(String op, String name, Tensor out, String shapes, Tensor... others) {
        if (out == null) return;
        for (Tensor other : others) {
            if (other != null && out.segment().asOverlappingSlice(other.segment()).isPresent()) {
                throw new IllegalArgumentException(op + ": " + name + " overlaps an input " + other.describeShape()
                        + "; got " + shapes);
            }
        }
    }

    private static String describe(Tensor t) {
        return t == null ? "none" : t.describeShape();
    }

    private static String describeAll(String[] names, Tensor[] tensors) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < names.length; i++) {
            if (i > 0) b.append(", ");
            b.append(names[i]).append('=').append(describe(tensors[i]));
        }
        return b.toString();
    }

    private static void plainFloat(String op, Tensor t, String shapes) {
        if (t.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException(op + ": operands must be float32; got " + shapes);
        }
        if (!t.layout().isRowMajor()) {
            throw new IllegalArgumentException(op + ": operand " + t.describeShape() + " is in backend layout '"
                    + t.layout() + "', expected row-major; got " + shapes);
        }
        t.segment(); // throws IllegalStateException if its scope is closed
    }

    private static void notNull(String op, String name, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(op + ": " + name + " is null");
        }
    }
}
