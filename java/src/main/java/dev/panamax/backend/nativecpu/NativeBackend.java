package dev.panamax.backend.nativecpu;

import dev.panamax.ComputeThreads;
import dev.panamax.backend.Activation;
import dev.panamax.backend.Backend;
import dev.panamax.backend.BinaryOp;
import dev.panamax.backend.Conv2dSpec;
import dev.panamax.backend.ElementwiseOpChecks;
import dev.panamax.backend.GatherOpChecks;
import dev.panamax.backend.OpChecks;
import dev.panamax.backend.Pool2dSpec;
import dev.panamax.backend.PostOps;
import dev.panamax.backend.ReduceOp;
import dev.panamax.tensor.DType;
import dev.panamax.tensor.Layout;
import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code native} backend: oneDNN primitives for convolutions, pooling and batch norm,
 * oneDNN or OpenBLAS for matrix products ({@link GemmEngine}), and the shim's own vectorized
 * loops for the rest. Primitives are created once per (problem, thread count) and kept until
 * {@link #close()}; get the backend with {@code Backends.get("native")}. {@link #stats()} counts
 * primitive creations and reorders, so tests can check that steady state does neither.
 *
 * <p>Thread safety: every op may be called from several threads at once, on the same cached
 * primitives. A primitive keeps no per-call state: the calling thread owns the scratchpad and
 * its own oneDNN stream, and each call gets its own working memory. {@link #close()} must not
 * run while an op is in flight on another thread.
 *
 * <p>A steady-state op call allocates nothing on the Java heap; short element-wise calls (those
 * the shim runs on the calling thread) use critical downcalls.
 */
public final class NativeBackend implements Backend {
    public static final String NAME = "native";
    private static final System.Logger LOG = System.getLogger(NativeBackend.class.getName());

    private record ConvKey(Conv2dSpec spec, PostOps postOps, int threads) {
    }

    private record PoolKey(Pool2dSpec spec, int threads) {
    }

    private record NormKey(long rows, long channels, float epsilon, boolean fuseRelu, int threads) {
    }

    private final Map<ConvKey, NativeConv2d> convs = new ConcurrentHashMap<>();
    private final Map<PoolKey, NativePool2d> pools = new ConcurrentHashMap<>();
    private final Map<NormKey, NativeBatchNorm> norms = new ConcurrentHashMap<>();
    /** The primitives last used per spec object: replayed steps find theirs without building a key. */
    private final IdentityFrontCache<NativeConv2d> recentConvs = new IdentityFrontCache<>();
    private final IdentityFrontCache<NativePool2d> recentPools = new IdentityFrontCache<>();
    private final IdentityFrontCache<NativeBatchNorm> recentNorms = new IdentityFrontCache<>();
    private volatile int appliedThreads;

    NativeBackend() {
        applyThreads();
        RuntimeInfo info = Shim.runtimeInfo();
        OpenBlasCoreCheck.warning(System.getenv("OPENBLAS_CORETYPE"), info.blasCore(), info.cpuIsa())
                .ifPresent(w -> LOG.log(System.Logger.Level.WARNING, w));
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Versions, CPU dispatch and thread settings of the native runtime. */
    public RuntimeInfo runtimeInfo() {
        applyThreads();
        return Shim.runtimeInfo();
    }

    /** Counters of primitive creations and reorders since the libraries loaded (for every backend of the process). */
    public NativeStats stats() {
        return Shim.stats();
    }

    /** oneDNN primitives created since the libraries loaded (compute and reorder primitives). */
    public long primitiveCreations() {
        return stats().primitiveCreations();
    }

    /** Reorders (layout conversions of weights or activations) executed since the libraries loaded. */
    public long reorders() {
        return stats().reorders();
    }

    /** The library that runs matrix products now. */
    public GemmEngine gemmEngine() {
        return Shim.gemmEngineGet();
    }

    /**
     * Chooses the library that runs matrix products from now on, for the whole process (the
     * setting lives in the native library, like the thread count). {@link GemmEngine#AUTO} is
     * the default and the right choice outside benchmarks that compare the two.
     */
    public void gemmEngine(GemmEngine engine) {
        Objects.requireNonNull(engine, "engine");
        Shim.gemmEngineSet(engine);
    }

    /** Calls the shim's empty function: the cost of one downcall. */
    public void noop() {
        Shim.noop();
    }

    /** Calls the shim's empty function through a critical downcall, as short element-wise ops do. */
    public void noopCritical() {
        Shim.noopCritical();
    }

    /** The oneDNN implementation chosen for {@code spec}, e.g. {@code brg_conv_fwd:avx512_core}. */
    public String conv2dImplementation(Conv2dSpec spec) {
        return conv(spec, PostOps.NONE).implementationName();
    }

    // ---- matrix products ------------------------------------------------------------------

    @Override
    public void gemm(Tensor a, boolean transposeA, Tensor b, boolean transposeB, float alpha, float beta, Tensor dst) {
        OpChecks.gemm(a, transposeA, b, transposeB, dst);
        applyThreads();
        long k = transposeA ? a.shape().dim(0) : a.shape().dim(1);
        Shim.matmul(dst.segment(), a.segment(), b.segment(), dst.shape().dim(0), dst.shape().dim(1), k, transposeA,
                transposeB, alpha, beta);
    }

    @Override
    public void batchedMatmul(Tensor a, boolean transposeA, Tensor b, boolean transposeB, Tensor dst) {
        OpChecks.batchedMatmul(a, transposeA, b, transposeB, dst);
        applyThreads();
        long k = transposeA ? a.shape().dim(1) : a.shape().dim(2);
        Shim.batchedMatmul(dst.segment(), a.segment(), b.segment(), dst.shape().dim(0), dst.shape().dim(1),
                dst.shape().dim(2), k, transposeA, transposeB);
    }

    @Override
    public void denseForward(Tensor x, Tensor kernel, Tensor bias, PostOps postOps, Tensor dst) {
        OpChecks.denseForward(x, kernel, bias, postOps, dst);
        applyThreads();
        Shim.denseForward(dst.segment(), x.segment(), kernel.segment(), bias == null ? null : bias.segment(),
                x.shape().dim(0), x.shape().dim(1), kernel.shape().dim(1), postOps.activation().ordinal(),
                postOps.alpha());
    }

    @Override
    public void denseBackward(Tensor x, Tensor kernel, Tensor diffDst, Tensor diffX, Tensor diffKernel, Tensor diffBias) {
        OpChecks.denseBackward(x, kernel, diffDst, diffX, diffKernel, diffBias);
        applyThreads();
        long n = x.shape().dim(0), in = x.shape().dim(1), out = kernel.shape().dim(1);
        if (diffX != null) {
            Shim.matmul(diffX.segment(), diffDst.segment(), kernel.segment(), n, in, out, false, true, 1f, 0f);
        }
        Shim.matmul(diffKernel.segment(), x.segment(), diffDst.segment(), in, out, n, true, false, 1f, 0f);
        if (diffBias != null) {
            Shim.sumRows(diffBias.segment(), diffDst.segment(), n, out);
        }
    }

    // ---- convolution ----------------------------------------------------------------------

    @Override
    public Tensor conv2dPackWeights(Conv2dSpec spec, PostOps postOps, Tensor weights, MemoryScope scope) {
        OpChecks.conv2dWeights(spec, weights);
        NativeConv2d conv = conv(spec, postOps);
        Tensor packed = Tensor.packed(scope, DType.FLOAT32, spec.weightsShape(), conv.weightsLayout(), conv.packedBytes());
        Shim.conv2dPackWeights(packed.segment(), conv.handle(), weights.segment());
        return packed;
    }

    @Override
    public void conv2dForward(Conv2dSpec spec, PostOps postOps, Tensor src, Tensor weights, Tensor bias, Tensor dst) {
        OpChecks.conv2dForward(spec, postOps, src, weights, bias, dst);
        NativeConv2d conv = conv(spec, postOps);
        MemorySegment biasSeg = bias == null ? null : bias.segment();
        if (weights.layout().isRowMajor()) {
            // Plain weights: pack them on the fly (one reorder) into this thread's scratch for the
            // primitive; callers that run a spec repeatedly pack once with conv2dPackWeights instead.
            MemorySegment packed = conv.packingScratch();
            Shim.conv2dPackWeights(packed, conv.handle(), weights.segment());
            Shim.conv2dForward(dst.segment(), conv.handle(), src.segment(), packed, biasSeg);
            return;
        }
        requireLayout("conv2d", "weights", weights, conv.weightsLayout(), spec);
        Shim.conv2dForward(dst.segment(), conv.handle(), src.segment(), weights.segment(), biasSeg);
    }

    @Override
    public void conv2dBackwardData(Conv2dSpec spec, Tensor diffDst, Tensor weights, Tensor diffSrc) {
        OpChecks.conv2dBackwardData(spec, diffDst, weights, diffSrc);
        Shim.conv2dBackwardData(diffSrc.segment(), conv(spec, PostOps.NONE).handle(), diffDst.segment(), weights.segment());
    }

    @Override
    public void conv2dBackwardWeights(Conv2dSpec spec, Tensor src, Tensor diffDst, Tensor diffWeights, Tensor diffBias) {
        OpChecks.conv2dBackwardWeights(spec, src, diffDst, diffWeights, diffBias);
        NativeConv2d conv = conv(spec, PostOps.NONE);
        // The primitive computes a bias gradient anyway: without diffBias it goes to scratch.
        MemorySegment db = diffBias != null ? diffBias.segment() : spec.hasBias() ? conv.biasGradientScratch() : null;
        Shim.conv2dBackwardWeights(diffWeights.segment(), db, conv.handle(), src.segment(), diffDst.segment());
    }

    // ---- pooling --------------------------------------------------------------------------

    @Override
    public Tensor pool2dWorkspace(Pool2dSpec spec, MemoryScope scope) {
        if (spec.kind() != Pool2dSpec.Kind.MAX) return null;
        NativePool2d pool = pool(spec);
        return Tensor.packed(scope, DType.INT8, Shape.of(pool.workspaceBytes()), pool.workspaceLayout(),
                pool.workspaceBytes());
    }

    @Override
    public void pool2dForward(Pool2dSpec spec, Tensor src, Tensor dst, Tensor workspace) {
        OpChecks.pool2dForward(spec, src, dst, workspace);
        NativePool2d pool = pool(spec);
        if (workspace != null) requireLayout("pool2d", "workspace", workspace, pool.workspaceLayout(), spec);
        Shim.pool2dForward(dst.segment(), workspace == null ? null : workspace.segment(), pool.handle(), src.segment());
    }

    @Override
    public void pool2dBackward(Pool2dSpec spec, Tensor diffDst, Tensor workspace, Tensor diffSrc) {
        OpChecks.pool2dBackward(spec, diffDst, workspace, diffSrc);
        NativePool2d pool = pool(spec);
        if (workspace != null) requireLayout("pool2d", "workspace", workspace, pool.workspaceLayout(), spec);
        Shim.pool2dBackward(diffSrc.segment(), pool.handle(), diffDst.segment(),
                workspace == null ? null : workspace.segment());
    }

    // ---- normalization --------------------------------------------------------------------

    @Override
    public Tensor batchNormWorkspace(Shape srcShape, boolean fuseRelu, MemoryScope scope) {
        if (!fuseRelu) return null;
        long channels = srcShape.dim(-1);
        NativeBatchNorm bn = batchNorm(srcShape.size() / channels, channels, 1e-3f, true);
        return Tensor.packed(scope, DType.INT8, Shape.of(bn.workspaceBytes()), bn.workspaceLayout(), bn.workspaceBytes());
    }

    @Override
    public void batchNormForwardTraining(Tensor src, Tensor gamma, Tensor beta, float epsilon, float momentum,
                                         Tensor movingMean, Tensor movingVariance, boolean fuseRelu, Tensor dst,
                                         Tensor batchMean, Tensor batchVariance, Tensor workspace) {
        OpChecks.batchNormForwardTraining(src, gamma, beta, epsilon, momentum, movingMean, movingVariance, fuseRelu,
                dst, batchMean, batchVariance, workspace);
        long channels = src.shape().dim(-1);
        NativeBatchNorm bn = batchNorm(src, gamma, src.size() / channels, channels, epsilon, fuseRelu);
        if (fuseRelu) requireLayout("batch_norm", "workspace", workspace, bn.workspaceLayout(), src);
        Shim.batchNormForwardTraining(dst.segment(), batchMean.segment(), batchVariance.segment(),
                fuseRelu ? workspace.segment() : null, bn.handle(), src.segment(), gamma.segment(), beta.segment(),
                momentum, movingMean.segment(), movingVariance.segment());
    }

    @Override
    public void batchNormForwardInference(Tensor src, Tensor gamma, Tensor beta, Tensor mean, Tensor variance,
                                          float epsilon, boolean fuseRelu, Tensor dst) {
        OpChecks.batchNormForwardInference(src, gamma, beta, mean, variance, epsilon, fuseRelu, dst);
        long channels = src.shape().dim(-1);
        NativeBatchNorm bn = batchNorm(src, gamma, src.size() / channels, channels, epsilon, fuseRelu);
        Shim.batchNormForwardInference(dst.segment(), bn.handle(), src.segment(), gamma.segment(), beta.segment(),
                mean.segment(), variance.segment());
    }

    @Override
    public void batchNormBackward(Tensor src, Tensor diffDst, Tensor gamma, Tensor batchMean, Tensor batchVariance,
                                  float epsilon, boolean fuseRelu, Tensor workspace, Tensor diffSrc, Tensor diffGamma,
                                  Tensor diffBeta) {
        OpChecks.batchNormBackward(src, diffDst, gamma, batchMean, batchVariance, epsilon, fuseRelu, workspace, diffSrc,
                diffGamma, diffBeta);
        long channels = src.shape().dim(-1);
        NativeBatchNorm bn = batchNorm(src, gamma, src.size() / channels, channels, epsilon, fuseRelu);
        if (fuseRelu) requireLayout("batch_norm", "workspace", workspace, bn.workspaceLayout(), src);
        Shim.batchNormBackward(diffSrc.segment(), diffGamma.segment(), diffBeta.segment(), bn.handle(), src.segment(),
                diffDst.segment(), gamma.segment(), batchMean.segment(), batchVariance.segment(),
                fuseRelu ? workspace.segment() : null);
    }

    @Override
    public void layerNormForward(Tensor src, Tensor gamma, Tensor beta, float epsilon, Tensor dst, Tensor mean,
                                 Tensor variance) {
        ElementwiseOpChecks.layerNormForward(src, gamma, beta, epsilon, dst, mean, variance);
        applyThreads();
        long cols = src.shape().dim(-1);
        Shim.layerNormForward(dst.segment(), mean.segment(), variance.segment(), src.segment(), gamma.segment(),
                beta.segment(), src.size() / cols, cols, epsilon);
    }

    @Override
    public void layerNormBackward(Tensor src, Tensor diffDst, Tensor gamma, Tensor mean, Tensor variance, float epsilon,
                                  Tensor diffSrc, Tensor diffGamma, Tensor diffBeta) {
        ElementwiseOpChecks.layerNormBackward(src, diffDst, gamma, mean, variance, epsilon, diffSrc, diffGamma, diffBeta);
        applyThreads();
        long cols = src.shape().dim(-1);
        Shim.layerNormBackward(diffSrc.segment(), diffGamma.segment(), diffBeta.segment(), src.segment(),
                diffDst.segment(), gamma.segment(), mean.segment(), variance.segment(), src.size() / cols, cols, epsilon);
    }

    // ---- element-wise ---------------------------------------------------------------------

    @Override
    public void activationForward(Activation activation, float alpha, Tensor src, Tensor dst) {
        ElementwiseOpChecks.activationForward(activation, alpha, src, dst);
        applyThreads();
        Shim.activationForward(dst.segment(), src.segment(), activation.ordinal(), alpha);
    }

    @Override
    public void activationBackward(Activation activation, float alpha, Tensor src, Tensor diffDst, Tensor diffSrc) {
        ElementwiseOpChecks.activationBackward(activation, alpha, src, diffDst, diffSrc);
        applyThreads();
        Shim.activationBackward(diffSrc.segment(), src.segment(), diffDst.segment(), activation.ordinal(), alpha);
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor dst) {
        ElementwiseOpChecks.binary(op, a, b, dst);
        applyThreads();
        Shim.binary(dst.segment(), dst.shape(), a.segment(), a.shape(), b.segment(), b.shape(), op.ordinal());
    }

    @Override
    public void affine(Tensor src, float alpha, float beta, Tensor dst) {
        ElementwiseOpChecks.affine(src, alpha, beta, dst);
        applyThreads();
        Shim.affine(dst.segment(), src.segment(), alpha, beta);
    }

    @Override
    public void reduce(ReduceOp op, Tensor src, int[] axes, Tensor dst) {
        int[] normalized = ElementwiseOpChecks.reduce(op, src, axes, dst);
        applyThreads();
        Shim.reduce(dst.segment(), src.segment(), src.shape(), normalized, op);
    }

    // ---- softmax and losses ---------------------------------------------------------------

    @Override
    public void softmaxForward(Tensor src, boolean log, Tensor dst) {
        ElementwiseOpChecks.softmaxForward(src, log, dst);
        applyThreads();
        long cols = src.shape().dim(-1);
        Shim.softmaxForward(dst.segment(), src.segment(), src.size() / cols, cols, log);
    }

    @Override
    public void softmaxBackward(Tensor dst, Tensor diffDst, boolean log, Tensor diffSrc) {
        ElementwiseOpChecks.softmaxBackward(dst, diffDst, log, diffSrc);
        applyThreads();
        long cols = dst.shape().dim(-1);
        Shim.softmaxBackward(diffSrc.segment(), dst.segment(), diffDst.segment(), dst.size() / cols, cols, log);
    }

    @Override
    public void softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor losses, Tensor diffLogits, float gradScale) {
        ElementwiseOpChecks.softmaxCrossEntropy(logits, labels, losses, diffLogits, gradScale);
        applyThreads();
        long rows = logits.shape().dim(0), cols = logits.shape().dim(1);
        MemorySegment diff = diffLogits == null ? null : diffLogits.segment();
        if (labels.dtype() == DType.INT32) {
            Shim.softmaxCrossEntropySparse(losses.segment(), diff, logits.segment(), labels.segment(), rows, cols,
                    gradScale);
        } else {
            Shim.softmaxCrossEntropy(losses.segment(), diff, logits.segment(), labels.segment(), rows, cols, gradScale);
        }
    }

    // ---- dropout --------------------------------------------------------------------------

    @Override
    public void dropoutForward(float rate, long seed, Tensor src, Tensor dst, Tensor mask) {
        ElementwiseOpChecks.dropoutForward(rate, seed, src, dst, mask);
        applyThreads();
        Shim.dropoutForward(dst.segment(), mask.segment(), src.segment(), rate, seed);
    }

    // ---- shape ops ------------------------------------------------------------------------

    @Override
    public void concat(int axis, List<Tensor> srcs, Tensor dst) {
        int a = ElementwiseOpChecks.concat(axis, srcs, dst);
        Shim.concat(dst, a, srcs);
    }

    @Override
    public void split(int axis, Tensor src, List<Tensor> dsts) {
        int a = ElementwiseOpChecks.split(axis, src, dsts);
        Shim.split(dsts, src, a);
    }

    @Override
    public void transpose(Tensor src, int[] perm, Tensor dst) {
        ElementwiseOpChecks.transpose(src, perm, dst);
        applyThreads();
        Shim.transpose(dst.segment(), src.segment(), src.shape(), perm);
    }

    @Override
    public void pad(Tensor src, long[] before, long[] after, float value, Tensor dst) {
        ElementwiseOpChecks.pad(src, before, after, value, dst);
        Shim.pad(dst.segment(), dst.shape(), src.segment(), src.shape(), before, value);
    }

    // ---- row gather -------------------------------------------------------------------------

    @Override
    public void gatherRows(Tensor table, Tensor indices, Tensor dst) {
        GatherOpChecks.gatherRows(table, indices, dst); // every index, before the native call
        applyThreads();
        Shim.gatherRows(dst.segment(), table.segment(), indices.segment(), table.shape().dim(0),
                table.shape().dim(1));
    }

    @Override
    public void scatterAddRows(Tensor diffDst, Tensor indices, Tensor diffTable) {
        GatherOpChecks.scatterAddRows(diffDst, indices, diffTable);
        applyThreads();
        Shim.scatterAddRows(diffTable.segment(), diffDst.segment(), indices.segment(), diffTable.shape().dim(0),
                diffTable.shape().dim(1));
    }

    // ---- optimizer updates ----------------------------------------------------------------

    @Override
    public void sgdUpdate(Tensor param, Tensor grad, Tensor velocity, float learningRate, float momentum,
                          boolean nesterov, float weightDecay) {
        ElementwiseOpChecks.sgdUpdate(param, grad, velocity, learningRate, momentum, nesterov, weightDecay);
        applyThreads();
        Shim.sgdUpdate(param.segment(), velocity == null ? null : velocity.segment(), grad.segment(), learningRate,
                momentum, nesterov, weightDecay);
    }

    @Override
    public void adamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v, float learningRate, float beta1, float beta2,
                           float epsilon, long step, float weightDecay) {
        ElementwiseOpChecks.adamUpdate(param, grad, m, v, learningRate, beta1, beta2, epsilon, step, weightDecay);
        applyThreads();
        Shim.adamUpdate(param.segment(), m.segment(), v.segment(), grad.segment(), learningRate, beta1, beta2, epsilon,
                step, weightDecay);
    }

    @Override
    public void rmspropUpdate(Tensor param, Tensor grad, Tensor meanSquare, Tensor momentumBuffer, float learningRate,
                              float rho, float momentum, float epsilon, float weightDecay) {
        ElementwiseOpChecks.rmspropUpdate(param, grad, meanSquare, momentumBuffer, learningRate, rho, momentum, epsilon,
                weightDecay);
        applyThreads();
        Shim.rmspropUpdate(param.segment(), meanSquare.segment(), momentumBuffer == null ? null : momentumBuffer.segment(),
                grad.segment(), learningRate, rho, momentum, epsilon, weightDecay);
    }

    // ---- caches ---------------------------------------------------------------------------

    /** Destroys the cached primitives; later ops create them again. Not while ops run on other threads. */
    @Override
    public void close() {
        recentConvs.clear();
        recentPools.clear();
        recentNorms.clear();
        for (Map<?, ? extends NativeHandle> cache : List.of(convs, pools, norms)) {
            cache.values().removeIf(h -> {
                h.close();
                return true;
            });
        }
    }

    private NativeConv2d conv(Conv2dSpec spec, PostOps postOps) {
        int threads = applyThreads();
        NativeConv2d conv = recentConvs.get(spec, postOps, threads);
        if (conv != null) return conv;
        ConvKey key = new ConvKey(spec, postOps, threads);
        conv = convs.get(key);
        if (conv == null) conv = convs.computeIfAbsent(key, k -> new NativeConv2d(k.spec(), k.postOps(), k.threads()));
        recentConvs.put(spec, postOps, threads, conv);
        return conv;
    }

    private NativePool2d pool(Pool2dSpec spec) {
        int threads = applyThreads();
        NativePool2d pool = recentPools.get(spec, null, threads);
        if (pool != null) return pool;
        PoolKey key = new PoolKey(spec, threads);
        pool = pools.get(key);
        if (pool == null) pool = pools.computeIfAbsent(key, k -> new NativePool2d(k.spec(), k.threads()));
        recentPools.put(spec, null, threads, pool);
        return pool;
    }

    /** As {@link #batchNorm(long, long, float, boolean)}, first by the identity of the call's src and gamma. */
    private NativeBatchNorm batchNorm(Tensor src, Tensor gamma, long rows, long channels, float epsilon,
                                      boolean fuseRelu) {
        int threads = applyThreads();
        NativeBatchNorm bn = recentNorms.get(src, gamma, threads);
        if (bn != null && bn.isFor(rows, channels, epsilon, fuseRelu)) return bn;
        bn = batchNorm(rows, channels, epsilon, fuseRelu);
        recentNorms.put(src, gamma, threads, bn);
        return bn;
    }

    private NativeBatchNorm batchNorm(long rows, long channels, float epsilon, boolean fuseRelu) {
        int threads = applyThreads();
        NormKey key = new NormKey(rows, channels, epsilon, fuseRelu, threads);
        NativeBatchNorm bn = norms.get(key);
        return bn != null ? bn : norms.computeIfAbsent(key,
                k -> new NativeBatchNorm(k.rows(), k.channels(), k.epsilon(), k.fuseRelu(), k.threads()));
    }

    /** {@code problem} (a spec, or the src tensor) is turned into text only when the check fails. */
    private static void requireLayout(String op, String what, Tensor t, Layout expected, Object problem) {
        if (t == null) {
            throw new IllegalArgumentException(op + ": " + what + " is required for " + describe(problem));
        }
        if (!t.layout().equals(expected)) {
            throw new IllegalArgumentException(op + ": " + what + " is in layout '" + t.layout() + "' but "
                    + describe(problem)
                    + " on the native backend needs '" + expected + "'; allocate it with this backend for this problem");
        }
    }

    private static String describe(Object problem) {
        return problem instanceof Tensor src ? "src " + src.describeShape() : problem.toString();
    }

    /** Applies {@link ComputeThreads} to oneDNN and OpenBLAS when it changed; returns it. */
    private int applyThreads() {
        int t = ComputeThreads.get();
        if (t != appliedThreads) {
            Shim.threadsSet(t);
            appliedThreads = t;
        }
        return t;
    }
}
