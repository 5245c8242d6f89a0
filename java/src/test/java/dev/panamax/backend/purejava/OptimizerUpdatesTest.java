package dev.panamax.backend.purejava;

import static dev.panamax.backend.purejava.OpTestSupport.assertClose;
import static dev.panamax.backend.purejava.OpTestSupport.assertRejects;
import static dev.panamax.backend.purejava.OpTestSupport.tensor;
import static dev.panamax.backend.purejava.OpTestSupport.toDouble;
import static dev.panamax.backend.purejava.OpTestSupport.uniform;

import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** SGD, Adam(W) and RMSprop against Keras' formulas in double, step by step over three steps. */
class OptimizerUpdatesTest {
    private static final int STEPS = 3;
    private static final double REL = 2e-6;
    private static final double ABS = 1e-7;

    /** {momentum, nesterov, weightDecay} for SGD; the runner; the size (small, and parallel). */
    static Stream<Arguments> sgdCases() {
        List<Arguments> cases = new ArrayList<>();
        OpTestSupport.runners().forEach(r -> {
            for (int n : new int[] {13, 70_001}) {
                cases.add(Arguments.of(r, n, 0f, false, 0f));
                cases.add(Arguments.of(r, n, 0f, false, 0.01f));
                cases.add(Arguments.of(r, n, 0.9f, false, 0f));
                cases.add(Arguments.of(r, n, 0.9f, true, 0f));
                cases.add(Arguments.of(r, n, 0.9f, true, 0.05f));
            }
        });
        return cases.stream();
    }

    @ParameterizedTest(name = "n={1} momentum={2} nesterov={3} wd={4} {0}")
    @MethodSource("sgdCases")
    void sgdFollowsKeras(ParallelRunner par, int n, float momentum, boolean nesterov, float wd) {
        float lr = 0.1f;
        try (MemoryScope scope = MemoryScope.open("sgd")) {
            Random r = new Random(n);
            double[] p = toDouble(uniform(r, n, -1, 1));
            double[] v = new double[n];
            Tensor param = tensor(scope, toFloat(p), n);
            Tensor velocity = momentum != 0 ? Tensor.zeros(scope, n) : null;
            for (int step = 1; step <= STEPS; step++) {
                float[] g = uniform(r, n, -1, 1);
                JavaOptimizers.sgd(par, param, tensor(scope, g, n), velocity, lr, momentum, nesterov, wd);
                for (int i = 0; i < n; i++) {
                    p[i] -= p[i] * wd * lr;
                    if (momentum == 0) {
                        p[i] -= lr * g[i];
                    } else {
                        v[i] = momentum * v[i] - lr * g[i];
                        p[i] += nesterov ? momentum * v[i] - lr * g[i] : v[i];
                    }
                }
                assertClose(p, param.toFloatArray(), REL, ABS, "param after step " + step);
                if (velocity != null) assertClose(v, velocity.toFloatArray(), REL, ABS, "velocity after step " + step);
            }
        }
    }

    static Stream<Arguments> adamCases() {
        List<Arguments> cases = new ArrayList<>();
        OpTestSupport.runners().forEach(r -> {
            for (int n : new int[] {13, 70_001}) {
                cases.add(Arguments.of(r, n, 0f));
                cases.add(Arguments.of(r, n, 0.004f)); // AdamW
            }
        });
        return cases.stream();
    }

    @ParameterizedTest(name = "n={1} wd={2} {0}")
    @MethodSource("adamCases")
    void adamFollowsKeras(ParallelRunner par, int n, float wd) {
        float lr = 0.01f;
        float b1 = 0.9f;
        float b2 = 0.999f;
        float eps = 1e-7f;
        try (MemoryScope scope = MemoryScope.open("adam")) {
            Random r = new Random(n + 1);
            double[] p = toDouble(uniform(r, n, -1, 1));
            double[] m = new double[n];
            double[] v = new double[n];
            Tensor param = tensor(scope, toFloat(p), n);
            Tensor tm = Tensor.zeros(scope, n);
            Tensor tv = Tensor.zeros(scope, n);
            for (int step = 1; step <= STEPS; step++) {
                float[] g = uniform(r, n, -1, 1);
                JavaOptimizers.adam(par, param, tensor(scope, g, n), tm, tv, lr, b1, b2, eps, step, wd);
                // Keras: alpha = lr · sqrt(1 - b2^t) / (1 - b1^t); m += (g - m)(1 - b1); v += (g² - v)(1 - b2).
                double alpha = lr * Math.sqrt(1 - Math.pow(b2, step)) / (1 - Math.pow(b1, step));
                for (int i = 0; i < n; i++) {
                    p[i] -= p[i] * wd * lr;
                    m[i] += (g[i] - m[i]) * (1 - (double) b1);
                    v[i] += ((double) g[i] * g[i] - v[i]) * (1 - (double) b2);
                    p[i] -= m[i] * alpha / (Math.sqrt(v[i]) + eps);
                }
                assertClose(p, param.toFloatArray(), REL, ABS, "param after step " + step);
                assertClose(m, tm.toFloatArray(), REL, ABS, "m after step " + step);
                assertClose(v, tv.toFloatArray(), 1e-5, 1e-9, "v after step " + step);
            }
        }
    }

    static Stream<Arguments> rmspropCases() {
        List<Arguments> cases = new ArrayList<>();
        OpTestSupport.runners().forEach(r -> {
            for (int n : new int[] {13, 70_001}) {
                cases.add(Arguments.of(r, n, 0f, 0f));
                cases.add(Arguments.of(r, n, 0.9f, 0f));
                cases.add(Arguments.of(r, n, 0.9f, 0.01f));
            }
        });
        return cases.stream();
    }

    @ParameterizedTest(name = "n={1} momentum={2} wd={3} {0}")
    @MethodSource("rmspropCases")
    void rmspropFollowsKeras(ParallelRunner par, int n, float momentum, float wd) {
        float lr = 0.01f;
        float rho = 0.9f;
        float eps = 1e-7f;
        try (MemoryScope scope = MemoryScope.open("rmsprop")) {
            Random r = new Random(n + 2);
            double[] p = toDouble(uniform(r, n, -1, 1));
            double[] ms = new double[n];
            double[] mom = new double[n];
            Tensor param = tensor(scope, toFloat(p), n);
            Tensor tms = Tensor.zeros(scope, n);
            Tensor tmom = momentum != 0 ? Tensor.zeros(scope, n) : null;
            for (int step = 1; step <= STEPS; step++) {
                float[] g = uniform(r, n, -1, 1);
                JavaOptimizers.rmsprop(par, param, tensor(scope, g, n), tms, tmom, lr, rho, momentum, eps, wd);
                for (int i = 0; i < n; i++) {
                    p[i] -= p[i] * wd * lr;
                    ms[i] = rho * ms[i] + (1 - (double) rho) * g[i] * g[i];
                    double inc = lr * g[i] / Math.sqrt(ms[i] + eps);
                    if (momentum == 0) {
                        p[i] -= inc;
                    } else {
                        mom[i] = momentum * mom[i] + inc;
                        p[i] -= mom[i];
                    }
                }
                assertClose(p, param.toFloatArray(), REL, ABS, "param after step " + step);
                assertClose(ms, tms.toFloatArray(), 1e-5, 1e-9, "meanSquare after step " + step);
                if (tmom != null) assertClose(mom, tmom.toFloatArray(), 1e-5, 1e-8, "momentum after step " + step);
            }
        }
    }

    @Test
    void badHyperparametersAreRejected() {
        ParallelRunner s = ParallelRunner.SERIAL;
        try (MemoryScope scope = MemoryScope.open("bad")) {
            Tensor p = Tensor.zeros(scope, 4);
            Tensor g = Tensor.zeros(scope, 4);
            assertRejects(() -> JavaOptimizers.sgd(s, p, g, null, 0.1f, 0.9f, false, 0f),
                    "sgdUpdate", "velocity is null but momentum=0.9");
            assertRejects(() -> JavaOptimizers.sgd(s, p, Tensor.zeros(scope, 5), null, 0.1f, 0f, false, 0f),
                    "sgdUpdate", "grad must have param's shape [4]", "grad=float32[5]");
            assertRejects(() -> JavaOptimizers.sgd(s, p, g, null, Float.NaN, 0f, false, 0f),
                    "sgdUpdate", "Received: learningRate=NaN");
            assertRejects(() -> JavaOptimizers.sgd(s, p, p, null, 0.1f, 0f, false, 0f), "sgdUpdate", "param overlaps grad");
            assertRejects(() -> JavaOptimizers.adam(s, p, g, Tensor.zeros(scope, 4), Tensor.zeros(scope, 4), 0.1f, 1f,
                    0.999f, 1e-7f, 1, 0f), "adamUpdate", "beta1 must be in [0, 1)", "beta1=1.0");
            assertRejects(() -> JavaOptimizers.adam(s, p, g, Tensor.zeros(scope, 4), Tensor.zeros(scope, 4), 0.1f, 0.9f,
                    0.999f, 1e-7f, 0, 0f), "adamUpdate", "step=0");
            Tensor m = Tensor.zeros(scope, 4);
            assertRejects(() -> JavaOptimizers.adam(s, p, g, m, m, 0.1f, 0.9f, 0.999f, 1e-7f, 1, 0f),
                    "adamUpdate", "v overlaps m");
            assertRejects(() -> JavaOptimizers.rmsprop(s, p, g, Tensor.zeros(scope, 4), null, 0.1f, 0.9f, 0.5f, 1e-7f, 0f),
                    "rmspropUpdate", "momentumBuffer is null but momentum=0.5");
            assertRejects(() -> JavaOptimizers.rmsprop(s, p, g, Tensor.zeros(scope, 4), null, 0.1f, 0.9f, 0f, -1f, 0f),
                    "rmspropUpdate", "epsilon=-1.0");
        }
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }
}
