package dev.panamax.it;

import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;
import java.util.SplittableRandom;

/**
 * Seeded inputs of small integers (after benchdnn): products and sums of them are exact in
 * float32, so backends can be compared with near-zero tolerance.
 */
final class TestData {
    private TestData() {
    }

    static Tensor smallIntegers(MemoryScope scope, Shape shape, long seed, int range) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < v.length; i++) v[i] = r.nextInt(-range, range + 1);
        return Tensor.of(scope, v, shape.dims());
    }

    /** Largest |a-b| / max(1, |b|) over all elements. */
    static double maxRelativeError(float[] actual, float[] expected) {
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(actual[i] - expected[i]) / Math.max(1.0, Math.abs(expected[i]));
            worst = Math.max(worst, Double.isNaN(err) ? Double.POSITIVE_INFINITY : err);
        }
        return worst;
    }

    static double nonZeroFraction(float[] v) {
        long n = 0;
        for (float x : v) if (x != 0) n++;
        return (double) n / v.length;
    }
}
