package dev.panamax.backend.purejava;

import static dev.panamax.backend.purejava.JavaChunks.BLOCK;
import static dev.panamax.backend.purejava.JavaChunks.F32;

import dev.panamax.backend.ElementwiseOpChecks;
import dev.panamax.tensor.Tensor;
import java.lang.foreign.MemorySegment;

/**
 * In-place optimizer updates with Keras' formulas, one pass over each element: a block of the
 * parameter, its gradient and its state is read, updated in float and written back. Step-wide
 * scalars (Adam's bias correction, {@code lr · wd}) are computed once, in double.
 */
final class JavaOptimizers {
    private JavaOptimizers() {
    }

    /**
     * {@code p -= lr·wd·p}; then {@code p -= lr·g}, or with momentum {@code v = momentum·v - lr·g} and
     * {@code p += v} ({@code p += momentum·v - lr·g} with Nesterov).
     */
    static void sgd(ParallelRunner par, Tensor param, Tensor grad, Tensor velocity, float learningRate, float momentum,
                    boolean nesterov, float weightDecay) {
        ElementwiseOpChecks.sgdUpdate(param, grad, velocity, learningRate, momentum, nesterov, weightDecay);
        MemorySegment ps = param.segment();
        MemorySegment gs = grad.segment();
        MemorySegment vs = momentum != 0f ? velocity.segment() : null;
        float lr = learningRate;
        float decay = (float) ((double) learningRate * weightDecay);
        JavaChunks.forChunks(par, param.size(), (start, length) -> {
            int size = Math.min(length, BLOCK);
            float[] p = new float[size];
            float[] g = new float[size];
            float[] v = vs == null ? null : new float[size];
            for (int o = 0; o < length; o += BLOCK) {
                int n = Math.min(BLOCK, length - o);
                long at = (start + o) * Float.BYTES;
                MemorySegment.copy(ps, F32, at, p, 0, n);
                MemorySegment.copy(gs, F32, at, g, 0, n);
                if (decay != 0f) {
                    for (int i = 0; i < n; i++) p[i] -= decay * p[i];
                }
                if (v == null) {
                    for (int i = 0; i < n; i++) p[i] -= lr * g[i];
                } else {
                    MemorySegment.copy(vs, F32, at, v, 0, n);
                    if (nesterov) {
                        for (int i = 0; i < n; i++) {
                            v[i] = momentum * v[i] - lr * g[i];
                            p[i] += momentum * v[i] - lr * g[i];
                        }
                    } else {
                        for (int i = 0; i < n; i++) {
                            v[i] = momentum * v[i] - lr * g[i];
                            p[i] += v[i];
                        }
                    }
                    MemorySegment.copy(v, 0, vs, F32, at, n);
                }
                MemorySegment.copy(p, 0, ps, F32, at, n);
            }
        });
    }

    /**
     * {@code p -= lr·wd·p}; {@code m = b1·m + (1-b1)·g}; {@code v = b2·v + (1-b2)·g²};
     * {@code p -= alpha · m / (sqrt(v) + eps)} with {@code alpha = lr·sqrt(1-b2^t)/(1-b1^t)}.
     */
    static void adam(ParallelRunner par, Tensor param, Tensor grad, Tensor m, Tensor v, float learningRate,
                     float beta1, float beta2, float epsilon, long step, float weightDecay) {
        ElementwiseOpChecks.adamUpdate(param, grad, m, v, learningRate, beta1, beta2, epsilon, step, weightDecay);
        MemorySegment ps = param.segment();
        MemorySegment gs = grad.segment();
        MemorySegment mseg = m.segment();
        MemorySegment vseg = v.segment();
        double t = step;
        float alpha = (float) (learningRate * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t)));
        float decay = (float) ((double) learningRate * weightDecay);
        float c1 = 1f - beta1;
        float c2 = 1f - beta2;
        JavaChunks.forChunks(par, param.size(), (start, length) -> {
            int size = Math.min(length, BLOCK);
            float[] p = new float[size];
            float[] g = new float[size];
            float[] mm = new float[size];
            float[] vv = new float[size];
            for (int o = 0; o < length; o += BLOCK) {
                int n = Math.min(BLOCK, length - o);
                long at = (start + o) * Float.BYTES;
                MemorySegment.copy(ps, F32, at, p, 0, n);
                MemorySegment.copy(gs, F32, at, g, 0, n);
                MemorySegment.copy(mseg, F32, at, mm, 0, n);
                MemorySegment.copy(vseg, F32, at, vv, 0, n);
                for (int i = 0; i < n; i++) {
                    float gi = g[i];
                    mm[i] = beta1 * mm[i] + c1 * gi;
                    vv[i] = beta2 * vv[i] + c2 * gi * gi;
                    p[i] = p[i] - decay * p[i] - alpha * mm[i] / ((float) Math.sqrt(vv[i]) + epsilon);
                }
                MemorySegment.copy(mm, 0, mseg, F32, at, n);
                MemorySegment.copy(vv, 0, vseg, F32, at, n);
                MemorySegment.copy(p, 0, ps, F32, at, n);
            }
        });
    }

    /**
     * {@code p -= lr·wd·p}; {@code ms = rho·ms + (1-rho)·g²}; {@code inc = lr·g / sqrt(ms + eps)};
     * {@code p -= inc}, or with momentum {@code mom = momentum·mom + inc} and {@code p -= mom}.
     */
    static void rmsprop(ParallelRunner par, Tensor param, Tensor grad, Tensor meanSquare, Tensor momentumBuffer,
                        float learningRate, float rho, float momentum, float epsilon, float weightDecay) {
        ElementwiseOpChecks.rmspropUpdate(param, grad, meanSquare, momentumBuffer, learningRate, rho, momentum, epsilon,
                weightDecay);
        MemorySegment ps = param.segment();
        MemorySegment gs = grad.segment();
        MemorySegment mss = meanSquare.segment();
        MemorySegment moms = momentum != 0f ? momentumBuffer.segment() : null;
        float lr = learningRate;
        float decay = (float) ((double) learningRate * weightDecay);
        float c = 1f - rho;
        JavaChunks.forChunks(par, param.size(), (start, length) -> {
            int size = Math.min(length, BLOCK);
            float[] p = new float[size];
            float[] g = new float[size];
            float[] ms = new float[size];
            float[] mom = moms == null ? null : new float[size];
            for (int o = 0; o < length; o += BLOCK) {
                int n = Math.min(BLOCK, length - o);
                long at = (start + o) * Float.BYTES;
                MemorySegment.copy(ps, F32, at, p, 0, n);
                MemorySegment.copy(gs, F32, at, g, 0, n);
                MemorySegment.copy(mss, F32, at, ms, 0, n);
                if (mom == null) {
                    for (int i = 0; i < n; i++) {
                        float gi = g[i];
                        ms[i] = rho * ms[i] + c * gi * gi;
                        p[i] = p[i] - decay * p[i] - lr * gi / (float) Math.sqrt(ms[i] + epsilon);
                    }
                } else {
                    MemorySegment.copy(moms, F32, at, mom, 0, n);
                    for (int i = 0; i < n; i++) {
                        float gi = g[i];
                        ms[i] = rho * ms[i] + c * gi * gi;
                        mom[i] = momentum * mom[i] + lr * gi / (float) Math.sqrt(ms[i] + epsilon);
                        p[i] = p[i] - decay * p[i] - mom[i];
                    }
                    MemorySegment.copy(mom, 0, moms, F32, at, n);
                }
                MemorySegment.copy(ms, 0, mss, F32, at, n);
                MemorySegment.copy(p, 0, ps, F32, at, n);
            }
        });
    }
}
