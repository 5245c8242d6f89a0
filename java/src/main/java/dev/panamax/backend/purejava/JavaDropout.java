package dev.panamax.backend.purejava;

import static dev.panamax.backend.purejava.JavaChunks.BLOCK;
import static dev.panamax.backend.purejava.JavaChunks.F32;

import dev.panamax.backend.DropoutRandom;
import dev.panamax.backend.ElementwiseOpChecks;
import dev.panamax.tensor.Tensor;
import java.lang.foreign.MemorySegment;

/**
 * Inverted dropout: element i is kept when {@code DropoutRandom.uniform(seed, i) >= rate}, which
 * depends on the seed and i alone, so any split into tasks gives the same mask.
 */
final class JavaDropout {
    private JavaDropout() {
    }

    /** {@code mask[i] = keep ? 1 / (1 - rate) : 0}, {@code dst = src · mask}; dst may be src. */
    static void forward(ParallelRunner par, float rate, long seed, Tensor src, Tensor dst, Tensor mask) {
        ElementwiseOpChecks.dropoutForward(rate, seed, src, dst, mask);
        MemorySegment s = src.segment();
        MemorySegment d = dst.segment();
        MemorySegment ms = mask.segment();
        float scale = 1f / (1f - rate);
        JavaChunks.forChunks(par, src.size(), (start, length) -> {
            int size = Math.min(length, BLOCK);
            float[] x = new float[size];
            float[] m = new float[size];
            for (int o = 0; o < length; o += BLOCK) {
                int n = Math.min(BLOCK, length - o);
                long first = start + o;
                MemorySegment.copy(s, F32, first * Float.BYTES, x, 0, n);
                for (int i = 0; i < n; i++) {
                    // keep = (u >= rate) without a branch (random outcomes defeat prediction):
                    // signum(u - rate) + 1 is 0 below, 1 at equality, 2 above; the sign is exact.
                    float keep = Math.min(1f, Math.signum(DropoutRandom.uniform(seed, first + i) - rate) + 1f);
                    m[i] = scale * keep;
                    x[i] *= m[i];
                }
                MemorySegment.copy(m, 0, ms, F32, first * Float.BYTES, n);
                MemorySegment.copy(x, 0, d, F32, first * Float.BYTES, n);
            }
        });
    }
}
