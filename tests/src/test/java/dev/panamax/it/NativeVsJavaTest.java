package dev.panamax.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.backend.Backend;
import dev.panamax.backend.Backends;
import dev.panamax.backend.Conv2dSpec;
import dev.panamax.backend.Activation;
import dev.panamax.backend.PostOps;
import dev.panamax.backend.nativecpu.GemmEngine;
import dev.panamax.backend.nativecpu.NativeBackend;
import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The native backend agrees with the Java backend (the specification) within 1e-4. */
class NativeVsJavaTest {
    private static final double TOLERANCE = 1e-4;

    static Stream<Arguments> matmulShapes() {
        int[][] mnk = {{1, 1, 1}, {7, 13, 5}, {65, 33, 129}, {128, 256, 64}, {3, 1000, 17}};
        return Stream.of(mnk).flatMap(s -> Stream.of(
                Arguments.of(s[0], s[1], s[2], false, false), Arguments.of(s[0], s[1], s[2], true, false),
                Arguments.of(s[0], s[1], s[2], false, true), Arguments.of(s[0], s[1], s[2], true, true)));
    }

    @ParameterizedTest(name = "m{0} n{1} k{2} ta={3} tb={4}")
    @MethodSource("matmulShapes")
    void matmulAgrees(int m, int n, int k, boolean ta, boolean tb) {
        Backend nat = Backends.get("native");
        Backend java = Backends.get("java");
        try (MemoryScope scope = MemoryScope.open("matmul")) {
            Tensor a = TestData.smallIntegers(scope, ta ? Shape.of(k, m) : Shape.of(m, k), 1, 3);
            Tensor b = TestData.smallIntegers(scope, tb ? Shape.of(n, k) : Shape.of(k, n), 2, 3);
            Tensor expected = Tensor.zeros(scope, m, n);
            Tensor actual = Tensor.zeros(scope, m, n);
            actual.fill(Float.NaN); // dst is overwritten, not accumulated
            java.matmul(a, ta, b, tb, expected);
            nat.matmul(a, ta, b, tb, actual);
            float[] e = expected.toFloatArray();
            assertEquals(0, TestData.maxRelativeError(actual.toFloatArray(), e), TOLERANCE);
            if (k > 1) assertTrue(TestData.nonZeroFraction(e) > 0.5, "inputs give mostly zeros");
        }
    }

    /** Every GEMM engine gives the Java result: transposes, accumulation, dense layers and batches. */
    @ParameterizedTest
    @EnumSource(GemmEngine.class)
    void everyGemmEngineAgrees(GemmEngine engine) {
        NativeBackend nat = (NativeBackend) Backends.get("native");
        Backend java = Backends.get("java");
        try (MemoryScope scope = MemoryScope.open("engines")) {
            nat.gemmEngine(engine);
            assertEquals(engine, nat.gemmEngine());
            // Small (OpenBLAS on the calling thread under AUTO) and large (oneDNN under AUTO) products.
            for (int[] mnk : new int[][] {{7, 13, 5}, {96, 130, 70}}) {
                int m = mnk[0], n = mnk[1], k = mnk[2];
                for (boolean ta : new boolean[] {false, true}) {
                    for (boolean tb : new boolean[] {false, true}) {
                        Tensor a = TestData.smallIntegers(scope, ta ? Shape.of(k, m) : Shape.of(m, k), 1, 3);
                        Tensor b = TestData.smallIntegers(scope, tb ? Shape.of(n, k) : Shape.of(k, n), 2, 3);
                        Tensor acc = TestData.smallIntegers(scope, Shape.of(m, n), 3, 3);
                        Tensor expected = Tensor.zeros(scope, m, n);
                        Tensor actual = Tensor.zeros(scope, m, n);
                        expected.copyFrom(acc.toFloatArray());
                        actual.copyFrom(acc.toFloatArray());
                        java.gemm(a, ta, b, tb, 0.5f, 1f, expected);
                        nat.gemm(a, ta, b, tb, 0.5f, 1f, actual);
                        String what = engine + " m" + m + " n" + n + " k" + k + " ta=" + ta + " tb=" + tb;
                        assertEquals(0, TestData.maxRelativeError(actual.toFloatArray(), expected.toFloatArray()),
                                TOLERANCE, what);
                        actual.fill(Float.NaN); // beta 0 ignores dst, NaN included
                        nat.matmul(a, ta, b, tb, actual);
                        java.matmul(a, ta, b, tb, expected);
                        assertEquals(0, TestData.maxRelativeError(actual.toFloatArray(), expected.toFloatArray()),
                                TOLERANCE, what + " beta=0");
                    }
                }
            }
            Tensor x = TestData.smallIntegers(scope, Shape.of(64, 80), 4, 2);
            Tensor kernel = TestData.smallIntegers(scope, Shape.of(80, 72), 5, 2);
            Tensor bias = TestData.smallIntegers(scope, Shape.of(72), 6, 2);
            Tensor expected = Tensor.zeros(scope, 64, 72);
            Tensor actual = Tensor.zeros(scope, 64, 72);
            java.denseForward(x, kernel, bias, PostOps.of(Activation.RELU), expected);
            nat.denseForward(x, kernel, bias, PostOps.of(Activation.RELU), actual);
            assertEquals(0, TestData.maxRelativeError(actual.toFloatArray(), expected.toFloatArray()), TOLERANCE,
                    engine + " dense");
            for (int[] bmnk : new int[][] {{12, 8, 16, 24}, {3, 70, 60, 80}}) {
                Tensor qa = TestData.smallIntegers(scope, Shape.of(bmnk[0], bmnk[1], bmnk[3]), 7, 2);
                Tensor qb = TestData.smallIntegers(scope, Shape.of(bmnk[0], bmnk[2], bmnk[3]), 8, 2);
                Tensor be = Tensor.zeros(scope, bmnk[0], bmnk[1], bmnk[2]);
                Tensor ba = Tensor.zeros(scope, bmnk[0], bmnk[1], bmnk[2]);
                java.batchedMatmul(qa, false, qb, true, be);
                nat.batchedMatmul(qa, false, qb, true, ba);
                assertEquals(0, TestData.maxRelativeError(ba.toFloatArray(), be.toFloatArray()), TOLERANCE,
                        engine + " batched " + Arrays.toString(bmnk));
            }
        } finally {
            nat.gemmEngine(GemmEngine.AUTO);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.panamax.it.OpShapes#convs")
    void conv2dForwardAgrees(String descriptor) {
        Conv2dSpec spec = Conv2dSpec.parse(descriptor);
        Backend nat = Backends.get("native");
        Backend java = Backends.get("java");
        try (MemoryScope scope = MemoryScope.open("conv")) {
            Tensor src = TestData.smallIntegers(scope, spec.srcShape(), 3, 2);
            Tensor wei = TestData.smallIntegers(scope, spec.weightsShape(), 4, 2);
            Tensor bias = spec.hasBias() ? TestData.smallIntegers(scope, spec.biasShape(), 5, 4) : null;
            Tensor expected = Tensor.zeros(scope, spec.dstShape().dims());
            java.conv2dForward(spec, src, java.conv2dPackWeights(spec, wei, scope), bias, expected);

            Tensor packed = nat.conv2dPackWeights(spec, wei, scope);
            assertFalse(packed.layout().isRowMajor(), "oneDNN chose its own weight layout");
            Tensor actual = Tensor.zeros(scope, spec.dstShape().dims());
            actual.fill(Float.NaN);
            nat.conv2dForward(spec, src, packed, bias, actual);
            float[] e = expected.toFloatArray();
            assertEquals(0, TestData.maxRelativeError(actual.toFloatArray(), e), TOLERANCE, descriptor);
            assertTrue(TestData.nonZeroFraction(e) > 0.5, "inputs give mostly zeros for " + descriptor);

            Tensor fromPlain = Tensor.zeros(scope, spec.dstShape().dims());
            nat.conv2dForward(spec, src, wei, bias, fromPlain); // unpacked weights are packed on the fly
            assertEquals(0, TestData.maxRelativeError(fromPlain.toFloatArray(), e), TOLERANCE, descriptor);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"n2_c64h56w56_oc64k3s1p1", "n4_c32h28w28_oc64k3s1p1_b", "n8_c1h28w28_oc32k3s1p0_b"})
    void convolutionsUseAnOptimizedKernelNotTheReference(String descriptor) {
        NativeBackend nat = (NativeBackend) Backends.get("native");
        String impl = nat.conv2dImplementation(Conv2dSpec.parse(descriptor));
        assertFalse(impl.startsWith("ref"), descriptor + " runs on oneDNN's reference kernel: " + impl);
    }
}
