package dev.panamax.backend.purejava;

import static dev.panamax.backend.purejava.OpTestSupport.assertClose;
import static dev.panamax.backend.purejava.OpTestSupport.assertRejects;
import static dev.panamax.backend.purejava.OpTestSupport.numericGradient;
import static dev.panamax.backend.purejava.OpTestSupport.tensor;
import static dev.panamax.backend.purejava.OpTestSupport.toDouble;
import static dev.panamax.backend.purejava.OpTestSupport.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Layer norm forward against a double reference, backward against central differences. */
class LayerNormTest {
    private static final float EPS = 1e-3f;

    static Stream<Named<ParallelRunner>> runners() {
        return OpTestSupport.runners();
    }

    @ParameterizedTest
    @MethodSource("runners")
    void forwardMatchesReference(ParallelRunner par) {
        for (long[] dims : new long[][] {{4, 3, 8}, {6}, {300, 257}}) {
            try (MemoryScope scope = MemoryScope.open("ln")) {
                int n = (int) Shape.of(dims).size();
                int cols = (int) dims[dims.length - 1];
                int rows = n / cols;
                Random r = new Random(n);
                float[] x = uniform(r, n, -3, 5);
                float[] g = uniform(r, cols, 0.5, 1.5);
                float[] b = uniform(r, cols, -1, 1);
                Tensor dst = Tensor.zeros(scope, dims);
                Tensor mean = Tensor.zeros(scope, Arrays.copyOf(dims, dims.length - 1)); // src's shape without its last axis
                Tensor var = Tensor.zeros(scope, rows); // or flat: both are allowed
                JavaLayerNorm.forward(par, tensor(scope, x, dims), tensor(scope, g, cols), tensor(scope, b, cols), EPS, dst,
                        mean, var);
                double[][] ref = reference(toDouble(x), toDouble(g), toDouble(b), cols);
                assertClose(ref[0], dst.toFloatArray(), 1e-6, 1e-6, "dst " + Arrays.toString(dims));
                assertClose(ref[1], mean.toFloatArray(), 1e-6, 1e-7, "mean");
                assertClose(ref[2], var.toFloatArray(), 1e-6, 1e-7, "variance");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("runners")
    void backwardMatchesCentralDifferences(ParallelRunner par) {
        for (long[] dims : new long[][] {{3, 2, 7}, {5}, {3000, 24}}) {
            try (MemoryScope scope = MemoryScope.open("ln")) {
                int n = (int) Shape.of(dims).size();
                int cols = (int) dims[dims.length - 1];
                int rows = n / cols;
                Random r = new Random(n + 5);
                float[] x = uniform(r, n, -2, 2);
                float[] g = uniform(r, cols, 0.5, 1.5);
                float[] b = uniform(r, cols, -1, 1);
                float[] w = uniform(r, n, -1, 1);
                Tensor src = tensor(scope, x, dims);
                Tensor gamma = tensor(scope, g, cols);
                Tensor mean = Tensor.zeros(scope, rows);
                Tensor var = Tensor.zeros(scope, rows);
                JavaLayerNorm.forward(par, src, gamma, tensor(scope, b, cols), EPS, Tensor.zeros(scope, dims), mean, var);
                Tensor diffSrc = Tensor.zeros(scope, dims);
                Tensor diffGamma = Tensor.zeros(scope, cols);
                Tensor diffBeta = Tensor.zeros(scope, cols);
                JavaLayerNorm.backward(par, src, tensor(scope, w, dims), gamma, mean, var, EPS, diffSrc, diffGamma,
                        diffBeta);

                double[] xd = toDouble(x);
                double[] gd = toDouble(g);
                double[] bd = toDouble(b);
                double[] wd = toDouble(w);
                double h = 1e-4;
                if (n > 10_000) { // rows are independent: differentiate a few rows on their own
                    for (int row : new int[] {0, rows / 2, rows - 1}) {
                        double[] xr = Arrays.copyOfRange(xd, row * cols, (row + 1) * cols);
                        double[] wr = Arrays.copyOfRange(wd, row * cols, (row + 1) * cols);
                        double[] expected = numericGradient(xr, v -> loss(v, gd, bd, wr, cols), h);
                        float[] got = Arrays.copyOfRange(diffSrc.toFloatArray(), row * cols, (row + 1) * cols);
                        assertClose(expected, got, 1e-3, 1e-5, "diffSrc row " + row);
                    }
                } else {
                    assertClose(numericGradient(xd, v -> loss(v, gd, bd, wd, cols), h), diffSrc.toFloatArray(), 1e-3, 1e-5,
                            "diffSrc");
                }
                assertClose(numericGradient(gd, v -> loss(xd, v, bd, wd, cols), h), diffGamma.toFloatArray(), 1e-4, 1e-4,
                        "diffGamma");
                assertClose(numericGradient(bd, v -> loss(xd, gd, v, wd, cols), h), diffBeta.toFloatArray(), 1e-4, 1e-4,
                        "diffBeta");
            }
        }
    }

    @Test
    void parallelAndSerialGradientsAreIdentical() {
        int rows = 5000;
        int cols = 33;
        float[][] results = new float[2][];
        ParallelRunner[] runners = {ParallelRunner.SERIAL, OpTestSupport.PARALLEL};
        for (int k = 0; k < 2; k++) {
            try (MemoryScope scope = MemoryScope.open("ln")) {
                Random r = new Random(1);
                Tensor src = tensor(scope, uniform(r, rows * cols, -2, 2), rows, cols);
                Tensor gamma = tensor(scope, uniform(r, cols, 0.5, 1.5), cols);
                Tensor mean = Tensor.zeros(scope, rows);
                Tensor var = Tensor.zeros(scope, rows);
                JavaLayerNorm.forward(runners[k], src, gamma, Tensor.zeros(scope, cols), EPS, Tensor.zeros(scope, rows, cols),
                        mean, var);
                Tensor diffGamma = Tensor.zeros(scope, cols);
                JavaLayerNorm.backward(runners[k], src, tensor(scope, uniform(r, rows * cols, -1, 1), rows, cols), gamma,
                        mean, var, EPS, Tensor.zeros(scope, rows, cols), diffGamma, Tensor.zeros(scope, cols));
                results[k] = diffGamma.toFloatArray();
            }
        }
        assertArrayEquals(results[0], results[1]);
    }

    @Test
    void badShapesAndEpsilonAreRejected() {
        ParallelRunner s = ParallelRunner.SERIAL;
        try (MemoryScope scope = MemoryScope.open("bad")) {
            Tensor src = Tensor.zeros(scope, 4, 6);
            Tensor g6 = Tensor.zeros(scope, 6);
            Tensor b6 = Tensor.zeros(scope, 6);
            assertRejects(() -> JavaLayerNorm.forward(s, src, Tensor.zeros(scope, 4), b6, EPS, Tensor.zeros(scope, 4, 6),
                    Tensor.zeros(scope, 4), Tensor.zeros(scope, 4)), "layerNormForward", "gamma must be [6]",
                    "gamma=float32[4]");
            assertRejects(() -> JavaLayerNorm.forward(s, src, g6, b6, EPS, Tensor.zeros(scope, 4, 6),
                    Tensor.zeros(scope, 6), Tensor.zeros(scope, 4)), "layerNormForward", "mean must be [4] or [4]",
                    "mean=float32[6]");
            assertRejects(() -> JavaLayerNorm.forward(s, src, g6, b6, -1f, Tensor.zeros(scope, 4, 6),
                    Tensor.zeros(scope, 4), Tensor.zeros(scope, 4)), "layerNormForward", "Received: epsilon=-1.0");
            assertRejects(() -> JavaLayerNorm.forward(s, src, g6, b6, EPS, src, Tensor.zeros(scope, 4),
                    Tensor.zeros(scope, 4)), "layerNormForward", "dst overlaps src");
            assertRejects(() -> JavaLayerNorm.backward(s, src, Tensor.zeros(scope, 4, 6), g6, Tensor.zeros(scope, 4),
                    Tensor.zeros(scope, 4), EPS, Tensor.zeros(scope, 4, 6), Tensor.zeros(scope, 5), Tensor.zeros(scope, 6)),
                    "layerNormBackward", "diffGamma must have gamma's shape [6]", "diffGamma=float32[5]");
        }
    }

    // ---- reference ------------------------------------------------------------------------

    /** {dst, mean, variance} in double. */
    static double[][] reference(double[] x, double[] g, double[] b, int cols) {
        int rows = x.length / cols;
        double[] y = new double[x.length];
        double[] mean = new double[rows];
        double[] var = new double[rows];
        for (int r = 0; r < rows; r++) {
            double mu = 0;
            for (int i = 0; i < cols; i++) mu += x[r * cols + i];
            mu /= cols;
            double v = 0;
            for (int i = 0; i < cols; i++) v += (x[r * cols + i] - mu) * (x[r * cols + i] - mu);
            v /= cols;
            mean[r] = mu;
            var[r] = v;
            for (int i = 0; i < cols; i++) y[r * cols + i] = g[i] * (x[r * cols + i] - mu) / Math.sqrt(v + EPS) + b[i];
        }
        return new double[][] {y, mean, var};
    }

    private static double loss(double[] x, double[] g, double[] b, double[] w, int cols) {
        return ElementwiseOpsTest.dot(w, reference(x, g, b, cols)[0]);
    }
}
