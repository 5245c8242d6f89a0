package dev.panamax.backend.purejava;

import static dev.panamax.backend.purejava.JavaChunks.BLOCK;
import static dev.panamax.backend.purejava.JavaChunks.F32;

import dev.panamax.backend.Activation;
import dev.panamax.backend.ElementwiseOpChecks;
import dev.panamax.tensor.Tensor;
import java.lang.foreign.MemorySegment;

/**
 * Activations forward and backward, element by element on heap blocks. Piecewise-linear ones
 * run in float (the JIT vectorizes them); the others evaluate {@link Activation}'s definitions
 * in double per element and round once, with forms that avoid cancellation ({@code e = exp(-|x|)}).
 */
final class JavaActivations {
    private JavaActivations() {
    }

    /** {@code dst = act(src)}; dst may be src. */
    static void forward(ParallelRunner par, Activation activation, float alpha, Tensor src, Tensor dst) {
        ElementwiseOpChecks.activationForward(activation, alpha, src, dst);
        MemorySegment s = src.segment();
        MemorySegment d = dst.segment();
        if (activation == Activation.LINEAR) {
            if (s.address() != d.address()) MemorySegment.copy(s, 0, d, 0, s.byteSize());
            return;
        }
        JavaChunks.forChunks(par, src.size(), (start, length) -> {
            float[] x = new float[Math.min(length, BLOCK)];
            for (int o = 0; o < length; o += BLOCK) {
                int n = Math.min(BLOCK, length - o);
                long at = (start + o) * Float.BYTES;
                MemorySegment.copy(s, F32, at, x, 0, n);
                forwardBlock(activation, alpha, x, n);
                MemorySegment.copy(x, 0, d, F32, at, n);
            }
        });
    }

    /** {@code diffSrc = diffDst · act'(src)}; diffSrc may be diffDst. */
    static void backward(ParallelRunner par, Activation activation, float alpha, Tensor src, Tensor diffDst,
                         Tensor diffSrc) {
        ElementwiseOpChecks.activationBackward(activation, alpha, src, diffDst, diffSrc);
        MemorySegment s = src.segment();
        MemorySegment dy = diffDst.segment();
        MemorySegment ds = diffSrc.segment();
        if (activation == Activation.LINEAR) {
            if (dy.address() != ds.address()) MemorySegment.copy(dy, 0, ds, 0, dy.byteSize());
            return;
        }
        JavaChunks.forChunks(par, src.size(), (start, length) -> {
            int size = Math.min(length, BLOCK);
            float[] x = new float[size];
            float[] g = new float[size];
            for (int o = 0; o < length; o += BLOCK) {
                int n = Math.min(BLOCK, length - o);
                long at = (start + o) * Float.BYTES;
                MemorySegment.copy(s, F32, at, x, 0, n);
                MemorySegment.copy(dy, F32, at, g, 0, n);
                backwardBlock(activation, alpha, x, g, n);
                MemorySegment.copy(g, 0, ds, F32, at, n);
            }
        });
    }

    /** x[i] = act(x[i]) for i < n. */
    private static void forwardBlock(Activation activation, float alpha, float[] x, int n) {
        switch (activation) {
            case LINEAR -> { }
            case RELU -> {
                for (int i = 0; i < n; i++) x[i] = Math.max(x[i], 0f); // NaN stays NaN, as in the definition
            }
            case LEAKY_RELU -> {
                // Branch-free, so it vectorizes: max(x, 0) + alpha · min(x, 0) (only -0 may become +0).
                for (int i = 0; i < n; i++) x[i] = Math.max(x[i], 0f) + alpha * Math.min(x[i], 0f);
            }
            case ELU -> {
                for (int i = 0; i < n; i++) x[i] = x[i] > 0f ? x[i] : (float) (alpha * Math.expm1(x[i]));
            }
            case GELU -> {
                for (int i = 0; i < n; i++) x[i] = (float) GeluMath.gelu(x[i]);
            }
            case SIGMOID -> {
                for (int i = 0; i < n; i++) x[i] = (float) sigmoid(x[i]);
            }
            case TANH -> {
                for (int i = 0; i < n; i++) x[i] = (float) Math.tanh(x[i]);
            }
            case SWISH -> {
                for (int i = 0; i < n; i++) x[i] = (float) (x[i] * sigmoid(x[i]));
            }
        }
    }

    /** g[i] = g[i] · act'(x[i]) for i < n. */
    private static void backwardBlock(Activation activation, float alpha, float[] x, float[] g, int n) {
        switch (activation) {
            case LINEAR -> { }
            case RELU -> {
                for (int i = 0; i < n; i++) g[i] = x[i] > 0f ? g[i] : 0f;
            }
            case LEAKY_RELU -> {
                for (int i = 0; i < n; i++) g[i] = x[i] > 0f ? g[i] : alpha * g[i];
            }
            case ELU -> {
                for (int i = 0; i < n; i++) g[i] = x[i] > 0f ? g[i] : (float) (g[i] * (alpha * Math.exp(x[i])));
            }
            case GELU -> {
                for (int i = 0; i < n; i++) g[i] = (float) (g[i] * GeluMath.geluDerivative(x[i]));
            }
            case SIGMOID -> {
                // s' = e / (1 + e)² with e = exp(-|x|): no cancellation in 1 - s.
                for (int i = 0; i < n; i++) {
                    double e = Math.exp(-Math.abs((double) x[i]));
                    double q = 1 / (1 + e);
                    g[i] = (float) (g[i] * (e * q * q));
                }
            }
            case TANH -> {
                // 1 - tanh² = 4e / (1 + e)² with e = exp(-2|x|).
                for (int i = 0; i < n; i++) {
                    double e = Math.exp(-2 * Math.abs((double) x[i]));
                    double q = 1 / (1 + e);
                    g[i] = (float) (g[i] * (4 * e * q * q));
                }
            }
            case SWISH -> {
                // s + x s (1 - s), with s (1 - s) = e / (1 + e)².
                for (int i = 0; i < n; i++) {
                    double v = x[i];
                    double e = Math.exp(-Math.abs(v));
                    double q = 1 / (1 + e);
                    double s = v >= 0 ? q : e * q;
                    g[i] = (float) (g[i] * (s + v * (e * q * q)));
                }
            }
        }
    }

    private static double sigmoid(double x) {
        double e = Math.exp(-Math.abs(x));
        return x >= 0 ? 1 / (1 + e) : e / (1 + e);
    }
}
