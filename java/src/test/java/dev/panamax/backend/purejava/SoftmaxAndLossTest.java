package dev.panamax.backend.purejava;

import static dev.panamax.backend.purejava.OpTestSupport.assertClose;
import static dev.panamax.backend.purejava.OpTestSupport.assertRejects;
import static dev.panamax.backend.purejava.OpTestSupport.numericGradient;
import static dev.panamax.backend.purejava.OpTestSupport.tensor;
import static dev.panamax.backend.purejava.OpTestSupport.toDouble;
import static dev.panamax.backend.purejava.OpTestSupport.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.panamax.tensor.DType;
import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Softmax, log-softmax and the fused cross-entropy against double references and central differences. */
class SoftmaxAndLossTest {
    static Stream<Named<ParallelRunner>> runners() {
        return OpTestSupport.runners();
    }

    static Stream<Arguments> softmaxCases() {
        List<Arguments> cases = new ArrayList<>();
        OpTestSupport.runners().forEach(r -> {
            for (boolean log : new boolean[] {false, true}) {
                cases.add(Arguments.of(r, log, new long[] {4, 7}));
                cases.add(Arguments.of(r, log, new long[] {2, 3, 5}));
                cases.add(Arguments.of(r, log, new long[] {9}));
                cases.add(Arguments.of(r, log, new long[] {300, 257})); // parallel rows
            }
        });
        return cases.stream();
    }

    @ParameterizedTest(name = "log={1} {2} {0}")
    @MethodSource("softmaxCases")
    void softmaxForwardMatchesReference(ParallelRunner par, boolean log, long[] dims) {
        try (MemoryScope scope = MemoryScope.open("softmax")) {
            int n = (int) Shape.of(dims).size();
            int cols = (int) dims[dims.length - 1];
            float[] x = uniform(new Random(n), n, -20, 20);
            x[0] = 1000; // stability: a huge logit must not overflow
            Tensor src = tensor(scope, x, dims);
            Tensor dst = Tensor.zeros(scope, dims);
            JavaSoftmax.forward(par, src, log, dst);
            assertClose(referenceSoftmax(toDouble(x), cols, log), dst.toFloatArray(), 3e-7, 1e-30, "softmax");
        }
    }

    @Test
    void minusInfinityIsMaskedOut() {
        try (MemoryScope scope = MemoryScope.open("inf")) {
            float inf = Float.NEGATIVE_INFINITY;
            Tensor src = tensor(scope, new float[] {0, inf, 0, inf, 3, inf}, 2, 3);
            Tensor dst = Tensor.zeros(scope, 2, 3);
            JavaSoftmax.forward(ParallelRunner.SERIAL, src, false, dst);
            assertArrayEquals(new float[] {0.5f, 0, 0.5f, 0, 1, 0}, dst.toFloatArray());
            JavaSoftmax.forward(ParallelRunner.SERIAL, src, true, dst);
            assertArrayEquals(new float[] {(float) -Math.log(2), inf, (float) -Math.log(2), inf, 0, inf},
                    dst.toFloatArray());
        }
    }

    @ParameterizedTest(name = "log={1} {2} {0}")
    @MethodSource("softmaxCases")
    void softmaxBackwardMatchesCentralDifferences(ParallelRunner par, boolean log, long[] dims) {
        if (Shape.of(dims).size() > 10_000) dims = new long[] {3, 70_000 / 3 + 1}; // big rows, fewer differences
        try (MemoryScope scope = MemoryScope.open("softmax")) {
            int n = (int) Shape.of(dims).size();
            int cols = (int) dims[dims.length - 1];
            Random r = new Random(n + 1);
            float[] x = uniform(r, n, -3, 3);
            float[] w = uniform(r, n, -1, 1);
            Tensor src = tensor(scope, x, dims);
            Tensor dst = Tensor.zeros(scope, dims);
            Tensor diffSrc = Tensor.zeros(scope, dims);
            JavaSoftmax.forward(par, src, log, dst);
            JavaSoftmax.backward(par, dst, tensor(scope, w, dims), log, diffSrc);
            double[] wd = toDouble(w);
            float[] got = diffSrc.toFloatArray();
            if (n > 1000) { // long rows: central differences at sampled coordinates of each row
                int[] sampled = sampledCoordinates(n, cols);
                double[] expected = rowwiseGradient(toDouble(x), wd, cols, log, sampled);
                float[] gotSampled = new float[sampled.length];
                for (int i = 0; i < sampled.length; i++) gotSampled[i] = got[sampled[i]];
                assertClose(expected, gotSampled, 1e-4, 1e-6, "softmax backward (sampled)");
                return;
            }
            double[] expected = numericGradient(toDouble(x), v -> ElementwiseOpsTest.dot(wd, referenceSoftmax(v, cols, log)),
                    1e-4);
            assertClose(expected, got, 1e-4, 1e-6, "softmax backward");
        }
    }

    static Stream<Arguments> crossEntropyCases() {
        List<Arguments> cases = new ArrayList<>();
        OpTestSupport.runners().forEach(r -> {
            for (boolean sparse : new boolean[] {false, true}) {
                cases.add(Arguments.of(r, sparse, 5, 7));
                cases.add(Arguments.of(r, sparse, 700, 100)); // parallel rows
            }
        });
        return cases.stream();
    }

    @ParameterizedTest(name = "sparse={1} {2}x{3} {0}")
    @MethodSource("crossEntropyCases")
    void crossEntropyLossAndGradient(ParallelRunner par, boolean sparse, int rows, int cols) {
        try (MemoryScope scope = MemoryScope.open("xent")) {
            Random r = new Random(rows * 31 + cols);
            float[] z = uniform(r, rows * cols, -5, 5);
            double[] y = new double[rows * cols];
            Tensor labels;
            if (sparse) {
                labels = Tensor.zeros(scope, DType.INT32, Shape.of(rows));
                for (int i = 0; i < rows; i++) {
                    int label = r.nextInt(cols);
                    labels.setInt(label, i);
                    y[i * cols + label] = 1;
                }
            } else {
                float[] p = new float[rows * cols];
                double[] sm = referenceSoftmax(toDouble(uniform(r, rows * cols, -2, 2)), cols, false);
                for (int i = 0; i < p.length; i++) {
                    p[i] = (float) sm[i];
                    y[i] = p[i];
                }
                labels = tensor(scope, p, rows, cols);
            }
            float gradScale = 1f / rows;
            Tensor logits = tensor(scope, z, rows, cols);
            Tensor losses = Tensor.zeros(scope, rows);
            Tensor diff = Tensor.zeros(scope, rows, cols);
            JavaSoftmax.crossEntropy(par, logits, labels, losses, diff, gradScale);

            double[] refLoss = new double[rows];
            for (int i = 0; i < rows; i++) refLoss[i] = rowLoss(toDouble(z), y, i, cols);
            assertClose(refLoss, losses.toFloatArray(), 1e-6, 1e-6, "losses");

            // diffLogits = d/dz of gradScale · Σ losses: central differences row by row (rows are independent).
            double[] expected = new double[rows * cols];
            double[] zd = toDouble(z);
            double h = 1e-4;
            for (int i = 0; i < rows * cols; i++) {
                int row = i / cols;
                double keep = zd[i];
                zd[i] = keep + h;
                double up = rowLoss(zd, y, row, cols);
                zd[i] = keep - h;
                double down = rowLoss(zd, y, row, cols);
                zd[i] = keep;
                expected[i] = gradScale * (up - down) / (2 * h);
            }
            assertClose(expected, diff.toFloatArray(), 1e-4, 1e-7, "diffLogits");

            Tensor lossesOnly = Tensor.zeros(scope, rows);
            JavaSoftmax.crossEntropy(par, logits, labels, lossesOnly, null, gradScale);
            assertArrayEquals(losses.toFloatArray(), lossesOnly.toFloatArray(), "without diffLogits");
        }
    }

    @Test
    void badLabelsAndShapesAreRejectedBeforeAnyWrite() {
        ParallelRunner s = ParallelRunner.SERIAL;
        try (MemoryScope scope = MemoryScope.open("bad")) {
            Tensor logits = Tensor.zeros(scope, 4, 5);
            Tensor labels = Tensor.zeros(scope, DType.INT32, Shape.of(4));
            labels.setInt(5, 2);
            Tensor losses = tensor(scope, new float[] {7, 7, 7, 7}, 4);
            assertRejects(() -> JavaSoftmax.crossEntropy(s, logits, labels, losses, null, 1f),
                    "softmaxCrossEntropy", "label 5 at row 2", "outside [0, 5)", "logits=float32[4, 5]");
            assertArrayEquals(new float[] {7, 7, 7, 7}, losses.toFloatArray(), "nothing written");
            labels.setInt(-1, 2);
            assertRejects(() -> JavaSoftmax.crossEntropy(s, logits, labels, losses, null, 1f), "label -1 at row 2");
            assertRejects(() -> JavaSoftmax.crossEntropy(s, logits, Tensor.zeros(scope, DType.INT32, Shape.of(3)), losses,
                    null, 1f), "int32 labels", "must be [4]", "labels=int32[3]");
            assertRejects(() -> JavaSoftmax.crossEntropy(s, logits, Tensor.zeros(scope, 4, 6), losses, null, 1f),
                    "float32 labels", "labels=float32[4, 6]");
            assertRejects(() -> JavaSoftmax.crossEntropy(s, logits, Tensor.zeros(scope, 4, 5), losses,
                    Tensor.zeros(scope, 5, 4), 1f), "diffLogits must have logits' shape", "diffLogits=float32[5, 4]");
            assertRejects(() -> JavaSoftmax.crossEntropy(s, logits, Tensor.zeros(scope, 4, 5), losses, null, Float.NaN),
                    "gradScale=NaN");
            assertRejects(() -> JavaSoftmax.forward(s, logits, false, Tensor.zeros(scope, 5, 4)),
                    "softmaxForward", "src=float32[4, 5]", "dst=float32[5, 4]");
            assertRejects(() -> JavaSoftmax.forward(s, logits, true, logits), "softmaxForward (log)", "dst overlaps src");
            assertRejects(() -> JavaSoftmax.backward(s, logits, Tensor.zeros(scope, 4, 5), false, Tensor.zeros(scope, 20)),
                    "softmaxBackward", "diffSrc=float32[20]");
        }
    }

    // ---- references -----------------------------------------------------------------------

    static double[] referenceSoftmax(double[] x, int cols, boolean log) {
        double[] out = new double[x.length];
        for (int r = 0; r < x.length / cols; r++) {
            double m = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < cols; i++) m = Math.max(m, x[r * cols + i]);
            double s = 0;
            for (int i = 0; i < cols; i++) s += Math.exp(x[r * cols + i] - m);
            for (int i = 0; i < cols; i++) {
                double v = x[r * cols + i] - m - Math.log(s);
                out[r * cols + i] = log ? v : Math.exp(v);
            }
        }
        return out;
    }

    private static int[] sampledCoordinates(int n, int cols) {
        int step = Math.max(1, cols / 40);
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < n; i += step) idx.add(i);
        return idx.stream().mapToInt(Integer::intValue).toArray();
    }

    /** d/dx_i of Σ w·softmax(x) at coordinates {@code at}, by central differences of x_i's row alone. */
    private static double[] rowwiseGradient(double[] x, double[] w, int cols, boolean log, int[] at) {
        double[] g = new double[at.length];
        for (int k = 0; k < at.length; k++) {
            int r = at[k] / cols;
            int i = at[k] % cols;
            double[] row = Arrays.copyOfRange(x, r * cols, (r + 1) * cols);
            double[] wr = Arrays.copyOfRange(w, r * cols, (r + 1) * cols);
            row[i] += 1e-4;
            double up = ElementwiseOpsTest.dot(wr, referenceSoftmax(row, cols, log));
            row[i] -= 2e-4;
            double down = ElementwiseOpsTest.dot(wr, referenceSoftmax(row, cols, log));
            g[k] = (up - down) / 2e-4;
        }
        return g;
    }

    /** -Σ y · log_softmax(z) of one row, in double. */
    private static double rowLoss(double[] z, double[] y, int row, int cols) {
        double[] zr = Arrays.copyOfRange(z, row * cols, (row + 1) * cols);
        double[] ls = referenceSoftmax(zr, cols, true);
        double loss = 0;
        for (int i = 0; i < cols; i++) loss -= y[row * cols + i] * ls[i];
        return loss;
    }

    @Test
    void referenceSoftmaxSumsToOne() {
        double[] p = referenceSoftmax(new double[] {1, 2, 3}, 3, false);
        assertEquals(1.0, p[0] + p[1] + p[2], 1e-15);
    }
}
