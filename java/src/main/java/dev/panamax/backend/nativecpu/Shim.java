package dev.panamax.backend.nativecpu;

import static dev.panamax.bindings.panamax_h.PMX_INFO_TEXT_CAPACITY;

import dev.panamax.backend.Conv2dSpec;
import dev.panamax.backend.PostOps;
import dev.panamax.bindings.panamax_h;
import dev.panamax.bindings.pmx_conv2d_desc;
import dev.panamax.bindings.pmx_runtime_info;
import dev.panamax.bindings.pmx_stats;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The hand-written owner of the generated bindings: the only class of the library that
 * imports {@code dev.panamax.bindings}. Each method makes one shim call and turns a failed
 * status into a {@link NativeException} carrying the shim's message.
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

    /** {@code {primitive creations, reorders}} since the library loaded. */
    static long[] stats() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = pmx_stats.allocate(arena);
            check(panamax_h.pmx_stats_get(s));
            return new long[] {pmx_stats.primitive_creations(s), pmx_stats.reorders(s)};
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

    private static long floats(MemorySegment s) {
        return s.byteSize() / Float.BYTES;
    }

    private static String text(MemorySegment chars) {
        return chars.getString(0);
    }
}
