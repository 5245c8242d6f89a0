package dev.panamax.backend.purejava;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.ComputeThreads;
import dev.panamax.backend.Backends;
import dev.panamax.backend.Conv2dSpec;
import dev.panamax.tensor.DType;
import dev.panamax.tensor.Layout;
import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Java backend against references computed in double straight from the definitions.
 * Inputs are seeded small non-zero integers (after benchdnn), so every float sum is exact and
 * results must match bit for bit.
 */
class JavaBackendTest {
    private static final JavaBackend BACKEND = new JavaBackend();
    private static int savedThreads;

    static List<int[]> matmulShapes() { // {m, n, k}
        return List.of(new int[] {1, 1, 1}, new int[] {7, 13, 5}, new int[] {65, 33, 129},
                new int[] {128, 256, 64}, new int[] {300, 270, 520});
    }

    static List<String> convDescriptors() {
        return List.of(
                "n1_c1h5w5_oc1k3s1p0",
                "n2_c3h7w9_oc5k3s2p1",
                "n3_c4h8w8_oc6k1s1p0",
                "n1_c3h5w5_oc2k1s3p0",           // stride larger than the kernel
                "n2_c6h9w7_oc4k3s1p1g2_b",       // groups and bias
                "n1_c8h10w10_oc8k3s1p2d2g8",     // depthwise, dilated
                "n1_c2h6w5_oc3kh3kw2sh2sw1pt1pl0pb0pr1_b", // everything asymmetric
                "n2_c40h20w17_oc12k5s1p2_b",     // K = 1000 spans several kernel blocks
                "n1_c4h24w24_oc16k3s1p1g2");     // 576 pixels span several tiles
    }

    @BeforeAll
    static void saveThreads() {
        savedThreads = ComputeThreads.get();
    }

    @AfterAll
    static void restoreThreads() {
        ComputeThreads.set(savedThreads);
        BACKEND.close();
    }

    // ---------------------------------------------------------------- matmul

    @ParameterizedTest
    @MethodSource("matmulShapes")
    void matmulMatchesTheDefinitionForEveryTranspose(int[] mnk) {
        int m = mnk[0], n = mnk[1], k = mnk[2];
        Random random = new Random(m * 31L + n * 7L + k);
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                String what = m + "x" + n + "x" + k + " ta=" + ta + " tb=" + tb;
                try (MemoryScope scope = MemoryScope.open("matmul")) {
                    Tensor a = randomTensor(scope, random, ta ? Shape.of(k, m) : Shape.of(m, k));
                    Tensor b = randomTensor(scope, random, tb ? Shape.of(n, k) : Shape.of(k, n));
                    Tensor dst = Tensor.zeros(scope, m, n);
                    dst.fill(Float.NaN); // dst is overwritten, never accumulated into
                    float[] expected = referenceMatmul(a.toFloatArray(), ta, b.toFloatArray(), tb, m, n, k);
                    for (int threads : new int[] {1, 3}) {
                        ComputeThreads.set(threads);
                        BACKEND.matmul(a, ta, b, tb, dst);
                        assertArrayEquals(expected, dst.toFloatArray(), what + " threads=" + threads);
                    }
                    assertMostlyNonZero(expected, what);
                }
            }
        }
    }

    private static float[] referenceMatmul(float[] a, boolean ta, float[] b, boolean tb, int m, int n, int k) {
        float[] c = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    double x = ta ? a[p * m + i] : a[i * k + p];
                    double y = tb ? b[j * k + p] : b[p * n + j];
                    sum += x * y;
                }
                c[i * n + j] = (float) sum;
            }
        }
        return c;
    }

    @Test
    void matmulRejectsMismatchedShapesNamingThem() {
        try (MemoryScope scope = MemoryScope.open("bad")) {
            Tensor a = Tensor.zeros(scope, 3, 4);
            Tensor b = Tensor.zeros(scope, 5, 6);
            Tensor dst = Tensor.zeros(scope, 3, 6);
            var e = assertThrows(IllegalArgumentException.class, () -> BACKEND.matmul(a, false, b, false, dst));
            assertMessage(e, "matmul", "[3, 4]", "[5, 6]");
            Tensor b2 = Tensor.zeros(scope, 4, 6);
            Tensor wrongDst = Tensor.zeros(scope, 6, 3);
            e = assertThrows(IllegalArgumentException.class, () -> BACKEND.matmul(a, false, b2, false, wrongDst));
            assertMessage(e, "matmul", "[3, 4]", "[4, 6]", "[6, 3]");
            e = assertThrows(IllegalArgumentException.class, () -> BACKEND.matmul(a, true, b2, false, dst));
            assertMessage(e, "matmul", "[3, 4]", "[4, 6]");
        }
    }

    @Test
    void matmulRejectsADstThatOverlapsAnOperand() {
        try (MemoryScope scope = MemoryScope.open("alias")) {
            Tensor a = Tensor.zeros(scope, 4, 4);
            Tensor b = Tensor.zeros(scope, 4, 4);
            var e = assertThrows(IllegalArgumentException.class, () -> BACKEND.matmul(a, false, b, false, a));
            assertMessage(e, "matmul", "overlaps");
        }
    }

    @Test
    void matmulOnAClosedScopeThrowsIllegalState() {
        MemoryScope closed = MemoryScope.open("closed");
        Tensor a = Tensor.zeros(closed, 2, 2);
        closed.close();
        try (MemoryScope scope = MemoryScope.open("open")) {
            Tensor b = Tensor.zeros(scope, 2, 2);
            Tensor dst = Tensor.zeros(scope, 2, 2);
            assertThrows(IllegalStateException.class, () -> BACKEND.matmul(a, false, b, false, dst));
            assertThrows(IllegalStateException.class, () -> BACKEND.matmul(b, false, b, false, a));
        }
    }

    // ---------------------------------------------------------------- conv2d

    @ParameterizedTest
    @MethodSource("convDescriptors")
    void conv2dMatchesTheDefinition(String descriptor) {
        Conv2dSpec spec = Conv2dSpec.parse(descriptor);
        Random random = new Random(descriptor.hashCode());
        try (MemoryScope scope = MemoryScope.open("conv")) {
            Tensor src = randomTensor(scope, random, spec.srcShape());
            Tensor weights = randomTensor(scope, random, spec.weightsShape());
            Tensor bias = spec.hasBias() ? randomTensor(scope, random, spec.biasShape()) : null;
            Tensor dst = Tensor.zeros(scope, DType.FLOAT32, spec.dstShape());
            dst.fill(Float.NaN);
            float[] expected = referenceConv2d(spec, src.toFloatArray(), weights.toFloatArray(),
                    bias == null ? null : bias.toFloatArray());
            for (int threads : new int[] {1, 2, 3}) {
                ComputeThreads.set(threads);
                BACKEND.conv2dForward(spec, src, weights, bias, dst);
                assertArrayEquals(expected, dst.toFloatArray(), descriptor + " threads=" + threads);
            }
            Tensor packed = BACKEND.conv2dPackWeights(spec, weights, scope);
            assertEquals(spec.weightsShape(), packed.shape());
            dst.fill(Float.NaN);
            BACKEND.conv2dForward(spec, src, packed, bias, dst);
            assertArrayEquals(expected, dst.toFloatArray(), descriptor + " with packed weights");
            assertMostlyNonZero(expected, descriptor);
        }
    }

    /** dst[n][oh][ow][oc], straight from the definition of a grouped, dilated, padded convolution. */
    private static float[] referenceConv2d(Conv2dSpec s, float[] src, float[] wei, float[] bia) {
        int batch = (int) s.batch(), inH = (int) s.inHeight(), inW = (int) s.inWidth(), inC = (int) s.inChannels();
        int outH = (int) s.outHeight(), outW = (int) s.outWidth(), outC = (int) s.outChannels();
        int kh = (int) s.kernelHeight(), kw = (int) s.kernelWidth(), groups = (int) s.groups();
        int cig = inC / groups, og = outC / groups;
        float[] dst = new float[batch * outH * outW * outC];
        for (int n = 0; n < batch; n++) {
            for (int oh = 0; oh < outH; oh++) {
                for (int ow = 0; ow < outW; ow++) {
                    for (int oc = 0; oc < outC; oc++) {
                        int g = oc / og;
                        double sum = bia == null ? 0 : bia[oc];
                        for (int r = 0; r < kh; r++) {
                            for (int c = 0; c < kw; c++) {
                                long ih = oh * s.strideHeight() - s.padTop() + r * s.dilationHeight();
                                long iw = ow * s.strideWidth() - s.padLeft() + c * s.dilationWidth();
                                if (ih < 0 || ih >= inH || iw < 0 || iw >= inW) continue;
                                for (int ci = 0; ci < cig; ci++) {
                                    double x = src[(int) (((n * inH + ih) * inW + iw) * inC + g * cig + ci)];
                                    double w = wei[((r * kw + c) * cig + ci) * outC + oc];
                                    sum += x * w;
                                }
                            }
                        }
                        dst[((n * outH + oh) * outW + ow) * outC + oc] = (float) sum;
                    }
                }
            }
        }
        return dst;
    }

    @Test
    void conv2dRejectsMismatchedShapesNamingThem() {
        Conv2dSpec spec = Conv2dSpec.parse("n2_c3h7w9_oc5k3s2p1");
        try (MemoryScope scope = MemoryScope.open("bad")) {
            Tensor weights = Tensor.zeros(scope, DType.FLOAT32, spec.weightsShape());
            Tensor dst = Tensor.zeros(scope, DType.FLOAT32, spec.dstShape());
            Tensor wrongSrc = Tensor.zeros(scope, 2, 7, 9, 4);
            var e = assertThrows(IllegalArgumentException.class,
                    () -> BACKEND.conv2dForward(spec, wrongSrc, weights, null, dst));
            assertMessage(e, "conv2d", "[2, 7, 9, 4]", "[2, 7, 9, 3]");

            Tensor src = Tensor.zeros(scope, DType.FLOAT32, spec.srcShape());
            Tensor wrongWeights = Tensor.zeros(scope, 3, 3, 5, 3);
            e = assertThrows(IllegalArgumentException.class,
                    () -> BACKEND.conv2dForward(spec, src, wrongWeights, null, dst));
            assertMessage(e, "conv2d", "[3, 3, 5, 3]", "[3, 3, 3, 5]");
            e = assertThrows(IllegalArgumentException.class,
                    () -> BACKEND.conv2dPackWeights(spec, wrongWeights, scope));
            assertMessage(e, "conv2d", "[3, 3, 5, 3]", "[3, 3, 3, 5]");

            Tensor wrongDst = Tensor.zeros(scope, 2, 4, 5, 4);
            e = assertThrows(IllegalArgumentException.class,
                    () -> BACKEND.conv2dForward(spec, src, weights, null, wrongDst));
            assertMessage(e, "conv2d", "[2, 4, 5, 4]", "[2, 4, 5, 5]");

            Tensor bias = Tensor.zeros(scope, 5);
            e = assertThrows(IllegalArgumentException.class,
                    () -> BACKEND.conv2dForward(spec, src, weights, bias, dst));
            assertMessage(e, "conv2d", "bias");
        }
    }

    @Test
    void conv2dRejectsWeightsPackedByAnotherBackend() {
        Conv2dSpec spec = Conv2dSpec.parse("n1_c1h5w5_oc1k3s1p0");
        try (MemoryScope scope = MemoryScope.open("packed")) {
            Layout foreign = Layout.backendPacked("native", "conv2d:" + spec.descriptor());
            Tensor weights = Tensor.packed(scope, DType.FLOAT32, spec.weightsShape(), foreign, 4096);
            Tensor src = Tensor.zeros(scope, DType.FLOAT32, spec.srcShape());
            Tensor dst = Tensor.zeros(scope, DType.FLOAT32, spec.dstShape());
            var e = assertThrows(IllegalArgumentException.class,
                    () -> BACKEND.conv2dForward(spec, src, weights, null, dst));
            assertMessage(e, "conv2d", foreign.name(), "packed by another backend");
        }
    }

    @Test
    void conv2dOnAClosedScopeThrowsIllegalState() {
        Conv2dSpec spec = Conv2dSpec.parse("n1_c1h5w5_oc1k3s1p0");
        MemoryScope closed = MemoryScope.open("closed");
        Tensor closedWeights = Tensor.zeros(closed, DType.FLOAT32, spec.weightsShape());
        closed.close();
        try (MemoryScope scope = MemoryScope.open("open")) {
            Tensor src = Tensor.zeros(scope, DType.FLOAT32, spec.srcShape());
            Tensor dst = Tensor.zeros(scope, DType.FLOAT32, spec.dstShape());
            assertThrows(IllegalStateException.class,
                    () -> BACKEND.conv2dForward(spec, src, closedWeights, null, dst));
            assertThrows(IllegalStateException.class,
                    () -> BACKEND.conv2dPackWeights(spec, closedWeights, scope));
        }
    }

    @ParameterizedTest
    @MethodSource("convDescriptors")
    void descriptorsRoundTrip(String descriptor) {
        Conv2dSpec spec = Conv2dSpec.parse(descriptor);
        assertEquals(spec, Conv2dSpec.parse(spec.descriptor()));
        assertEquals(descriptor, spec.descriptor(), "descriptors in this test are already in shortest form");
    }

    // ---------------------------------------------------------------- the backend as a whole

    @Test
    void isRegisteredAsJava() {
        assertEquals("java", BACKEND.name());
        assertInstanceOf(JavaBackend.class, Backends.get("java"));
        assertEquals("java", new JavaBackendProvider().name());
    }

    @Test
    void staysUsableAfterCloseAndAThreadCountChange() {
        JavaBackend backend = new JavaBackend();
        try (MemoryScope scope = MemoryScope.open("reuse")) {
            Random random = new Random(5);
            Tensor a = randomTensor(scope, random, Shape.of(200, 300));
            Tensor b = randomTensor(scope, random, Shape.of(300, 400));
            Tensor dst = Tensor.zeros(scope, 200, 400);
            float[] expected = referenceMatmul(a.toFloatArray(), false, b.toFloatArray(), false, 200, 400, 300);
            ComputeThreads.set(2);
            backend.matmul(a, false, b, false, dst);
            backend.close();
            ComputeThreads.set(4);
            backend.matmul(a, false, b, false, dst);
            assertArrayEquals(expected, dst.toFloatArray());
        } finally {
            backend.close();
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Values in -3..3 without 0: products and their sums stay exact in float. */
    private static Tensor randomTensor(MemoryScope scope, Random random, Shape shape) {
        float[] values = new float[(int) shape.size()];
        for (int i = 0; i < values.length; i++) {
            int v = random.nextInt(6) - 3;
            values[i] = v >= 0 ? v + 1 : v;
        }
        return Tensor.of(scope, values, shape.dims());
    }

    private static void assertMostlyNonZero(float[] values, String what) {
        int nonZero = 0;
        for (float v : values) {
            if (v != 0) nonZero++;
        }
        assertTrue(nonZero * 2 > values.length, what + ": only " + nonZero + " of " + values.length
                + " outputs are non-zero; the test would not catch a dropped term");
    }

    private static void assertMessage(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' should contain '" + part + "'");
        }
    }
}
