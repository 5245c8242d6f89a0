package dev.panamax.backend.nativecpu;

import static dev.panamax.bindings.panamax_h.PMX_INFO_TEXT_CAPACITY;

import dev.panamax.backend.Conv2dSpec;
import dev.panamax.backend.Pool2dSpec;
import dev.panamax.backend.ReduceOp;
import dev.panamax.backend.PostOps;
import dev.panamax.bindings.panamax_h;
import dev.panamax.bindings.pmx_conv2d_desc;
import dev.panamax.bindings.pmx_pool2d_desc;
import dev.panamax.bindings.pmx_runtime_info;
import dev.panamax.bindings.pmx_stats;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * The hand-written owner of the generated bindings: with {@link CriticalCalls} (its critical
 * downcall handles for short leaf calls) the only class of the library that imports
 * {@code dev.panamax.bindings}. Each method makes one shim call and turns a failed status into
 * a {@link NativeException} carrying the shim's message.
 *
 * <p>Touch this class only after {@link dev.panamax.nativelib.NativeLibraryLoader#load()}
 * succeeded: a binding class whose first symbol lookup failed stays unusable for the JVM's life.
 */
final class Shim {
    private static final int ERROR_CAPACITY = 1024;

    private Shim() {
    }

    /** Throws {@link NativeException} with the calling thread's last error if {@code status} is not OK. */
    static void check(int status) {
        if (status == 0) return;
        String message;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(ERROR_CAPACITY);
            message = panamax_h.pmx_last_error_get(buf, ERROR_CAPACITY) == 0 ? buf.getString(0) : "(no message)";
        }
        throw new NativeException(ShimStatus.of(status), message);
    }

    static void noop() {
        check(panamax_h.pmx_noop());
    }

    /** The empty call through a critical downcall handle, for measuring what that saves. */
    static void noopCritical() {
        check(CriticalCalls.noop());
    }

    static RuntimeInfo runtimeInfo() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = pmx_runtime_info.allocate(arena);
            check(panamax_h.pmx_runtime_info_get(s));
            return new RuntimeInfo(text(pmx_runtime_info.panamax_version(s)), text(pmx_runtime_info.dnnl_version(s)),
                    text(pmx_runtime_info.dnnl_cpu_isa(s)), text(pmx_runtime_info.blas_config(s)),
                    text(pmx_runtime_info.blas_core(s)), pmx_runtime_info.compute_threads(s),
                    pmx_runtime_info.blas_threads(s), pmx_runtime_info.cpu_count(s));
        }
    }

    static void threadsSet(int threads) {
        check(panamax_h.pmx_threads_set(threads));
    }

    static int threadsGet() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(ValueLayout.JAVA_INT);
            check(panamax_h.pmx_threads_get(s));
            return s.get(ValueLayout.JAVA_INT, 0);
        }
    }

    static NativeStats stats() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = pmx_stats.allocate(arena);
            check(panamax_h.pmx_stats_get(s));
            return new NativeStats(pmx_stats.primitive_creations(s), pmx_stats.weight_reorders(s),
                    pmx_stats.activation_reorders(s));
        }
    }

    static void gemmEngineSet(GemmEngine engine) {
        check(panamax_h.pmx_gemm_engine_set(switch (engine) {
            case AUTO -> panamax_h.PMX_GEMM_ENGINE_AUTO();
            case ONEDNN -> panamax_h.PMX_GEMM_ENGINE_ONEDNN();
            case OPENBLAS -> panamax_h.PMX_GEMM_ENGINE_OPENBLAS();
        }));
    }

    static GemmEngine gemmEngineGet() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(ValueLayout.JAVA_INT);
            check(panamax_h.pmx_gemm_engine_get(s));
            int e = s.get(ValueLayout.JAVA_INT, 0);
            if (e == panamax_h.PMX_GEMM_ENGINE_ONEDNN()) return GemmEngine.ONEDNN;
            if (e == panamax_h.PMX_GEMM_ENGINE_OPENBLAS()) return GemmEngine.OPENBLAS;
            return GemmEngine.AUTO;
        }
    }

    static void matmul(MemorySegment dst, MemorySegment a, MemorySegment b, long m, long n, long k,
                       boolean transposeA, boolean transposeB, float alpha, float beta) {
        check(panamax_h.pmx_matmul_f32(dst, floats(dst), a, floats(a), b, floats(b), m, n, k,
                transposeA ? 1 : 0, transposeB ? 1 : 0, alpha, beta));
    }

    /** Creates a convolution primitive; the returned handle must go to {@link #conv2dDestroy}. */
    static MemorySegment conv2dCreate(Conv2dSpec spec, PostOps postOps) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment d = pmx_conv2d_desc.allocate(arena);
            pmx_conv2d_desc.batch(d, spec.batch());
            pmx_conv2d_desc.in_height(d, spec.inHeight());
            pmx_conv2d_desc.in_width(d, spec.inWidth());
            pmx_conv2d_desc.in_channels(d, spec.inChannels());
            pmx_conv2d_desc.out_channels(d, spec.outChannels());
            pmx_conv2d_desc.kernel_height(d, spec.kernelHeight());
            pmx_conv2d_desc.kernel_width(d, spec.kernelWidth());
            pmx_conv2d_desc.stride_height(d, spec.strideHeight());
            pmx_conv2d_desc.stride_width(d, spec.strideWidth());
            pmx_conv2d_desc.pad_top(d, spec.padTop());
            pmx_conv2d_desc.pad_left(d, spec.padLeft());
            pmx_conv2d_desc.pad_bottom(d, spec.padBottom());
            pmx_conv2d_desc.pad_right(d, spec.padRight());
            pmx_conv2d_desc.dilation_height(d, spec.dilationHeight());
            pmx_conv2d_desc.dilation_width(d, spec.dilationWidth());
            pmx_conv2d_desc.groups(d, spec.groups());
            pmx_conv2d_desc.has_bias(d, spec.hasBias() ? 1 : 0);
            pmx_conv2d_desc.activation(d, postOps.activation().ordinal());
            pmx_conv2d_desc.activation_alpha(d, postOps.alpha());
            pmx_conv2d_desc.sum_dst(d, postOps.sum() ? 1 : 0);
            MemorySegment handle = arena.allocate(ValueLayout.ADDRESS);
            check(panamax_h.pmx_conv2d_create(handle, d));
            return handle.get(ValueLayout.ADDRESS, 0);
        }
    }

    static void conv2dDestroy(MemorySegment conv) {
        check(panamax_h.pmx_conv2d_destroy(conv));
    }

    static long conv2dPackedSize(MemorySegment conv) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(ValueLayout.JAVA_LONG);
            check(panamax_h.pmx_conv2d_weights_packed_size(s, conv));
            return s.get(ValueLayout.JAVA_LONG, 0);
        }
    }

    static long[] conv2dDstDims(MemorySegment conv) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(ValueLayout.JAVA_LONG, 4);
            check(panamax_h.pmx_conv2d_dst_dims(s, conv));
            return s.toArray(ValueLayout.JAVA_LONG);
        }
    }

    static String conv2dImplName(MemorySegment conv) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(PMX_INFO_TEXT_CAPACITY());
            check(panamax_h.pmx_conv2d_impl_name(s, s.byteSize(), conv));
            return s.getString(0);
        }
    }

    static void conv2dPackWeights(MemorySegment dst, MemorySegment conv, MemorySegment weights) {
        check(panamax_h.pmx_conv2d_weights_pack(dst, dst.byteSize(), conv, weights, floats(weights)));
    }

    static void conv2dForward(MemorySegment dst, MemorySegment conv, MemorySegment src, MemorySegment packedWeights,
                              MemorySegment bias) {
        MemorySegment b = bias == null ? MemorySegment.NULL : bias;
        check(panamax_h.pmx_conv2d_fwd(dst, floats(dst), conv, src, floats(src), packedWeights,
                packedWeights.byteSize(), b, floats(b)));
    }

    static void conv2dBackwardData(MemorySegment diffSrc, MemorySegment conv, MemorySegment diffDst,
                                   MemorySegment weights) {
        check(panamax_h.pmx_conv2d_bwd_data(diffSrc, floats(diffSrc), conv, diffDst, floats(diffDst), weights,
                floats(weights)));
    }

    static void conv2dBackwardWeights(MemorySegment diffWeights, MemorySegment diffBias, MemorySegment conv,
                                      MemorySegment src, MemorySegment diffDst) {
        MemorySegment db = diffBias == null ? MemorySegment.NULL : diffBias;
        check(panamax_h.pmx_conv2d_bwd_weights(diffWeights, floats(diffWeights), db, floats(db), conv, src,
                floats(src), diffDst, floats(diffDst)));
    }

    // ---- pooling ---------------------------------------------------------------------------

    static MemorySegment pool2dCreate(Pool2dSpec spec) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment d = pmx_pool2d_desc.allocate(arena);
            pmx_pool2d_desc.batch(d, spec.batch());
            pmx_pool2d_desc.in_height(d, spec.inHeight());
            pmx_pool2d_desc.in_width(d, spec.inWidth());
            pmx_pool2d_desc.channels(d, spec.channels());
            pmx_pool2d_desc.kernel_height(d, spec.kernelHeight());
            pmx_pool2d_desc.kernel_width(d, spec.kernelWidth());
            pmx_pool2d_desc.stride_height(d, spec.strideHeight());
            pmx_pool2d_desc.stride_width(d, spec.strideWidth());
            pmx_pool2d_desc.pad_top(d, spec.padTop());
            pmx_pool2d_desc.pad_left(d, spec.padLeft());
            pmx_pool2d_desc.pad_bottom(d, spec.padBottom());
            pmx_pool2d_desc.pad_right(d, spec.padRight());
            pmx_pool2d_desc.kind(d, switch (spec.kind()) {
                case MAX -> panamax_h.PMX_POOL_MAX();
                case AVG_EXCLUDE_PAD -> panamax_h.PMX_POOL_AVG_EXCLUDE_PAD();
                case AVG_INCLUDE_PAD -> panamax_h.PMX_POOL_AVG_INCLUDE_PAD();
            });
            MemorySegment handle = arena.allocate(ValueLayout.ADDRESS);
            check(panamax_h.pmx_pool2d_create(handle, d));
            return handle.get(ValueLayout.ADDRESS, 0);
        }
    }

    static void pool2dDestroy(MemorySegment pool) {
        check(panamax_h.pmx_pool2d_destroy(pool));
    }

    static long pool2dWorkspaceSize(MemorySegment pool) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(ValueLayout.JAVA_LONG);
            check(panamax_h.pmx_pool2d_workspace_size(s, pool));
            return s.get(ValueLayout.JAVA_LONG, 0);
        }
    }

    static void pool2dForward(MemorySegment dst, MemorySegment workspace, MemorySegment pool, MemorySegment src) {
        MemorySegment ws = orNull(workspace);
        check(panamax_h.pmx_pool2d_fwd(dst, floats(dst), ws, ws.byteSize(), pool, src, floats(src)));
    }

    static void pool2dBackward(MemorySegment diffSrc, MemorySegment pool, MemorySegment diffDst, MemorySegment workspace) {
        MemorySegment ws = orNull(workspace);
        check(panamax_h.pmx_pool2d_bwd(diffSrc, floats(diffSrc), pool, diffDst, floats(diffDst), ws, ws.byteSize()));
    }

    // ---- batch normalization ------------------------------------------------------------------

    static MemorySegment batchNormCreate(long rows, long channels, float epsilon, boolean fuseRelu) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment handle = arena.allocate(ValueLayout.ADDRESS);
            check(panamax_h.pmx_batchnorm_create(handle, rows, channels, epsilon, fuseRelu ? 1 : 0));
            return handle.get(ValueLayout.ADDRESS, 0);
        }
    }

    static void batchNormDestroy(MemorySegment bn) {
        check(panamax_h.pmx_batchnorm_destroy(bn));
    }

    static long batchNormWorkspaceSize(MemorySegment bn) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(ValueLayout.JAVA_LONG);
            check(panamax_h.pmx_batchnorm_workspace_size(s, bn));
            return s.get(ValueLayout.JAVA_LONG, 0);
        }
    }

    static void batchNormForwardTraining(MemorySegment dst, MemorySegment batchMean, MemorySegment batchVariance,
                                         MemorySegment workspace, MemorySegment bn, MemorySegment src,
                                         MemorySegment gamma, MemorySegment beta, float momentum,
                                         MemorySegment movingMean, MemorySegment movingVariance) {
        MemorySegment ws = orNull(workspace);
        check(panamax_h.pmx_batchnorm_fwd_training(dst, floats(dst), batchMean, batchVariance, floats(batchMean), ws,
                ws.byteSize(), bn, src, floats(src), gamma, beta, floats(gamma), momentum, movingMean, movingVariance));
    }

    static void batchNormForwardInference(MemorySegment dst, MemorySegment bn, MemorySegment src, MemorySegment gamma,
                                          MemorySegment beta, MemorySegment mean, MemorySegment variance) {
        check(panamax_h.pmx_batchnorm_fwd_inference(dst, floats(dst), bn, src, floats(src), gamma, beta, mean, variance,
                floats(gamma)));
    }

    static void batchNormBackward(MemorySegment diffSrc, MemorySegment diffGamma, MemorySegment diffBeta,
                                  MemorySegment bn, MemorySegment src, MemorySegment diffDst, MemorySegment gamma,
                                  MemorySegment mean, MemorySegment variance, MemorySegment workspace) {
        MemorySegment ws = orNull(workspace);
        check(panamax_h.pmx_batchnorm_bwd(diffSrc, floats(diffSrc), diffGamma, diffBeta, floats(diffGamma), bn, src,
                floats(src), diffDst, floats(diffDst), gamma, mean, variance, ws, ws.byteSize()));
    }

    // ---- dense and batched products -----------------------------------------------------------

    static void denseForward(MemorySegment dst, MemorySegment x, MemorySegment kernel, MemorySegment bias, long rows,
                             long in, long out, int activation, float alpha) {
        MemorySegment b = orNull(bias);
        check(panamax_h.pmx_dense_fwd(dst, floats(dst), x, floats(x), kernel, floats(kernel), b, floats(b), rows, in,
                out, activation, alpha));
    }

    static void batchedMatmul(MemorySegment dst, MemorySegment a, MemorySegment b, long batch, long m, long n, long k,
                              boolean transposeA, boolean transposeB) {
        check(panamax_h.pmx_batched_matmul_f32(dst, floats(dst), a, floats(a), b, floats(b), batch, m, n, k,
                transposeA ? 1 : 0, transposeB ? 1 : 0));
    }

    // ---- element-wise, reductions, softmax, losses, dropout -------------------------------------

    static void activationForward(MemorySegment dst, MemorySegment src, int activation, float alpha) {
        long n = floats(src);
        check(CriticalCalls.fits(n) ? CriticalCalls.activationFwd(dst, floats(dst), src, n, activation, alpha)
                : panamax_h.pmx_activation_fwd(dst, floats(dst), src, n, activation, alpha));
    }

    static void activationBackward(MemorySegment diffSrc, MemorySegment src, MemorySegment diffDst, int activation,
                                   float alpha) {
        long n = floats(src);
        check(CriticalCalls.fits(n)
                ? CriticalCalls.activationBwd(diffSrc, floats(diffSrc), src, n, diffDst, floats(diffDst), activation, alpha)
                : panamax_h.pmx_activation_bwd(diffSrc, floats(diffSrc), src, n, diffDst, floats(diffDst), activation,
                        alpha));
    }

    static void binary(MemorySegment dst, Shape dstShape, MemorySegment a, Shape aShape, MemorySegment b,
                       Shape bShape, int op) {
        ArgumentScratch s = ArgumentScratch.get();
        MemorySegment dd = ArgumentScratch.dims(s.longs0, dstShape);
        MemorySegment ad = ArgumentScratch.dims(s.longs1, aShape);
        MemorySegment bd = ArgumentScratch.dims(s.longs2, bShape);
        check(CriticalCalls.fits(dstShape.size())
                ? CriticalCalls.binary(dst, dd, dstShape.rank(), a, ad, aShape.rank(), b, bd, bShape.rank(), op)
                : panamax_h.pmx_binary(dst, dd, dstShape.rank(), a, ad, aShape.rank(), b, bd, bShape.rank(), op));
    }

    static void affine(MemorySegment dst, MemorySegment src, float alpha, float beta) {
        long n = floats(src);
        check(CriticalCalls.fits(n) ? CriticalCalls.affine(dst, floats(dst), src, n, alpha, beta)
                : panamax_h.pmx_affine(dst, floats(dst), src, n, alpha, beta));
    }

    static void reduce(MemorySegment dst, MemorySegment src, Shape srcShape, int[] axes, ReduceOp op) {
        ArgumentScratch s = ArgumentScratch.get();
        MemorySegment dims = ArgumentScratch.dims(s.longs0, srcShape);
        MemorySegment ax = ArgumentScratch.ints(s.ints, axes);
        check(panamax_h.pmx_reduce(dst, floats(dst), src, dims, srcShape.rank(), ax, axes.length, op.ordinal()));
    }

    /** {@code dst[c] = Σ_r src[r, c]} over a {@code [rows, cols]} matrix (a dense layer's bias gradient). */
    static void sumRows(MemorySegment dst, MemorySegment src, long rows, long cols) {
        ArgumentScratch s = ArgumentScratch.get();
        MemorySegment dims = s.longs0;
        dims.setAtIndex(ValueLayout.JAVA_LONG, 0, rows);
        dims.setAtIndex(ValueLayout.JAVA_LONG, 1, cols);
        MemorySegment axis = s.ints;
        axis.set(ValueLayout.JAVA_INT, 0, 0);
        check(panamax_h.pmx_reduce(dst, floats(dst), src, dims, 2, axis, 1, ReduceOp.SUM.ordinal()));
    }

    static void softmaxForward(MemorySegment dst, MemorySegment src, long rows, long cols, boolean log) {
        long n = floats(src);
        check(CriticalCalls.fits(n) ? CriticalCalls.softmaxFwd(dst, floats(dst), src, n, rows, cols, log ? 1 : 0)
                : panamax_h.pmx_softmax_fwd(dst, floats(dst), src, n, rows, cols, log ? 1 : 0));
    }

    static void softmaxBackward(MemorySegment diffSrc, MemorySegment dst, MemorySegment diffDst, long rows, long cols,
                                boolean log) {
        long n = floats(dst);
        check(CriticalCalls.fits(n)
                ? CriticalCalls.softmaxBwd(diffSrc, floats(diffSrc), dst, n, diffDst, floats(diffDst), rows, cols,
                        log ? 1 : 0)
                : panamax_h.pmx_softmax_bwd(diffSrc, floats(diffSrc), dst, n, diffDst, floats(diffDst), rows, cols,
                        log ? 1 : 0));
    }

    static void softmaxCrossEntropy(MemorySegment losses, MemorySegment diffLogits, MemorySegment logits,
                                    MemorySegment labels, long rows, long cols, float gradScale) {
        MemorySegment d = orNull(diffLogits);
        check(panamax_h.pmx_softmax_xent(losses, floats(losses), d, floats(d), logits, floats(logits), labels,
                floats(labels), rows, cols, gradScale));
    }

    static void softmaxCrossEntropySparse(MemorySegment losses, MemorySegment diffLogits, MemorySegment logits,
                                          MemorySegment labels, long rows, long cols, float gradScale) {
        MemorySegment d = orNull(diffLogits);
        check(panamax_h.pmx_softmax_xent_sparse(losses, floats(losses), d, floats(d), logits, floats(logits), labels,
                labels.byteSize() / Integer.BYTES, rows, cols, gradScale));
    }

    static void layerNormForward(MemorySegment dst, MemorySegment mean, MemorySegment variance, MemorySegment src,
                                 MemorySegment gamma, MemorySegment beta, long rows, long cols, float epsilon) {
        check(panamax_h.pmx_layernorm_fwd(dst, floats(dst), mean, variance, floats(mean), src, floats(src), gamma, beta,
                floats(gamma), rows, cols, epsilon));
    }

    static void layerNormBackward(MemorySegment diffSrc, MemorySegment diffGamma, MemorySegment diffBeta,
                                  MemorySegment src, MemorySegment diffDst, MemorySegment gamma, MemorySegment mean,
                                  MemorySegment variance, long rows, long cols, float epsilon) {
        check(panamax_h.pmx_layernorm_bwd(diffSrc, floats(diffSrc), diffGamma, diffBeta, floats(diffGamma), src,
                floats(src), diffDst, floats(diffDst), gamma, mean, variance, floats(mean), rows, cols, epsilon));
    }

    static void dropoutForward(MemorySegment dst, MemorySegment mask, MemorySegment src, float rate, long seed) {
        check(panamax_h.pmx_dropout_fwd(dst, floats(dst), mask, floats(mask), src, floats(src), rate, seed));
    }

    // ---- shape ops ------------------------------------------------------------------------------

    static void concat(Tensor dst, int axis, List<Tensor> srcs) {
        ArgumentScratch s = ArgumentScratch.get();
        // A temporary arena only for more pieces than the per-thread slots hold.
        try (Arena arena = srcs.size() > ArgumentScratch.MAX_PIECES ? Arena.ofConfined() : null) {
            check(panamax_h.pmx_concat(dst.segment(), ArgumentScratch.dims(s.longs0, dst.shape()), dst.shape().rank(),
                    axis, s.pointers(srcs, arena), s.axisSizes(srcs, axis, arena), srcs.size()));
        }
    }

    static void split(List<Tensor> dsts, Tensor src, int axis) {
        ArgumentScratch s = ArgumentScratch.get();
        try (Arena arena = dsts.size() > ArgumentScratch.MAX_PIECES ? Arena.ofConfined() : null) {
            check(panamax_h.pmx_split(s.pointers(dsts, arena), s.axisSizes(dsts, axis, arena), dsts.size(),
                    src.segment(), ArgumentScratch.dims(s.longs0, src.shape()), src.shape().rank(), axis));
        }
    }

    static void transpose(MemorySegment dst, MemorySegment src, Shape srcShape, int[] perm) {
        ArgumentScratch s = ArgumentScratch.get();
        check(panamax_h.pmx_transpose(dst, src, ArgumentScratch.dims(s.longs0, srcShape), srcShape.rank(),
                ArgumentScratch.ints(s.ints, perm)));
    }

    static void pad(MemorySegment dst, Shape dstShape, MemorySegment src, Shape srcShape, long[] before, float value) {
        ArgumentScratch s = ArgumentScratch.get();
        check(panamax_h.pmx_pad(dst, ArgumentScratch.dims(s.longs0, dstShape), src,
                ArgumentScratch.dims(s.longs1, srcShape), srcShape.rank(), ArgumentScratch.longs(s.longs2, before),
                value));
    }

    // ---- row gather -----------------------------------------------------------------------------

    static void gatherRows(MemorySegment dst, MemorySegment table, MemorySegment indices, long rows, long cols) {
        check(panamax_h.pmx_gather_rows(dst, floats(dst), table, floats(table), indices, ints(indices), rows, cols));
    }

    static void scatterAddRows(MemorySegment diffTable, MemorySegment diffDst, MemorySegment indices, long rows,
                               long cols) {
        check(panamax_h.pmx_scatter_add_rows(diffTable, floats(diffTable), diffDst, floats(diffDst), indices,
                ints(indices), rows, cols));
    }

    // ---- optimizer updates ----------------------------------------------------------------------

    static void sgdUpdate(MemorySegment param, MemorySegment velocity, MemorySegment grad, float learningRate,
                          float momentum, boolean nesterov, float weightDecay) {
        long n = floats(param);
        MemorySegment vel = orNull(velocity);
        check(CriticalCalls.fits(n)
                ? CriticalCalls.sgd(param, vel, grad, n, learningRate, momentum, nesterov ? 1 : 0, weightDecay)
                : panamax_h.pmx_sgd_update(param, vel, grad, n, learningRate, momentum, nesterov ? 1 : 0, weightDecay));
    }

    static void adamUpdate(MemorySegment param, MemorySegment m, MemorySegment v, MemorySegment grad, float learningRate,
                           float beta1, float beta2, float epsilon, long step, float weightDecay) {
        long n = floats(param);
        check(CriticalCalls.fits(n)
                ? CriticalCalls.adam(param, m, v, grad, n, learningRate, beta1, beta2, epsilon, step, weightDecay)
                : panamax_h.pmx_adam_update(param, m, v, grad, n, learningRate, beta1, beta2, epsilon, step,
                        weightDecay));
    }

    static void rmspropUpdate(MemorySegment param, MemorySegment meanSquare, MemorySegment momentumBuffer,
                              MemorySegment grad, float learningRate, float rho, float momentum, float epsilon,
                              float weightDecay) {
        long n = floats(param);
        MemorySegment mom = orNull(momentumBuffer);
        check(CriticalCalls.fits(n)
                ? CriticalCalls.rmsprop(param, meanSquare, mom, grad, n, learningRate, rho, momentum, epsilon, weightDecay)
                : panamax_h.pmx_rmsprop_update(param, meanSquare, mom, grad, n, learningRate, rho, momentum, epsilon,
                        weightDecay));
    }

    private static MemorySegment orNull(MemorySegment s) {
        return s == null ? MemorySegment.NULL : s;
    }

    private static long floats(MemorySegment s) {
        return s.byteSize() / Float.BYTES;
    }

    private static long ints(MemorySegment s) {
        return s.byteSize() / Integer.BYTES;
    }

    private static String text(MemorySegment chars) {
        return chars.getString(0);
    }
}
