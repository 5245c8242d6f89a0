package dev.panamax.backend.purejava;

import static dev.panamax.backend.purejava.TestTensors.assertClose;
import static dev.panamax.backend.purejava.TestTensors.assertMessage;
import static dev.panamax.backend.purejava.TestTensors.assertMostlyNonZero;
import static dev.panamax.backend.purejava.TestTensors.doubles;
import static dev.panamax.backend.purejava.TestTensors.floats;
import static dev.panamax.backend.purejava.TestTensors.numericGradient;
import static dev.panamax.backend.purejava.TestTensors.smallInts;
import static dev.panamax.backend.purejava.TestTensors.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.panamax.ComputeThreads;
import dev.panamax.backend.Activation;
import dev.panamax.backend.PostOps;
import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** gemm with alpha and beta, batched matmul, and the dense layer, forward and backward. */
class JavaGemmDenseTest {
    private static final JavaBackend BACKEND = new JavaBackend();
    private static int savedThreads;

    @BeforeAll
    static void saveThreads() {
        savedThreads = ComputeThreads.get();
    }

    @AfterAll
    static void restoreThreads() {
        ComputeThreads.set(savedThreads);
        BACKEND.close();
    }

    @Test
    void gemmScalesAndAccumulates() {
        int m = 70, n = 300, k = 33;
        Random random = new Random(3);
        try (MemoryScope scope = MemoryScope.open("gemm")) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    Tensor a = smallInts(scope, random, ta ? Shape.of(k, m) : Shape.of(m, k));
                    Tensor b = smallInts(scope, random, tb ? Shape.of(n, k) : Shape.of(k, n));
                    Tensor c = smallInts(scope, random, Shape.of(m, n));
                    double[] ab = ReferenceOps.matmul(doubles(a), ta, doubles(b), tb, m, n, k);
                    double[] old = doubles(c);
                    // Powers of two keep every product exact.
                    float alpha = 0.5f, beta = -2f;
                    double[] expected = new double[ab.length];
                    for (int i = 0; i < ab.length; i++) expected[i] = alpha * ab[i] + beta * old[i];
                    for (int threads : new int[] {1, 3}) {
                        ComputeThreads.set(threads);
                        Tensor dst = Tensor.of(scope, c.toFloatArray(), m, n);
                        BACKEND.gemm(a, ta, b, tb, alpha, beta, dst);
                        String what = "ta=" + ta + " tb=" + tb + " threads=" + threads;
                        assertArrayEquals(floats(expected), dst.toFloatArray(), what);
                        dst.fill(Float.NaN); // beta 0 ignores dst, NaN included
                        BACKEND.gemm(a, ta, b, tb, alpha, 0f, dst);
                        double[] scaled = new double[ab.length];
                        for (int i = 0; i < ab.length; i++) scaled[i] = alpha * ab[i];
                        assertArrayEquals(floats(scaled), dst.toFloatArray(), what + " beta=0");
                    }
                    assertMostlyNonZero(floats(expected), "gemm");
                }
            }
        }
    }

    /**
     * The gradients of {@code L = <dy, op(a)·op(b)>} written as gemms with transposes, as layers
     * compute them, against central differences: da = dy·op(b)ᵀ (transposed back when a is),
     * db = op(a)ᵀ·dy (likewise).
     */
    @Test
    void gemmTransposesComposeIntoGradients() {
        int m = 5, n = 7, k = 6;
        Random random = new Random(11);
        try (MemoryScope scope = MemoryScope.open("gemm grad")) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    Tensor a = uniform(scope, random, ta ? Shape.of(k, m) : Shape.of(m, k));
                    Tensor b = uniform(scope, random, tb ? Shape.of(n, k) : Shape.of(k, n));
                    Tensor dy = uniform(scope, random, Shape.of(m, n));
                    double[] ad = doubles(a), bd = doubles(b), dyd = doubles(dy);
                    double[] ga = numericGradient(v -> ReferenceOps.matmul(v, ta, bd, tb, m, n, k), ad, dyd, 1e-2);
                    double[] gb = numericGradient(v -> ReferenceOps.matmul(ad, ta, v, tb, m, n, k), bd, dyd, 1e-2);
                    Tensor da = Tensor.zeros(scope, a.shape().dims());
                    Tensor db = Tensor.zeros(scope, b.shape().dims());
                    if (!ta) BACKEND.matmul(dy, false, b, !tb, da);  // [m,n]·op(b)ᵀ
                    else BACKEND.matmul(b, tb, dy, true, da);        // (dy·op(b)ᵀ)ᵀ = op(b)·dyᵀ
                    if (!tb) BACKEND.matmul(a, !ta, dy, false, db);  // op(a)ᵀ·dy
                    else BACKEND.matmul(dy, true, a, ta, db);        // (op(a)ᵀ·dy)ᵀ = dyᵀ·op(a)
                    assertClose(ga, da.toFloatArray(), 1e-5, "da ta=" + ta + " tb=" + tb);
                    assertClose(gb, db.toFloatArray(), 1e-5, "db ta=" + ta + " tb=" + tb);
                }
            }
        }
    }

    @Test
    void batchedMatmulMultipliesEachPair() {
        int batch = 3, m = 9, n = 300, k = 17;
        Random random = new Random(5);
        try (MemoryScope scope = MemoryScope.open("batched")) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    Tensor a = smallInts(scope, random, ta ? Shape.of(batch, k, m) : Shape.of(batch, m, k));
                    Tensor b = smallInts(scope, random, tb ? Shape.of(batch, n, k) : Shape.of(batch, k, n));
                    Tensor dst = Tensor.zeros(scope, batch, m, n);
                    dst.fill(Float.NaN);
                    BACKEND.batchedMatmul(a, ta, b, tb, dst);
                    float[] av = a.toFloatArray(), bv = b.toFloatArray(), got = dst.toFloatArray();
                    for (int i = 0; i < batch; i++) {
                        double[] ai = doubles(Tensor.of(scope, java.util.Arrays.copyOfRange(av, i * m * k, (i + 1) * m * k), m * k));
                        double[] bi = doubles(Tensor.of(scope, java.util.Arrays.copyOfRange(bv, i * k * n, (i + 1) * k * n), k * n));
                        float[] expected = floats(ReferenceOps.matmul(ai, ta, bi, tb, m, n, k));
                        assertArrayEquals(expected, java.util.Arrays.copyOfRange(got, i * m * n, (i + 1) * m * n),
                                "batch " + i + " ta=" + ta + " tb=" + tb);
                    }
                    assertMostlyNonZero(got, "batched");
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void denseForwardAppliesBiasThenActivation(Activation act) {
        int n = 13, in = 40, out = 270;
        Random random = new Random(act.ordinal());
        PostOps post = PostOps.of(act);
        try (MemoryScope scope = MemoryScope.open("dense")) {
            Tensor x = smallInts(scope, random, Shape.of(n, in));
            Tensor kernel = smallInts(scope, random, Shape.of(in, out));
            Tensor bias = smallInts(scope, random, Shape.of(out));
            Tensor dst = Tensor.zeros(scope, n, out);
            double[] pre = ReferenceOps.dense(doubles(x), doubles(kernel), doubles(bias), n, in, out,
                    Activation.LINEAR, 0);
            float[] expected = new float[pre.length];
            for (int i = 0; i < pre.length; i++) expected[i] = (float) act.apply(pre[i], post.alpha());
            BACKEND.denseForward(x, kernel, bias, post, dst);
            assertArrayEquals(expected, dst.toFloatArray(), act.toString());
            assertMostlyNonZero(floats(pre), "dense");
            BACKEND.denseForward(x, kernel, null, PostOps.NONE, dst);
            assertArrayEquals(floats(ReferenceOps.matmul(doubles(x), false, doubles(kernel), false, n, out, in)),
                    dst.toFloatArray(), "no bias");
        }
    }

    @Test
    void denseBackwardMatchesCentralDifferences() {
        int n = 4, in = 6, out = 5;
        Random random = new Random(9);
        try (MemoryScope scope = MemoryScope.open("dense grad")) {
            Tensor x = uniform(scope, random, Shape.of(n, in));
            Tensor kernel = uniform(scope, random, Shape.of(in, out));
            Tensor bias = uniform(scope, random, Shape.of(out));
            Tensor dy = uniform(scope, random, Shape.of(n, out));
            double[] xd = doubles(x), kd = doubles(kernel), bd = doubles(bias), dyd = doubles(dy);
            double h = 1e-2;
            double[] gx = numericGradient(v -> ReferenceOps.dense(v, kd, bd, n, in, out, Activation.LINEAR, 0), xd, dyd, h);
            double[] gk = numericGradient(v -> ReferenceOps.dense(xd, v, bd, n, in, out, Activation.LINEAR, 0), kd, dyd, h);
            double[] gb = numericGradient(v -> ReferenceOps.dense(xd, kd, v, n, in, out, Activation.LINEAR, 0), bd, dyd, h);
            Tensor dx = Tensor.zeros(scope, n, in);
            Tensor dk = Tensor.zeros(scope, in, out);
            Tensor db = Tensor.zeros(scope, out);
            BACKEND.denseBackward(x, kernel, dy, dx, dk, db);
            assertClose(gx, dx.toFloatArray(), 1e-5, "diffX");
            assertClose(gk, dk.toFloatArray(), 1e-5, "diffKernel");
            assertClose(gb, db.toFloatArray(), 1e-5, "diffBias");
            dk.fill(Float.NaN);
            BACKEND.denseBackward(x, kernel, dy, null, dk, null); // the optional outputs are skipped
            assertClose(gk, dk.toFloatArray(), 1e-5, "diffKernel alone");
        }
    }

    @Test
    void badShapesAreNamed() {
        try (MemoryScope scope = MemoryScope.open("bad")) {
            Tensor a = Tensor.zeros(scope, 2, 3, 4);
            Tensor b = Tensor.zeros(scope, 2, 5, 6);
            Tensor dst = Tensor.zeros(scope, 2, 3, 6);
            var e = assertThrows(IllegalArgumentException.class, () -> BACKEND.batchedMatmul(a, false, b, false, dst));
            assertMessage(e, "batched_matmul", "[2, 3, 4]", "[2, 5, 6]", "[2, 3, 6]");
            Tensor b3 = Tensor.zeros(scope, 3, 4, 6);
            e = assertThrows(IllegalArgumentException.class, () -> BACKEND.batchedMatmul(a, false, b3, false, dst));
            assertMessage(e, "batched_matmul", "batch", "[3, 4, 6]");

            Tensor x = Tensor.zeros(scope, 8, 3);
            Tensor kernel = Tensor.zeros(scope, 4, 5);
            Tensor out = Tensor.zeros(scope, 8, 5);
            e = assertThrows(IllegalArgumentException.class,
                    () -> BACKEND.denseForward(x, kernel, null, PostOps.NONE, out));
            assertMessage(e, "dense", "[8, 3]", "[4, 5]", "[8, 5]");
            Tensor kernel2 = Tensor.zeros(scope, 3, 5);
            Tensor bias = Tensor.zeros(scope, 4);
            e = assertThrows(IllegalArgumentException.class,
                    () -> BACKEND.denseForward(x, kernel2, bias, PostOps.NONE, out));
            assertMessage(e, "dense", "bias", "[4]", "[5]");
            e = assertThrows(IllegalArgumentException.class,
                    () -> BACKEND.denseForward(x, kernel2, null, PostOps.NONE.withSum(), out));
            assertMessage(e, "dense", "sum");
            Tensor wrongDk = Tensor.zeros(scope, 5, 3);
            e = assertThrows(IllegalArgumentException.class,
                    () -> BACKEND.denseBackward(x, kernel2, out, null, wrongDk, null));
            assertMessage(e, "dense_backward", "diffKernel", "[5, 3]", "[3, 5]", "[8, 3]", "[8, 5]");
            e = assertThrows(IllegalArgumentException.class,
                    () -> BACKEND.denseBackward(x, kernel2, out, null, null, null));
            assertMessage(e, "dense_backward", "diffKernel");
        }
    }
}
