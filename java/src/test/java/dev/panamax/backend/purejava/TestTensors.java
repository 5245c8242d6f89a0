package dev.panamax.backend.purejava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;
import java.util.Random;
import java.util.function.UnaryOperator;

/** Inputs, comparisons and central differences shared by the Java backend's op tests. */
final class TestTensors {
    private TestTensors() {
    }

    /** Values in -3..3 without 0 (after benchdnn): products and their sums stay exact in float. */
    static Tensor smallInts(MemoryScope scope, Random random, Shape shape) {
        float[] values = new float[(int) shape.size()];
        for (int i = 0; i < values.length; i++) {
            int v = random.nextInt(6) - 3;
            values[i] = v >= 0 ? v + 1 : v;
        }
        return Tensor.of(scope, values, shape.dims());
    }

    /** Uniform values in [-1, 1): sums round, so they show any dependence on summation order. */
    static Tensor uniform(MemoryScope scope, Random random, Shape shape) {
        float[] values = new float[(int) shape.size()];
        for (int i = 0; i < values.length; i++) values[i] = random.nextFloat() * 2 - 1;
        return Tensor.of(scope, values, shape.dims());
    }

    /** A random permutation of 1..n, scaled: every value distinct, so a maximum is never tied. */
    static Tensor distinct(MemoryScope scope, Random random, Shape shape) {
        int n = (int) shape.size();
        float[] values = new float[n];
        for (int i = 0; i < n; i++) values[i] = (i + 1) * 0.25f - n * 0.125f;
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            float t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
        return Tensor.of(scope, values, shape.dims());
    }

    static double[] doubles(Tensor t) {
        float[] f = t.toFloatArray();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    static float[] floats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }

    static double dot(double[] a, double[] b) {
        assertEquals(a.length, b.length);
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    /**
     * The gradient of {@code L(x) = <dy, f(x)>} by central differences of a double-precision
     * reference {@code f}: exact up to rounding for linear ops, O(h²) for smooth ones.
     */
    static double[] numericGradient(UnaryOperator<double[]> f, double[] x, double[] dy, double h) {
        double[] grad = new double[x.length];
        double[] probe = x.clone();
        for (int i = 0; i < x.length; i++) {
            probe[i] = x[i] + h;
            double plus = dot(dy, f.apply(probe));
            probe[i] = x[i] - h;
            double minus = dot(dy, f.apply(probe));
            probe[i] = x[i];
            grad[i] = (plus - minus) / (2 * h);
        }
        return grad;
    }

    /** |actual - expected| <= tol · (1 + |expected|) element-wise, naming the first miss. */
    static void assertClose(double[] expected, float[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(actual[i] - expected[i]);
            assertTrue(err <= tol * (1 + Math.abs(expected[i])), what + ": element " + i + " is " + actual[i]
                    + ", expected " + expected[i] + " (error " + err + ")");
        }
    }

    static void assertMostlyNonZero(float[] values, String what) {
        int nonZero = 0;
        for (float v : values) {
            if (v != 0) nonZero++;
        }
        assertTrue(nonZero * 2 > values.length, what + ": only " + nonZero + " of " + values.length
                + " outputs are non-zero; the test would not catch a dropped term");
    }

    static void assertMessage(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' should contain '" + part + "'");
        }
    }
}
