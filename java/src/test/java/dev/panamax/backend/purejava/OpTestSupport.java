package dev.panamax.backend.purejava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Tensor;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.function.Executable;

/** Shared pieces of the Java op tests: runners, seeded inputs, tolerant comparisons, central differences. */
final class OpTestSupport {
    static final ParallelRunner PARALLEL = (n, body) -> IntStream.range(0, n).parallel().forEach(body);

    private OpTestSupport() {
    }

    /** Every op runs serially and on a parallel stream; results must not differ. */
    static Stream<Named<ParallelRunner>> runners() {
        return Stream.of(Named.of("serial", ParallelRunner.SERIAL), Named.of("parallel", PARALLEL));
    }

    static float[] uniform(Random r, int n, double lo, double hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (lo + (hi - lo) * r.nextDouble());
        return v;
    }

    /** Small integers: float sums of them are exact, so reductions can be compared bit for bit. */
    static float[] smallInts(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = r.nextInt(17) - 8;
        return v;
    }

    static Tensor tensor(MemoryScope scope, float[] values, long... dims) {
        return Tensor.of(scope, values, dims);
    }

    static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) d[i] = v[i];
        return d;
    }

    /** |actual - expected| <= rel·|expected| + abs, element by element. */
    static void assertClose(double[] expected, float[] actual, double rel, double abs, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            if (Double.isNaN(e) && Double.isNaN(a)) continue;
            if (e == a) continue;
            if (!(Math.abs(a - e) <= rel * Math.abs(e) + abs)) {
                fail(what + ": element " + i + " is " + a + ", expected " + e + " (rel " + rel + ", abs " + abs + ")");
            }
        }
    }

    /** Central differences of f at x in double: the gradient a backward pass must match. */
    static double[] numericGradient(double[] x, ToDoubleFunction<double[]> f, double h) {
        double[] g = new double[x.length];
        double[] p = x.clone();
        for (int i = 0; i < x.length; i++) {
            p[i] = x[i] + h;
            double up = f.applyAsDouble(p);
            p[i] = x[i] - h;
            double down = f.applyAsDouble(p);
            p[i] = x[i];
            g[i] = (up - down) / (2 * h);
        }
        return g;
    }

    /** Runs {@code call}, expecting IllegalArgumentException whose message contains every fragment. */
    static IllegalArgumentException assertRejects(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' lacks '" + f + "'");
        }
        return e;
    }
}
