package dev.panamax.bench;

import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Tensor;
import java.util.SplittableRandom;

/** Seeded inputs and the result check every benchmark runs before it times. */
final class BenchData {
    private BenchData() {
    }

    static Tensor random(MemoryScope scope, long[] dims, long seed) {
        Tensor t = Tensor.zeros(scope, dims);
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[Math.toIntExact(t.size())];
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextDouble(-1, 1);
        t.copyFrom(v);
        return t;
    }

    /**
     * Seeded integers in [-2, 2], as benchdnn fills its inputs: products and sums of them are exact
     * in float32 (for fewer than 2^22 terms), so a backend's summation order cannot change a result.
     */
    static Tensor smallIntegers(MemoryScope scope, long[] dims, long seed) {
        Tensor t = Tensor.zeros(scope, dims);
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[Math.toIntExact(t.size())];
        for (int i = 0; i < v.length; i++) v[i] = r.nextInt(-2, 3);
        t.copyFrom(v);
        return t;
    }

    /** Throws unless {@code actual} matches {@code expected} within 1e-4 relative error. */
    static void check(String what, Tensor actual, Tensor expected) {
        float[] a = actual.toFloatArray();
        float[] e = expected.toFloatArray();
        for (int i = 0; i < e.length; i++) {
            double err = Math.abs(a[i] - e[i]) / Math.max(1.0, Math.abs(e[i]));
            if (!(err <= 1e-4)) {
                throw new IllegalStateException(what + ": element " + i + " is " + a[i] + ", expected " + e[i]);
            }
        }
    }
}
