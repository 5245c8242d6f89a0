package dev.panamax.backend.nativecpu;

import dev.panamax.bindings.panamax_h;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Downcall handles with {@link Linker.Option#critical critical(false)} for the shim's short leaf
 * functions, which jextract's bindings cannot express. A critical call skips the thread's
 * transition out of Java (a few nanoseconds, much of a 16-element ReLU) but holds off garbage
 * collection while it runs, so {@link Shim} uses these handles only for calls the shim runs on
 * the calling thread alone: at most {@link #MAX_ELEMENTS} elements, no parallel region, no lock,
 * no callback. Larger calls keep the ordinary handles.
 */
final class CriticalCalls {
    /** The shim's {@code PMX_SERIAL_MAX_ELEMENTS}. */
    static final long MAX_ELEMENTS = panamax_h.PMX_SERIAL_MAX_ELEMENTS();

    private static final MethodHandle NOOP = critical(panamax_h.pmx_noop$address(), panamax_h.pmx_noop$descriptor());
    private static final MethodHandle ACTIVATION_FWD =
            critical(panamax_h.pmx_activation_fwd$address(), panamax_h.pmx_activation_fwd$descriptor());
    private static final MethodHandle ACTIVATION_BWD =
            critical(panamax_h.pmx_activation_bwd$address(), panamax_h.pmx_activation_bwd$descriptor());
    private static final MethodHandle AFFINE =
            critical(panamax_h.pmx_affine$address(), panamax_h.pmx_affine$descriptor());
    private static final MethodHandle BINARY =
            critical(panamax_h.pmx_binary$address(), panamax_h.pmx_binary$descriptor());
    private static final MethodHandle SOFTMAX_FWD =
            critical(panamax_h.pmx_softmax_fwd$address(), panamax_h.pmx_softmax_fwd$descriptor());
    private static final MethodHandle SOFTMAX_BWD =
            critical(panamax_h.pmx_softmax_bwd$address(), panamax_h.pmx_softmax_bwd$descriptor());
    private static final MethodHandle SGD =
            critical(panamax_h.pmx_sgd_update$address(), panamax_h.pmx_sgd_update$descriptor());
    private static final MethodHandle ADAM =
            critical(panamax_h.pmx_adam_update$address(), panamax_h.pmx_adam_update$descriptor());
    private static final MethodHandle RMSPROP =
            critical(panamax_h.pmx_rmsprop_update$address(), panamax_h.pmx_rmsprop_update$descriptor());

    private CriticalCalls() {
    }

    private static MethodHandle critical(MemorySegment address, FunctionDescriptor descriptor) {
        return Linker.nativeLinker().downcallHandle(address, descriptor, Linker.Option.critical(false));
    }

    /** Whether a call over {@code elements} elements may use these handles. */
    static boolean fits(long elements) {
        return elements <= MAX_ELEMENTS;
    }

    static int noop() {
        try {
            return (int) NOOP.invokeExact();
        } catch (Throwable t) {
            throw new AssertionError("pmx_noop", t);
        }
    }

    static int activationFwd(MemorySegment dst, long dstLen, MemorySegment src, long srcLen, int activation,
                             float alpha) {
        try {
            return (int) ACTIVATION_FWD.invokeExact(dst, dstLen, src, srcLen, activation, alpha);
        } catch (Throwable t) {
            throw new AssertionError("pmx_activation_fwd", t);
        }
    }

    static int activationBwd(MemorySegment diffSrc, long diffSrcLen, MemorySegment src, long srcLen,
                             MemorySegment diffDst, long diffDstLen, int activation, float alpha) {
        try {
            return (int) ACTIVATION_BWD.invokeExact(diffSrc, diffSrcLen, src, srcLen, diffDst, diffDstLen, activation,
                    alpha);
        } catch (Throwable t) {
            throw new AssertionError("pmx_activation_bwd", t);
        }
    }

    static int affine(MemorySegment dst, long dstLen, MemorySegment src, long srcLen, float alpha, float beta) {
        try {
            return (int) AFFINE.invokeExact(dst, dstLen, src, srcLen, alpha, beta);
        } catch (Throwable t) {
            throw new AssertionError("pmx_affine", t);
        }
    }

    static int binary(MemorySegment dst, MemorySegment dstDims, int dstRank, MemorySegment a, MemorySegment aDims,
                      int aRank, MemorySegment b, MemorySegment bDims, int bRank, int op) {
        try {
            return (int) BINARY.invokeExact(dst, dstDims, dstRank, a, aDims, aRank, b, bDims, bRank, op);
        } catch (Throwable t) {
            throw new AssertionError("pmx_binary", t);
        }
    }

    static int softmaxFwd(MemorySegment dst, long dstLen, MemorySegment src, long srcLen, long rows, long cols,
                          int log) {
        try {
            return (int) SOFTMAX_FWD.invokeExact(dst, dstLen, src, srcLen, rows, cols, log);
        } catch (Throwable t) {
            throw new AssertionError("pmx_softmax_fwd", t);
        }
    }

    static int softmaxBwd(MemorySegment diffSrc, long diffSrcLen, MemorySegment dst, long dstLen,
                          MemorySegment diffDst, long diffDstLen, long rows, long cols, int log) {
        try {
            return (int) SOFTMAX_BWD.invokeExact(diffSrc, diffSrcLen, dst, dstLen, diffDst, diffDstLen, rows, cols,
                    log);
        } catch (Throwable t) {
            throw new AssertionError("pmx_softmax_bwd", t);
        }
    }

    static int sgd(MemorySegment param, MemorySegment velocity, MemorySegment grad, long len, float learningRate,
                   float momentum, int nesterov, float weightDecay) {
        try {
            return (int) SGD.invokeExact(param, velocity, grad, len, learningRate, momentum, nesterov, weightDecay);
        } catch (Throwable t) {
            throw new AssertionError("pmx_sgd_update", t);
        }
    }

    static int adam(MemorySegment param, MemorySegment m, MemorySegment v, MemorySegment grad, long len,
                    float learningRate, float beta1, float beta2, float epsilon, long step, float weightDecay) {
        try {
            return (int) ADAM.invokeExact(param, m, v, grad, len, learningRate, beta1, beta2, epsilon, step,
                    weightDecay);
        } catch (Throwable t) {
            throw new AssertionError("pmx_adam_update", t);
        }
    }

    static int rmsprop(MemorySegment param, MemorySegment meanSquare, MemorySegment momentumBuffer,
                       MemorySegment grad, long len, float learningRate, float rho, float momentum, float epsilon,
                       float weightDecay) {
        try {
            return (int) RMSPROP.invokeExact(param, meanSquare, momentumBuffer, grad, len, learningRate, rho, momentum,
                    epsilon, weightDecay);
        } catch (Throwable t) {
            throw new AssertionError("pmx_rmsprop_update", t);
        }
    }
}
