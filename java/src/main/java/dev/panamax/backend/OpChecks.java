package dev.panamax.backend;

import dev.panamax.tensor.DType;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;

/**
 * Argument checks shared by every backend, so both reject the same inputs with the same
 * message (naming the op and every shape involved) before any work or native call. What only
 * one backend cares about (the layout and dtype of its workspaces, packed weights) is checked
 * by that backend; here, only whether a workspace is present.
 *
 * <p>A call that passes allocates nothing on the Java heap: each check's helpers return the
 * reason a problem fails (null when it does not), shapes are compared dimension by dimension,
 * and the text naming every operand is built only in the throw.
 */
public final class OpChecks {
    private OpChecks() {
    }

    // ---- matrix products ------------------------------------------------------------------

    /** Checks matmul operands: {@code op(a)} is {@code [m, k]}, {@code op(b)} {@code [k, n]}, dst {@code [m, n]}. */
    public static void matmul(Tensor a, boolean transposeA, Tensor b, boolean transposeB, Tensor dst) {
        product("matmul", a, transposeA, b, transposeB, dst);
    }

    /** Checks gemm operands (dst, also read when beta is not 0, must not overlap a or b). */
    public static void gemm(Tensor a, boolean transposeA, Tensor b, boolean transposeB, Tensor dst) {
        product("gemm", a, transposeA, b, transposeB, dst);
    }

    private static void product(String op, Tensor a, boolean transposeA, Tensor b, boolean transposeB, Tensor dst) {
        notNull(op, "a", a);
        notNull(op, "b", b);
        notNull(op, "dst", dst);
        String bad = productProblem(a, transposeA, b, transposeB, dst);
        if (bad != null) {
            throw fail(op, bad, "a=" + a.describeShape() + (transposeA ? "ᵀ" : "") + ", b=" + b.describeShape()
                    + (transposeB ? "ᵀ" : "") + ", dst=" + dst.describeShape());
        }
    }

    private static String productProblem(Tensor a, boolean transposeA, Tensor b, boolean transposeB, Tensor dst) {
        String bad;
        if ((bad = plainFloat(a)) != null || (bad = plainFloat(b)) != null || (bad = plainFloat(dst)) != null) {
            return bad;
        }
        if (a.shape().rank() != 2 || b.shape().rank() != 2 || dst.shape().rank() != 2) {
            return "operands must be 2-D matrices";
        }
        long m = transposeA ? a.shape().dim(1) : a.shape().dim(0);
        long k = transposeA ? a.shape().dim(0) : a.shape().dim(1);
        long kb = transposeB ? b.shape().dim(1) : b.shape().dim(0);
        long n = transposeB ? b.shape().dim(0) : b.shape().dim(1);
        if (k != kb) return "inner dimensions differ (" + k + " vs " + kb + ")";
        if (!hasDims(dst, m, n)) return "dst must be [" + m + ", " + n + "]";
        return noOverlap("dst", dst, a, b, null);
    }

    /** Checks batched matmul operands: a {@code [B, m, k]} (or transposed), b {@code [B, k, n]}, dst {@code [B, m, n]}. */
    public static void batchedMatmul(Tensor a, boolean transposeA, Tensor b, boolean transposeB, Tensor dst) {
        String op = "batched_matmul";
        notNull(op, "a", a);
        notNull(op, "b", b);
        notNull(op, "dst", dst);
        String bad = batchedProblem(a, transposeA, b, transposeB, dst);
        if (bad != null) {
            throw fail(op, bad, "a=" + a.describeShape() + (transposeA ? " (transposed)" : "") + ", b="
                    + b.describeShape() + (transposeB ? " (transposed)" : "") + ", dst=" + dst.describeShape());
        }
    }

    private static String batchedProblem(Tensor a, boolean transposeA, Tensor b, boolean transposeB, Tensor dst) {
        String bad;
        if ((bad = plainFloat(a)) != null || (bad = plainFloat(b)) != null || (bad = plainFloat(dst)) != null) {
            return bad;
        }
        if (a.shape().rank() != 3 || b.shape().rank() != 3 || dst.shape().rank() != 3) {
            return "operands must be 3-D [batch, rows, columns]";
        }
        long batch = a.shape().dim(0);
        if (b.shape().dim(0) != batch || dst.shape().dim(0) != batch) return "batch sizes differ";
        long m = transposeA ? a.shape().dim(2) : a.shape().dim(1);
        long k = transposeA ? a.shape().dim(1) : a.shape().dim(2);
        long kb = transposeB ? b.shape().dim(2) : b.shape().dim(1);
        long n = transposeB ? b.shape().dim(1) : b.shape().dim(2);
        if (k != kb) return "inner dimensions differ (" + k + " vs " + kb + ")";
        if (dst.shape().dim(1) != m || dst.shape().dim(2) != n) {
            return "dst must be [" + batch + ", " + m + ", " + n + "]";
        }
        return noOverlap("dst", dst, a, b, null);
    }

    // ---- dense ----------------------------------------------------------------------------

    /** Checks x {@code [n, in]}, kernel {@code [in, out]}, bias {@code [out]} or null, dst {@code [n, out]}. */
    public static void denseForward(Tensor x, Tensor kernel, Tensor bias, PostOps postOps, Tensor dst) {
        String op = "dense";
        notNull(op, "x", x);
        notNull(op, "kernel", kernel);
        notNull(op, "postOps", postOps);
        notNull(op, "dst", dst);
        String bad = denseForwardProblem(x, kernel, bias, postOps, dst);
        if (bad != null) {
            throw fail(op, bad, "x=" + x.describeShape() + ", kernel=" + kernel.describeShape() + ", bias="
                    + describe(bias) + ", dst=" + dst.describeShape());
        }
    }

    private static String denseForwardProblem(Tensor x, Tensor kernel, Tensor bias, PostOps postOps, Tensor dst) {
        String bad;
        if ((bad = denseShapes(x, kernel)) != null) return bad;
        long n = x.shape().dim(0);
        long out = kernel.shape().dim(1);
        if (bias != null && (bad = vector("bias", bias, out)) != null) return bad;
        if ((bad = matrix("dst", dst, n, out)) != null) return bad;
        if (postOps.sum()) return "post-ops may hold an activation but no sum; got postOps=" + postOps;
        return noOverlap("dst", dst, x, kernel, bias);
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
        String bad = denseBackwardProblem(x, kernel, diffDst, diffX, diffKernel, diffBias);
        if (bad != null) {
            throw fail(op, bad, "x=" + x.describeShape() + ", kernel=" + kernel.describeShape() + ", diffDst="
                    + diffDst.describeShape() + ", diffX=" + describe(diffX) + ", diffKernel="
                    + diffKernel.describeShape() + ", diffBias=" + describe(diffBias));
        }
    }

    private static String denseBackwardProblem(Tensor x, Tensor kernel, Tensor diffDst, Tensor diffX,
                                               Tensor diffKernel, Tensor diffBias) {
        String bad;
        if ((bad = denseShapes(x, kernel)) != null) return bad;
        long n = x.shape().dim(0);
        long in = x.shape().dim(1);
        long out = kernel.shape().dim(1);
        if ((bad = matrix("diffDst", diffDst, n, out)) != null
                || diffX != null && (bad = matrix("diffX", diffX, n, in)) != null
                || (bad = matrix("diffKernel", diffKernel, in, out)) != null
                || diffBias != null && (bad = vector("diffBias", diffBias, out)) != null) {
            return bad;
        }
        if ((bad = noOverlap("diffX", diffX, x, kernel, diffDst)) != null
                || (bad = noOverlap("diffKernel", diffKernel, x, kernel, diffDst)) != null
                || (bad = noOverlap("diffBias", diffBias, x, kernel, diffDst)) != null
                || (bad = noOverlap("diffKernel", diffKernel, diffX, diffBias, null)) != null) {
            return bad;
        }
        return noOverlap("diffX", diffX, diffBias, null, null);
    }

    /** x {@code [n, in]} and kernel {@code [in, out]}. */
    private static String denseShapes(Tensor x, Tensor kernel) {
        String bad;
        if ((bad = plainFloat(x)) != null || (bad = plainFloat(kernel)) != null) return bad;
        if (x.shape().rank() != 2 || kernel.shape().rank() != 2) return "x must be [batch, in] and kernel [in, out]";
        if (x.shape().dim(1) != kernel.shape().dim(0)) {
            return "x has " + x.shape().dim(1) + " features but the kernel expects " + kernel.shape().dim(0);
        }
        return null;
    }

    // ---- convolution ----------------------------------------------------------------------

    /** Checks plain HWIO weights for {@code spec}. */
    public static void conv2dWeights(Conv2dSpec spec, Tensor weights) {
        String op = "conv2d";
        notNull(op, "spec", spec);
        notNull(op, "weights", weights);
        String bad = plainFloat(weights);
        if (bad == null) bad = convWeights("weights", spec, weights);
        if (bad != null) throw fail(op, bad, "weights=" + weights.describeShape() + " for " + spec);
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
        String bad = convForwardProblem(spec, src, weights, bias, dst);
        if (bad != null) {
            throw fail(op, bad, "src=" + src.describeShape() + ", weights=" + weights.describeShape() + ", bias="
                    + describe(bias) + ", dst=" + dst.describeShape() + " for " + spec);
        }
    }

    private static String convForwardProblem(Conv2dSpec spec, Tensor src, Tensor weights, Tensor bias, Tensor dst) {
        String bad;
        if ((bad = convSrc("src", spec, src)) != null || (bad = convDst("dst", spec, dst)) != null) return bad;
        if (weights.dtype() != DType.FLOAT32) return "weights must be float32";
        weights.segment(); // throws IllegalStateException if its scope is closed
        if ((bad = convWeights("weights", spec, weights)) != null || (bad = convBias(spec, bias)) != null) return bad;
        return noOverlap("dst", dst, src, weights, bias);
    }

    /** Checks the input gradient: diffDst is dst-shaped, weights plain HWIO, diffSrc src-shaped. */
    public static void conv2dBackwardData(Conv2dSpec spec, Tensor diffDst, Tensor weights, Tensor diffSrc) {
        String op = "conv2d_backward_data";
        notNull(op, "spec", spec);
        notNull(op, "diffDst", diffDst);
        notNull(op, "weights", weights);
        notNull(op, "diffSrc", diffSrc);
        String bad = convDst("diffDst", spec, diffDst);
        if (bad == null) bad = plainFloat(weights);
        if (bad == null) bad = convWeights("weights", spec, weights);
        if (bad == null) bad = convSrc("diffSrc", spec, diffSrc);
        if (bad == null) bad = noOverlap("diffSrc", diffSrc, diffDst, weights, null);
        if (bad != null) {
            throw fail(op, bad, "diffDst=" + diffDst.describeShape() + ", weights=" + weights.describeShape()
                    + ", diffSrc=" + diffSrc.describeShape() + " for " + spec);
        }
    }

    /** Checks the weight gradient (plain HWIO) and the bias gradient (null when the spec has no bias). */
    public static void conv2dBackwardWeights(Conv2dSpec spec, Tensor src, Tensor diffDst, Tensor diffWeights,
                                             Tensor diffBias) {
        String op = "conv2d_backward_weights";
        notNull(op, "spec", spec);
        notNull(op, "src", src);
        notNull(op, "diffDst", diffDst);
        notNull(op, "diffWeights", diffWeights);
        String bad = convBackwardWeightsProblem(spec, src, diffDst, diffWeights, diffBias);
        if (bad != null) {
            throw fail(op, bad, "src=" + src.describeShape() + ", diffDst=" + diffDst.describeShape()
                    + ", diffWeights=" + diffWeights.describeShape() + ", diffBias=" + describe(diffBias) + " for "
                    + spec);
        }
    }

    private static String convBackwardWeightsProblem(Conv2dSpec spec, Tensor src, Tensor diffDst, Tensor diffWeights,
                                                     Tensor diffBias) {
        String bad;
        if ((bad = convSrc("src", spec, src)) != null || (bad = convDst("diffDst", spec, diffDst)) != null
                || (bad = plainFloat(diffWeights)) != null || (bad = convWeights("diffWeights", spec, diffWeights)) != null) {
            return bad;
        }
        if (diffBias != null && !spec.hasBias()) return "a bias gradient was given but the spec has no bias";
        if (diffBias != null && (bad = vector("diffBias", diffBias, spec.outChannels())) != null) return bad;
        if ((bad = noOverlap("diffWeights", diffWeights, src, diffDst, diffBias)) != null) return bad;
        return noOverlap("diffBias", diffBias, src, diffDst, null);
    }

    /** Null when t is plain float32 of dims [n, h, w, c]; else what is wrong (the text built only then). */
    private static String nhwc(String name, Tensor t, long n, long h, long w, long c) {
        String bad = plainFloat(t);
        if (bad != null) return bad;
        return hasDims(t, n, h, w, c) ? null : name + " must be NHWC " + Shape.of(n, h, w, c);
    }

    private static String convSrc(String name, Conv2dSpec spec, Tensor t) {
        return nhwc(name, t, spec.batch(), spec.inHeight(), spec.inWidth(), spec.inChannels());
    }

    private static String convDst(String name, Conv2dSpec spec, Tensor t) {
        return nhwc(name, t, spec.batch(), spec.outHeight(), spec.outWidth(), spec.outChannels());
    }

    /** The logical HWIO shape, which packed weights keep too. */
    private static String convWeights(String name, Conv2dSpec spec, Tensor weights) {
        if (!hasDims(weights, spec.kernelHeight(), spec.kernelWidth(), spec.inChannels() / spec.groups(),
                spec.outChannels())) {
            return name + " must be HWIO " + spec.weightsShape();
        }
        return null;
    }

    private static String convBias(Conv2dSpec spec, Tensor bias) {
        if (spec.hasBias()) {
            return bias == null ? "the spec has a bias but none was given" : vector("bias", bias, spec.outChannels());
        }
        return bias == null ? null : "a bias was given but the spec has none";
    }

    // ---- pooling --------------------------------------------------------------------------

    /** Checks pooling forward; a workspace is optional for max pooling (inference) and absent for average. */
    public static void pool2dForward(Pool2dSpec spec, Tensor src, Tensor dst, Tensor workspace) {
        String op = "pool2d";
        notNull(op, "spec", spec);
        notNull(op, "src", src);
        notNull(op, "dst", dst);
        String bad = poolSrc("src", spec, src);
        if (bad == null) bad = poolDst("dst", spec, dst);
        if (bad == null) bad = poolWorkspace(spec, workspace, false);
        if (bad == null) bad = noOverlap("dst", dst, src, workspace, null);
        if (bad == null) bad = noOverlap("workspace", workspace, src, null, null);
        if (bad != null) {
            throw fail(op, bad, "src=" + src.describeShape() + ", dst=" + dst.describeShape() + ", workspace="
                    + describe(workspace) + " for " + spec);
        }
    }

    /** Checks pooling backward; max pooling needs the workspace its forward pass filled. */
    public static void pool2dBackward(Pool2dSpec spec, Tensor diffDst, Tensor workspace, Tensor diffSrc) {
        String op = "pool2d_backward";
        notNull(op, "spec", spec);
        notNull(op, "diffDst", diffDst);
        notNull(op, "diffSrc", diffSrc);
        String bad = poolDst("diffDst", spec, diffDst);
        if (bad == null) bad = poolSrc("diffSrc", spec, diffSrc);
        if (bad == null) bad = poolWorkspace(spec, workspace, true);
        if (bad == null) bad = noOverlap("diffSrc", diffSrc, diffDst, workspace, null);
        if (bad != null) {
            throw fail(op, bad, "diffDst=" + diffDst.describeShape() + ", workspace=" + describe(workspace)
                    + ", diffSrc=" + diffSrc.describeShape() + " for " + spec);
        }
    }

    private static String poolSrc(String name, Pool2dSpec spec, Tensor t) {
        return nhwc(name, t, spec.batch(), spec.inHeight(), spec.inWidth(), spec.channels());
    }

    private static String poolDst(String name, Pool2dSpec spec, Tensor t) {
        return nhwc(name, t, spec.batch(), spec.outHeight(), spec.outWidth(), spec.channels());
    }

    private static String poolWorkspace(Pool2dSpec spec, Tensor workspace, boolean required) {
        if (spec.kind() != Pool2dSpec.Kind.MAX) {
            return workspace == null ? null : "average pooling keeps no workspace, but one was given";
        }
        if (workspace == null) {
            return required ? "max pooling needs the workspace its forward pass filled (from pool2dWorkspace)" : null;
        }
        workspace.segment(); // throws IllegalStateException if its scope is closed
        return null;
    }

    // ---- batch norm -----------------------------------------------------------------------

    /** Checks batch norm training: params and statistics {@code [C]} (C = src's last axis), dst src-shaped. */
    public static void batchNormForwardTraining(Tensor src, Tensor gamma, Tensor beta, float epsilon, float momentum,
                                                Tensor movingMean, Tensor movingVariance, boolean fuseRelu, Tensor dst,
                                                Tensor batchMean, Tensor batchVariance, Tensor workspace) {
        String op = "batch_norm";
        notNull(op, "src", src);
        notNull(op, "gamma", gamma);
        notNull(op, "beta", beta);
        notNull(op, "movingMean", movingMean);
        notNull(op, "movingVariance", movingVariance);
        notNull(op, "dst", dst);
        notNull(op, "batchMean", batchMean);
        notNull(op, "batchVariance", batchVariance);
        String bad = batchNormTrainingProblem(src, gamma, beta, epsilon, momentum, movingMean, movingVariance,
                fuseRelu, dst, batchMean, batchVariance, workspace);
        if (bad != null) {
            throw fail(op, bad, "src=" + src.describeShape() + ", gamma=" + gamma.describeShape() + ", beta="
                    + beta.describeShape() + ", movingMean=" + movingMean.describeShape() + ", movingVariance="
                    + movingVariance.describeShape() + ", dst=" + dst.describeShape() + ", batchMean="
                    + batchMean.describeShape() + ", batchVariance=" + batchVariance.describeShape() + ", workspace="
                    + describe(workspace));
        }
    }

    private static String batchNormTrainingProblem(Tensor src, Tensor gamma, Tensor beta, float epsilon,
                                                   float momentum, Tensor movingMean, Tensor movingVariance,
                                                   boolean fuseRelu, Tensor dst, Tensor batchMean,
                                                   Tensor batchVariance, Tensor workspace) {
        String bad;
        if ((bad = channels(src)) != null) return bad;
        long c = src.shape().dim(-1);
        if ((bad = vector("gamma", gamma, c)) != null || (bad = vector("beta", beta, c)) != null
                || (bad = vector("movingMean", movingMean, c)) != null
                || (bad = vector("movingVariance", movingVariance, c)) != null
                || (bad = sameShape("dst", dst, src)) != null || (bad = vector("batchMean", batchMean, c)) != null
                || (bad = vector("batchVariance", batchVariance, c)) != null || (bad = epsilon(epsilon)) != null) {
            return bad;
        }
        if (!(momentum >= 0 && momentum <= 1)) return "momentum must be in [0, 1]. Received: momentum=" + momentum;
        if ((bad = reluWorkspace(fuseRelu, workspace)) != null
                || (bad = noOverlap("movingMean", movingMean, src, gamma, beta)) != null
                || (bad = noOverlap("movingVariance", movingVariance, src, gamma, beta)) != null
                || (bad = noOverlap("dst", dst, src, gamma, beta)) != null
                || (bad = noOverlap("batchMean", batchMean, src, gamma, beta)) != null
                || (bad = noOverlap("batchVariance", batchVariance, src, gamma, beta)) != null
                || (bad = noOverlap("workspace", workspace, src, gamma, beta)) != null
                || (bad = noOverlap("dst", dst, movingMean, movingVariance, batchMean)) != null
                || (bad = noOverlap("dst", dst, batchVariance, workspace, null)) != null
                || (bad = noOverlap("batchMean", batchMean, movingMean, movingVariance, batchVariance)) != null
                || (bad = noOverlap("batchVariance", batchVariance, movingMean, movingVariance, null)) != null) {
            return bad;
        }
        return noOverlap("movingMean", movingMean, movingVariance, null, null);
    }

    /** Checks batch norm inference: params and statistics {@code [C]}, dst src-shaped. */
    public static void batchNormForwardInference(Tensor src, Tensor gamma, Tensor beta, Tensor mean, Tensor variance,
                                                 float epsilon, boolean fuseRelu, Tensor dst) {
        String op = "batch_norm_inference";
        notNull(op, "src", src);
        notNull(op, "gamma", gamma);
        notNull(op, "beta", beta);
        notNull(op, "mean", mean);
        notNull(op, "variance", variance);
        notNull(op, "dst", dst);
        String bad = channels(src);
        if (bad == null) {
            long c = src.shape().dim(-1);
            if ((bad = vector("gamma", gamma, c)) == null && (bad = vector("beta", beta, c)) == null
                    && (bad = vector("mean", mean, c)) == null && (bad = vector("variance", variance, c)) == null
                    && (bad = sameShape("dst", dst, src)) == null && (bad = epsilon(epsilon)) == null
                    && (bad = noOverlap("dst", dst, src, gamma, beta)) == null) {
                bad = noOverlap("dst", dst, mean, variance, null);
            }
        }
        if (bad != null) {
            throw fail(op, bad, "src=" + src.describeShape() + ", gamma=" + gamma.describeShape() + ", beta="
                    + beta.describeShape() + ", mean=" + mean.describeShape() + ", variance="
                    + variance.describeShape() + ", dst=" + dst.describeShape() + ", fuseRelu=" + fuseRelu);
        }
    }

    /** Checks batch norm backward: diffGamma and diffBeta {@code [C]} are required, the workspace iff fuseRelu. */
    public static void batchNormBackward(Tensor src, Tensor diffDst, Tensor gamma, Tensor batchMean,
                                         Tensor batchVariance, float epsilon, boolean fuseRelu, Tensor workspace,
                                         Tensor diffSrc, Tensor diffGamma, Tensor diffBeta) {
        String op = "batch_norm_backward";
        notNull(op, "src", src);
        notNull(op, "diffDst", diffDst);
        notNull(op, "gamma", gamma);
        notNull(op, "batchMean", batchMean);
        notNull(op, "batchVariance", batchVariance);
        notNull(op, "diffSrc", diffSrc);
        notNull(op, "diffGamma", diffGamma);
        notNull(op, "diffBeta", diffBeta);
        String bad = batchNormBackwardProblem(src, diffDst, gamma, batchMean, batchVariance, epsilon, fuseRelu,
                workspace, diffSrc, diffGamma, diffBeta);
        if (bad != null) {
            throw fail(op, bad, "src=" + src.describeShape() + ", diffDst=" + diffDst.describeShape() + ", gamma="
                    + gamma.describeShape() + ", batchMean=" + batchMean.describeShape() + ", batchVariance="
                    + batchVariance.describeShape() + ", diffSrc=" + diffSrc.describeShape() + ", diffGamma="
                    + diffGamma.describeShape() + ", diffBeta=" + diffBeta.describeShape() + ", workspace="
                    + describe(workspace));
        }
    }

    private static String batchNormBackwardProblem(Tensor src, Tensor diffDst, Tensor gamma, Tensor batchMean,
                                                   Tensor batchVariance, float epsilon, boolean fuseRelu,
                                                   Tensor workspace, Tensor diffSrc, Tensor diffGamma,
                                                   Tensor diffBeta) {
        String bad;
        if ((bad = channels(src)) != null) return bad;
        long c = src.shape().dim(-1);
        if ((bad = sameShape("diffDst", diffDst, src)) != null || (bad = vector("gamma", gamma, c)) != null
                || (bad = vector("batchMean", batchMean, c)) != null
                || (bad = vector("batchVariance", batchVariance, c)) != null
                || (bad = sameShape("diffSrc", diffSrc, src)) != null || (bad = vector("diffGamma", diffGamma, c)) != null
                || (bad = vector("diffBeta", diffBeta, c)) != null || (bad = epsilon(epsilon)) != null
                || (bad = reluWorkspace(fuseRelu, workspace)) != null) {
            return bad;
        }
        if ((bad = noOverlap("diffSrc", diffSrc, src, diffDst, gamma)) != null
                || (bad = noOverlap("diffSrc", diffSrc, batchMean, batchVariance, workspace)) != null
                || (bad = noOverlap("diffGamma", diffGamma, src, diffDst, gamma)) != null
                || (bad = noOverlap("diffGamma", diffGamma, batchMean, batchVariance, workspace)) != null
                || (bad = noOverlap("diffBeta", diffBeta, src, diffDst, gamma)) != null
                || (bad = noOverlap("diffBeta", diffBeta, batchMean, batchVariance, workspace)) != null
                || (bad = noOverlap("diffSrc", diffSrc, diffGamma, diffBeta, null)) != null) {
            return bad;
        }
        return noOverlap("diffGamma", diffGamma, diffBeta, null, null);
    }

    /** src must be float32 of rank 2 or more (its last axis holds the channels). */
    private static String channels(Tensor src) {
        String bad = plainFloat(src);
        if (bad != null) return bad;
        return src.shape().rank() < 2 ? "src must have a batch axis and a channel (last) axis" : null;
    }

    private static String epsilon(float epsilon) {
        if (!(epsilon > 0) || !Float.isFinite(epsilon)) {
            return "epsilon must be positive and finite. Received: epsilon=" + epsilon;
        }
        return null;
    }

    private static String reluWorkspace(boolean fuseRelu, Tensor workspace) {
        if (fuseRelu && workspace == null) return "a fused ReLU needs the workspace from batchNormWorkspace";
        if (!fuseRelu && workspace != null) return "a workspace was given but fuseRelu is false";
        if (workspace != null) workspace.segment(); // throws IllegalStateException if its scope is closed
        return null;
    }

    // ---- helpers --------------------------------------------------------------------------

    private static boolean hasDims(Tensor t, long d0, long d1) {
        Shape s = t.shape();
        return s.rank() == 2 && s.dim(0) == d0 && s.dim(1) == d1;
    }

    private static boolean hasDims(Tensor t, long d0, long d1, long d2, long d3) {
        Shape s = t.shape();
        return s.rank() == 4 && s.dim(0) == d0 && s.dim(1) == d1 && s.dim(2) == d2 && s.dim(3) == d3;
    }

    /** A float32 row-major vector {@code [d0]}. */
    private static String vector(String name, Tensor t, long d0) {
        String bad = plainFloat(t);
        if (bad != null) return bad;
        Shape s = t.shape();
        return s.rank() == 1 && s.dim(0) == d0 ? null : name + " must be [" + d0 + "]";
    }

    /** A float32 row-major matrix {@code [d0, d1]}. */
    private static String matrix(String name, Tensor t, long d0, long d1) {
        String bad = plainFloat(t);
        if (bad != null) return bad;
        return hasDims(t, d0, d1) ? null : name + " must be [" + d0 + ", " + d1 + "]";
    }

    /** A float32 row-major tensor of {@code like}'s shape. */
    private static String sameShape(String name, Tensor t, Tensor like) {
        String bad = plainFloat(t);
        if (bad != null) return bad;
        return t.shape().equals(like.shape()) ? null : name + " must be " + like.shape();
    }

    /** An output must not share memory with the tensors it is computed from (null tensors are skipped). */
    private static String noOverlap(String name, Tensor out, Tensor o1, Tensor o2, Tensor o3) {
        if (out == null) return null;
        Tensor hit = overlaps(out, o1) ? o1 : overlaps(out, o2) ? o2 : overlaps(out, o3) ? o3 : null;
        return hit == null ? null : name + " overlaps an input " + hit.describeShape();
    }

    private static boolean overlaps(Tensor out, Tensor other) {
        return other != null && Overlap.overlaps(out.segment(), other.segment());
    }

    private static String plainFloat(Tensor t) {
        if (t.dtype() != DType.FLOAT32) return "operands must be float32";
        if (!t.layout().isRowMajor()) {
            return "operand " + t.describeShape() + " is in backend layout '" + t.layout() + "', expected row-major";
        }
        t.segment(); // throws IllegalStateException if its scope is closed
        return null;
    }

    private static String describe(Tensor t) {
        return t == null ? "none" : t.describeShape();
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
