package dev.panamax.backend.purejava;

import static dev.panamax.backend.purejava.OpTestSupport.assertClose;
import static dev.panamax.backend.purejava.OpTestSupport.assertRejects;
import static dev.panamax.backend.purejava.OpTestSupport.numericGradient;
import static dev.panamax.backend.purejava.OpTestSupport.smallInts;
import static dev.panamax.backend.purejava.OpTestSupport.tensor;
import static dev.panamax.backend.purejava.OpTestSupport.toDouble;
import static dev.panamax.backend.purejava.OpTestSupport.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.backend.Activation;
import dev.panamax.backend.BinaryOp;
import dev.panamax.backend.DropoutRandom;
import dev.panamax.backend.ReduceOp;
import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Activations, binary ops, affine, reductions and dropout against double references. */
class ElementwiseOpsTest {
    private static final float ALPHA = 0.3f;

    static Stream<Named<ParallelRunner>> runners() {
        return OpTestSupport.runners();
    }

    static Stream<Arguments> activationCases() {
        List<Arguments> cases = new ArrayList<>();
        OpTestSupport.runners().forEach(r -> {
            for (Activation a : Activation.values()) {
                cases.add(Arguments.of(r, a, 37));
                cases.add(Arguments.of(r, a, 70_001)); // above the parallel threshold, not a multiple of a block
            }
        });
        return cases.stream();
    }

    // ---- activations ----------------------------------------------------------------------

    @ParameterizedTest(name = "{1} n={2} {0}")
    @MethodSource("activationCases")
    void activationForwardMatchesDefinition(ParallelRunner par, Activation act, int n) {
        try (MemoryScope scope = MemoryScope.open("act")) {
            float[] x = uniform(new Random(n + act.ordinal()), n, -5, 5);
            Tensor src = tensor(scope, x, n);
            Tensor dst = Tensor.zeros(scope, n);
            JavaActivations.forward(par, act, ALPHA, src, dst);
            double[] ref = new double[n];
            for (int i = 0; i < n; i++) ref[i] = act.apply(x[i], ALPHA);
            assertClose(ref, dst.toFloatArray(), 2e-7, 1e-12, act + " forward");

            JavaActivations.forward(par, act, ALPHA, src, src); // in place
            assertArrayEquals(dst.toFloatArray(), src.toFloatArray(), act + " in place");
        }
    }

    @ParameterizedTest(name = "{1} n={2} {0}")
    @MethodSource("activationCases")
    void activationBackwardMatchesCentralDifferences(ParallelRunner par, Activation act, int n) {
        try (MemoryScope scope = MemoryScope.open("act")) {
            Random r = new Random(7 * n + act.ordinal());
            float[] x = uniform(r, n, -4, 4);
            for (int i = 0; i < n; i++) {
                if (Math.abs(x[i]) < 0.05f) x[i] += 0.1f; // away from the kinks at 0
            }
            float[] w = uniform(r, n, -1, 1);
            Tensor src = tensor(scope, x, n);
            Tensor diffDst = tensor(scope, w, n);
            Tensor diffSrc = Tensor.zeros(scope, n);
            JavaActivations.backward(par, act, ALPHA, src, diffDst, diffSrc);
            // d/dx_i of sum_j w_j f(x_j) by central differences of the definition, element by element.
            double h = 1e-4;
            double[] ref = new double[n];
            for (int i = 0; i < n; i++) {
                ref[i] = w[i] * (act.apply(x[i] + h, ALPHA) - act.apply(x[i] - h, ALPHA)) / (2 * h);
            }
            assertClose(ref, diffSrc.toFloatArray(), 1e-5, 1e-6, act + " backward");

            JavaActivations.backward(par, act, ALPHA, src, diffDst, diffDst); // in place into diffDst
            assertArrayEquals(diffSrc.toFloatArray(), diffDst.toFloatArray(), act + " backward in place");
        }
    }

    @Test
    void geluKeepsRelativeAccuracyInTheLeftTail() {
        // Phi(x) from erfc in double (Python's math.erfc): 1 + erf(x) would have cancelled.
        double[][] cases = {{-5, 2.866515718791946e-07}, {-8, 6.220960574271819e-16},
                {-12, 1.776482112077702e-33}, {-1.5, 0.06680720126885809}, {0.3, 0.6179114221889526}};
        for (double[] c : cases) {
            assertEquals(c[1], GeluMath.cdf(c[0]), 1e-12 * c[1], "Phi(" + c[0] + ")");
        }
        assertEquals(Double.NaN, GeluMath.gelu(Double.NaN));
        assertEquals(50.0, GeluMath.gelu(50.0));
    }

    // ---- binary ---------------------------------------------------------------------------

    static Stream<Arguments> binaryCases() {
        long[][][] shapes = {
                {{3, 5}, {3, 5}},          // same shape
                {{4, 5}, {5}},             // bias
                {{2, 3, 5}, {1, 3, 5}},    // bias with a leading 1
                {{2, 3}, {}},              // scalar
                {{2, 3}, {1}},
                {{5}, {4, 5}},             // a repeats
                {{2, 3, 4}, {3, 1}},       // general
                {{4, 1}, {1, 5}},          // outer product
                {{2, 1, 4}, {3, 1}},
                {{6, 1, 8}, {7, 1}},
                {{300, 257}, {257}},       // parallel periodic
                {{257}, {300, 257}},
                {{300, 240}, {300, 1}},    // parallel general: per-row scalar
                {{3, 1, 5000}, {1, 7, 1}}, // rows longer than a block
                {{70_000}, {70_000}},      // parallel same shape
                {{2, 1_048_579}, {1_048_579}}, // a period too long to tile: read per block, wrapping
        };
        List<Arguments> cases = new ArrayList<>();
        OpTestSupport.runners().forEach(r -> {
            for (long[][] s : shapes) {
                for (BinaryOp op : BinaryOp.values()) cases.add(Arguments.of(r, op, s[0], s[1]));
            }
        });
        return cases.stream();
    }

    @ParameterizedTest(name = "{1} {2} {3} {0}")
    @MethodSource("binaryCases")
    void binaryBroadcastsLikeNumPy(ParallelRunner par, BinaryOp op, long[] aDims, long[] bDims) {
        try (MemoryScope scope = MemoryScope.open("binary")) {
            Random r = new Random(Arrays.hashCode(aDims) * 31 + Arrays.hashCode(bDims));
            Shape as = Shape.of(aDims);
            Shape bs = Shape.of(bDims);
            float[] a = uniform(r, (int) as.size(), -3, 3);
            float[] b = uniform(r, (int) bs.size(), 0.5, 3); // away from 0 for DIV
            Tensor ta = tensor(scope, a, aDims);
            Tensor tb = tensor(scope, b, bDims);
            long[] outDims = broadcast(aDims, bDims);
            Tensor dst = Tensor.zeros(scope, outDims);
            JavaBinaryOps.binary(par, op, ta, tb, dst);
            double[] ref = referenceBinary(op, a, aDims, b, bDims, outDims);
            for (int i = 0; i < ref.length; i++) ref[i] = (float) ref[i];
            // One float op: rounding the double result is exact, so results match bit for bit.
            assertClose(ref, dst.toFloatArray(), 0, 0, op + " " + Arrays.toString(aDims) + " " + Arrays.toString(bDims));

            if (Shape.of(outDims).equals(as)) { // in place into a
                JavaBinaryOps.binary(par, op, ta, tb, ta);
                assertArrayEquals(dst.toFloatArray(), ta.toFloatArray(), "in place into a");
            }
        }
    }

    /** Gradients of sum(w · (a op b)) as an autograd computes them: reduce over broadcast axes. */
    @ParameterizedTest(name = "{1} {0}")
    @MethodSource("binaryGradientCases")
    void binaryGradientsViaReduceMatchCentralDifferences(ParallelRunner par, BinaryOp op) {
        long[] aDims = {4, 1, 5};
        long[] bDims = {3, 1};
        long[] outDims = {4, 3, 5};
        try (MemoryScope scope = MemoryScope.open("grad")) {
            Random r = new Random(op.ordinal());
            float[] a = uniform(r, 20, -2, 2);
            float[] b = uniform(r, 3, 0.5, 2);
            float[] w = uniform(r, 60, -1, 1);
            Tensor ta = tensor(scope, a, aDims);
            Tensor tb = tensor(scope, b, bDims);
            Tensor tw = tensor(scope, w, outDims);
            Tensor gaFull = Tensor.zeros(scope, outDims);
            Tensor gbFull = Tensor.zeros(scope, outDims);
            switch (op) {
                case ADD -> {
                    JavaBinaryOps.affine(par, tw, 1, 0, gaFull);
                    JavaBinaryOps.affine(par, tw, 1, 0, gbFull);
                }
                case SUB -> {
                    JavaBinaryOps.affine(par, tw, 1, 0, gaFull);
                    JavaBinaryOps.affine(par, tw, -1, 0, gbFull);
                }
                case MUL -> {
                    JavaBinaryOps.binary(par, BinaryOp.MUL, tw, tb, gaFull);
                    JavaBinaryOps.binary(par, BinaryOp.MUL, tw, ta, gbFull);
                }
                case DIV -> { // d/da = w / b, d/db = -w · a / b²
                    JavaBinaryOps.binary(par, BinaryOp.DIV, tw, tb, gaFull);
                    Tensor t = Tensor.zeros(scope, outDims);
                    JavaBinaryOps.binary(par, BinaryOp.DIV, gaFull, tb, t);
                    JavaBinaryOps.binary(par, BinaryOp.MUL, t, ta, gbFull);
                    JavaBinaryOps.affine(par, gbFull, -1, 0, gbFull);
                }
                default -> throw new IllegalStateException(op.toString());
            }
            Tensor ga = Tensor.zeros(scope, aDims);
            Tensor gb = Tensor.zeros(scope, 1, 3, 1); // b aligned to rank 3, axes kept
            JavaReductions.reduce(par, ReduceOp.SUM, gaFull, new int[] {1}, ga);
            JavaReductions.reduce(par, ReduceOp.SUM, gbFull, new int[] {0, -1}, gb);

            double[] wd = toDouble(w);
            ToDoubleFunction<double[]> lossOfA = x -> dot(wd, referenceBinary(op, x, aDims, toDouble(b), bDims, outDims));
            ToDoubleFunction<double[]> lossOfB = y -> dot(wd, referenceBinary(op, toDouble(a), aDims, y, bDims, outDims));
            assertClose(numericGradient(toDouble(a), lossOfA, 1e-4), ga.toFloatArray(), 1e-4, 1e-5, op + " dL/da");
            assertClose(numericGradient(toDouble(b), lossOfB, 1e-4), gb.toFloatArray(), 1e-4, 1e-5, op + " dL/db");
        }
    }

    static Stream<Arguments> binaryGradientCases() {
        List<Arguments> cases = new ArrayList<>();
        OpTestSupport.runners().forEach(r -> {
            for (BinaryOp op : new BinaryOp[] {BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.DIV}) {
                cases.add(Arguments.of(r, op));
            }
        });
        return cases.stream();
    }

    @ParameterizedTest
    @MethodSource("runners")
    void affineScalesAndShifts(ParallelRunner par) {
        try (MemoryScope scope = MemoryScope.open("affine")) {
            int n = 100_003;
            float[] x = uniform(new Random(3), n, -10, 10);
            Tensor src = tensor(scope, x, n);
            Tensor dst = Tensor.zeros(scope, n);
            JavaBinaryOps.affine(par, src, -1.5f, 0.25f, dst);
            double[] ref = new double[n];
            for (int i = 0; i < n; i++) ref[i] = -1.5 * x[i] + 0.25;
            assertClose(ref, dst.toFloatArray(), 2.5e-7, 1e-7, "affine");
            JavaBinaryOps.affine(par, src, -1.5f, 0.25f, src);
            assertArrayEquals(dst.toFloatArray(), src.toFloatArray(), "affine in place");
        }
    }

    // ---- reduce ---------------------------------------------------------------------------

    static Stream<Arguments> reduceCases() {
        Object[][] shapes = {
                {new long[] {2, 3, 4}, new int[] {}},
                {new long[] {2, 3, 4}, new int[] {0}},
                {new long[] {2, 3, 4}, new int[] {1}},
                {new long[] {2, 3, 4}, new int[] {-1}},
                {new long[] {2, 3, 4}, new int[] {2, 0}},
                {new long[] {2, 3, 4}, new int[] {1, 2}},
                {new long[] {2, 3, 4}, new int[] {0, 1, 2}},
                {new long[] {2, 1, 4}, new int[] {1}},
                {new long[] {3, 1, 1, 5}, new int[] {0, 3}},
                {new long[] {2000, 100}, new int[] {0}},      // few outputs, rows split into parts
                {new long[] {100, 2000}, new int[] {1}},      // many contiguous rows
                {new long[] {2, 300_000}, new int[] {1}},     // long rows split into parts
                {new long[] {1000, 300}, new int[] {0, 1}},   // everything
                {new long[] {50, 40, 60}, new int[] {0, 2}},
                {new long[] {40, 50, 60}, new int[] {1}},
                {new long[] {5, 300, 3000}, new int[] {1}},
                {new long[] {30, 5000}, new int[] {0}},       // kept rows wider than a block
                {new long[] {7, 9000}, new int[] {1}},
        };
        List<Arguments> cases = new ArrayList<>();
        OpTestSupport.runners().forEach(r -> {
            for (Object[] s : shapes) {
                for (ReduceOp op : ReduceOp.values()) {
                    cases.add(Arguments.of(r, op, s[0], s[1], true));
                    cases.add(Arguments.of(r, op, s[0], s[1], false));
                }
            }
        });
        return cases.stream();
    }

    @ParameterizedTest(name = "{1} {2} axes={3} keep={4} {0}")
    @MethodSource("reduceCases")
    void reduceMatchesReference(ParallelRunner par, ReduceOp op, long[] dims, int[] axes, boolean keepDims) {
        try (MemoryScope scope = MemoryScope.open("reduce")) {
            Shape shape = Shape.of(dims);
            float[] x = smallInts(new Random(shape.hashCode()), (int) shape.size());
            Tensor src = tensor(scope, x, dims);
            boolean[] red = new boolean[dims.length];
            for (int a : axes) red[a < 0 ? a + dims.length : a] = true;
            long[] kept = dims.clone();
            List<Long> squeezed = new ArrayList<>();
            for (int i = 0; i < dims.length; i++) {
                if (red[i]) kept[i] = 1;
                else squeezed.add(dims[i]);
            }
            long[] outDims = keepDims ? kept : squeezed.stream().mapToLong(Long::longValue).toArray();
            Tensor dst = Tensor.zeros(scope, outDims);
            JavaReductions.reduce(par, op, src, axes, dst);
            assertClose(referenceReduce(op, x, dims, red), dst.toFloatArray(), 0, 0,
                    op + " " + Arrays.toString(dims) + " axes " + Arrays.toString(axes));
        }
    }

    @Test
    void reduceMaxPropagatesNaN() {
        try (MemoryScope scope = MemoryScope.open("nan")) {
            Tensor src = tensor(scope, new float[] {1, Float.NaN, 3, 4, 5, 6}, 2, 3);
            Tensor dst = Tensor.zeros(scope, 2);
            JavaReductions.reduce(ParallelRunner.SERIAL, ReduceOp.MAX, src, new int[] {1}, dst);
            assertTrue(Float.isNaN(dst.toFloatArray()[0]));
            assertEquals(6f, dst.toFloatArray()[1]);
        }
    }

    // ---- dropout --------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("runners")
    void dropoutIsReproducibleAndInverted(ParallelRunner par) {
        try (MemoryScope scope = MemoryScope.open("dropout")) {
            int n = 200_001;
            float rate = 0.3f;
            float[] x = uniform(new Random(11), n, -2, 2);
            Tensor src = tensor(scope, x, n);
            Tensor dst = Tensor.zeros(scope, n);
            Tensor mask = Tensor.zeros(scope, n);
            JavaDropout.forward(par, rate, 42L, src, dst, mask);
            float[] m = mask.toFloatArray();
            float[] y = dst.toFloatArray();
            float scale = 1f / (1f - rate);
            int kept = 0;
            for (int i = 0; i < n; i++) {
                boolean keep = DropoutRandom.uniform(42L, i) >= rate;
                assertEquals(keep ? scale : 0f, m[i], "mask " + i);
                assertEquals(x[i] * m[i], y[i], "dst " + i);
                if (keep) kept++;
            }
            assertEquals(1 - rate, (double) kept / n, 0.005, "kept fraction");

            Tensor mask2 = Tensor.zeros(scope, n);
            JavaDropout.forward(ParallelRunner.SERIAL, rate, 42L, src, Tensor.zeros(scope, n), mask2);
            assertArrayEquals(m, mask2.toFloatArray(), "same seed, same mask on any runner");
            JavaDropout.forward(par, rate, 43L, src, Tensor.zeros(scope, n), mask2);
            assertTrue(!Arrays.equals(m, mask2.toFloatArray()), "another seed, another mask");

            JavaDropout.forward(par, 0f, 42L, src, src, mask2); // rate 0 in place: identity
            assertArrayEquals(x, src.toFloatArray());
        }
    }

    // ---- bad input ------------------------------------------------------------------------

    @Test
    void badInputIsRejectedWithShapesAndValues() {
        ParallelRunner s = ParallelRunner.SERIAL;
        try (MemoryScope scope = MemoryScope.open("bad")) {
            Tensor a23 = Tensor.zeros(scope, 2, 3);
            Tensor b4 = Tensor.zeros(scope, 4);
            assertRejects(() -> JavaBinaryOps.binary(s, BinaryOp.ADD, a23, b4, Tensor.zeros(scope, 2, 3)),
                    "binary ADD", "[2, 3]", "[4]", "do not broadcast", "axis -1: 3 vs 4");
            assertRejects(() -> JavaBinaryOps.binary(s, BinaryOp.MUL, a23, Tensor.zeros(scope, 3), Tensor.zeros(scope, 3, 2)),
                    "binary MUL", "broadcast shape [2, 3]", "float32[3, 2]");
            Tensor big = Tensor.zeros(scope, 4, 3);
            assertRejects(() -> JavaBinaryOps.binary(s, BinaryOp.ADD, big.slice(0, 2), big.slice(1, 2), big.slice(1, 2)),
                    "binary ADD", "dst overlaps a");
            assertRejects(() -> JavaReductions.reduce(s, ReduceOp.SUM, a23, new int[] {2}, Tensor.zeros(scope, 2)),
                    "reduce SUM", "axis 2 is out of range for rank 2", "float32[2, 3]");
            assertRejects(() -> JavaReductions.reduce(s, ReduceOp.MEAN, a23, new int[] {1, -1}, Tensor.zeros(scope, 2)),
                    "reduce MEAN", "axis 1 is given twice");
            assertRejects(() -> JavaReductions.reduce(s, ReduceOp.MAX, a23, new int[] {0}, Tensor.zeros(scope, 2)),
                    "reduce MAX", "[1, 3] (axes kept) or [3] (axes removed)", "dst=float32[2]");
            assertRejects(() -> JavaActivations.forward(s, Activation.LEAKY_RELU, Float.NaN, a23, a23),
                    "activationForward leaky_relu", "Received: alpha=NaN");
            assertRejects(() -> JavaActivations.forward(s, Activation.RELU, 0, a23, Tensor.zeros(scope, 6)),
                    "activationForward relu", "src=float32[2, 3]", "dst=float32[6]");
            assertRejects(() -> JavaActivations.backward(s, Activation.TANH, 0, a23, Tensor.zeros(scope, 2, 3), a23),
                    "activationBackward tanh", "diffSrc overlaps src");
            assertRejects(() -> JavaActivations.backward(s, Activation.TANH, 0, a23, a23, Tensor.zeros(scope, 3, 2)),
                    "activationBackward tanh", "diffSrc must have src's shape [2, 3]", "diffSrc=float32[3, 2]");
            for (float rate : new float[] {1f, -0.1f, Float.NaN}) {
                assertRejects(() -> JavaDropout.forward(s, rate, 1, a23, Tensor.zeros(scope, 2, 3), Tensor.zeros(scope, 2, 3)),
                        "dropoutForward", "rate must be in [0, 1)", "rate=" + rate);
            }
            assertRejects(() -> JavaDropout.forward(s, 0.5f, 1, a23, Tensor.zeros(scope, 2, 3), a23),
                    "dropoutForward", "mask overlaps src");
        }
        MemoryScope closed = MemoryScope.open("closed");
        Tensor t = Tensor.zeros(closed, 3);
        closed.close();
        assertThrows(IllegalStateException.class, () -> JavaBinaryOps.affine(s, t, 1, 0, t));
    }

    // ---- references -----------------------------------------------------------------------

    static long[] broadcast(long[] a, long[] b) {
        int rank = Math.max(a.length, b.length);
        long[] out = new long[rank];
        for (int i = 1; i <= rank; i++) {
            long x = i <= a.length ? a[a.length - i] : 1;
            long y = i <= b.length ? b[b.length - i] : 1;
            out[rank - i] = Math.max(x, y);
        }
        return out;
    }

    /** The flat index in a tensor of {@code dims} (aligned right) of output coordinates {@code idx}. */
    static int broadcastIndex(long[] dims, long[] idx) {
        int off = 0;
        int shift = idx.length - dims.length;
        for (int i = 0; i < dims.length; i++) {
            off = (int) (off * dims[i] + (dims[i] == 1 ? 0 : idx[i + shift]));
        }
        return off;
    }

    static double[] referenceBinary(BinaryOp op, float[] a, long[] aDims, float[] b, long[] bDims, long[] outDims) {
        return referenceBinary(op, toDouble(a), aDims, toDouble(b), bDims, outDims);
    }

    static double[] referenceBinary(BinaryOp op, double[] a, long[] aDims, double[] b, long[] bDims, long[] outDims) {
        int n = (int) Shape.of(outDims).size();
        double[] out = new double[n];
        long[] idx = new long[outDims.length];
        for (int i = 0; i < n; i++) {
            out[i] = op.apply(a[broadcastIndex(aDims, idx)], b[broadcastIndex(bDims, idx)]);
            for (int d = outDims.length - 1; d >= 0; d--) {
                if (++idx[d] < outDims[d]) break;
                idx[d] = 0;
            }
        }
        return out;
    }

    static double[] referenceReduce(ReduceOp op, float[] x, long[] dims, boolean[] reduced) {
        long[] kept = dims.clone();
        for (int i = 0; i < dims.length; i++) if (reduced[i]) kept[i] = 1;
        int outN = (int) Shape.of(kept).size();
        double[] acc = new double[outN];
        if (op == ReduceOp.MAX) Arrays.fill(acc, Double.NEGATIVE_INFINITY);
        long[] idx = new long[dims.length];
        long count = x.length / outN;
        for (float v : x) {
            int o = broadcastIndex(kept, idx);
            acc[o] = op == ReduceOp.MAX ? Math.max(acc[o], v) : acc[o] + v;
            for (int d = dims.length - 1; d >= 0; d--) {
                if (++idx[d] < dims[d]) break;
                idx[d] = 0;
            }
        }
        if (op == ReduceOp.MEAN) {
            for (int i = 0; i < outN; i++) acc[i] = (float) (acc[i] / count);
        }
        return acc;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
