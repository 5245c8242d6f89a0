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
import dev.panamax.backend.Conv2dSpec;
import dev.panamax.backend.PostOps;
import dev.panamax.tensor.DType;
import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Tensor;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Convolution forward with post-ops, backward data, weights and bias: exact against the double
 * reference on small integers, against central differences on real values, and bit-identical
 * across thread counts.
 */
class JavaConv2dTest {
    private static final JavaBackend BACKEND = new JavaBackend();
    private static int savedThreads;

    static List<String> descriptors() {
        return List.of(
                "n1_c1h5w5_oc1k3s1p0",
                "n2_c3h7w9_oc5k3s2p1",
                "n1_c3h5w5_oc2k1s3p0",                      // stride larger than the kernel
                "n2_c3h8w7_oc2k2s3p1_b",                    // stride larger than the kernel, padded
                "n2_c6h9w7_oc4k3s1p1g2_b",                  // groups and bias
                "n1_c8h10w10_oc8k3s1p2d2g8_b",              // depthwise, dilated
                "n1_c4h10w9_oc6k3s1p2d2",                   // dilated
                "n1_c2h6w5_oc3kh3kw2sh2sw1pt1pl0pb0pr1_b",  // everything asymmetric
                "n2_c40h20w17_oc12k5s1p2_b",                // K = 1000 spans several GEMM blocks
                "n1_c4h24w24_oc16k3s1p1g2",                 // 576 pixels span several tiles
                "n1_c300h6w6_oc260k1s1p0");                 // channel blocks in every pass
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

    // ---- forward with post-ops -------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("descriptors")
    void forwardAppliesBiasThenSumThenActivation(String descriptor) {
        Conv2dSpec spec = Conv2dSpec.parse(descriptor);
        Random random = new Random(descriptor.hashCode());
        List<PostOps> postOps = List.of(PostOps.of(Activation.RELU), PostOps.of(Activation.RELU).withSum(),
                new PostOps(Activation.LEAKY_RELU, 0.25f, true), PostOps.of(Activation.TANH));
        try (MemoryScope scope = MemoryScope.open("conv")) {
            Tensor src = smallInts(scope, random, spec.srcShape());
            Tensor weights = smallInts(scope, random, spec.weightsShape());
            Tensor bias = spec.hasBias() ? smallInts(scope, random, spec.biasShape()) : null;
            Tensor old = smallInts(scope, random, spec.dstShape());
            double[] conv = ReferenceOps.conv2d(spec, doubles(src), doubles(weights),
                    bias == null ? null : doubles(bias));
            Tensor dst = Tensor.zeros(scope, DType.FLOAT32, spec.dstShape());
            for (PostOps post : postOps) {
                float[] expected = new float[conv.length];
                float[] oldValues = old.toFloatArray();
                for (int i = 0; i < conv.length; i++) {
                    // The sums are exact integers, so float and double agree before the activation.
                    double v = conv[i] + (post.sum() ? oldValues[i] : 0);
                    expected[i] = (float) post.activation().apply((float) v, post.alpha());
                }
                for (int threads : new int[] {1, 3}) {
                    ComputeThreads.set(threads);
                    dst.copyFrom(old.toFloatArray());
                    BACKEND.conv2dForward(spec, post, src, weights, bias, dst);
                    assertArrayEquals(expected, dst.toFloatArray(), descriptor + " " + post + " threads=" + threads);
                }
            }
            assertMostlyNonZero(floats(conv), descriptor); // before ReLU zeroes about half
            Tensor packed = BACKEND.conv2dPackWeights(spec, PostOps.of(Activation.RELU), weights, scope);
            BACKEND.conv2dForward(spec, PostOps.of(Activation.RELU), src, packed, bias, dst);
            float[] relu = new float[conv.length];
            for (int i = 0; i < conv.length; i++) relu[i] = (float) Math.max(conv[i], 0);
            assertArrayEquals(relu, dst.toFloatArray(), descriptor + " with packed weights");
        }
    }

    // ---- backward, exact ------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("descriptors")
    void backwardMatchesTheDefinitionExactly(String descriptor) {
        Conv2dSpec spec = Conv2dSpec.parse(descriptor);
        Random random = new Random(descriptor.hashCode() + 1);
        try (MemoryScope scope = MemoryScope.open("conv backward")) {
            Tensor src = smallInts(scope, random, spec.srcShape());
            Tensor weights = smallInts(scope, random, spec.weightsShape());
            Tensor diffDst = smallInts(scope, random, spec.dstShape());
            float[] expectedData = floats(ReferenceOps.conv2dBackwardData(spec, doubles(diffDst), doubles(weights)));
            float[] expectedWeights = floats(ReferenceOps.conv2dBackwardWeights(spec, doubles(src), doubles(diffDst)));
            float[] expectedBias = floats(ReferenceOps.conv2dBackwardBias(spec, doubles(diffDst)));
            Tensor diffSrc = Tensor.zeros(scope, DType.FLOAT32, spec.srcShape());
            Tensor diffWeights = Tensor.zeros(scope, DType.FLOAT32, spec.weightsShape());
            Tensor diffBias = spec.hasBias() ? Tensor.zeros(scope, DType.FLOAT32, spec.biasShape()) : null;
            for (int threads : new int[] {1, 2, 3}) {
                ComputeThreads.set(threads);
                diffSrc.fill(Float.NaN); // overwritten, never accumulated into
                diffWeights.fill(Float.NaN);
                BACKEND.conv2dBackwardData(spec, diffDst, weights, diffSrc);
                BACKEND.conv2dBackwardWeights(spec, src, diffDst, diffWeights, diffBias);
                String what = descriptor + " threads=" + threads;
                assertArrayEquals(expectedData, diffSrc.toFloatArray(), what + " diffSrc");
                assertArrayEquals(expectedWeights, diffWeights.toFloatArray(), what + " diffWeights");
                if (diffBias != null) assertArrayEquals(expectedBias, diffBias.toFloatArray(), what + " diffBias");
            }
            if (spec.strideHeight() <= spec.kernelHeight()) assertMostlyNonZero(expectedData, descriptor + " diffSrc");
            assertMostlyNonZero(expectedWeights, descriptor + " diffWeights");
        }
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() {
        // Batch 1 on 4 threads splits backward data into bands of input rows.
        for (String descriptor : List.of("n1_c8h40w40_oc8k3s1p1", "n1_c6h41w38_oc6k3s1p1g6", "n3_c5h30w9_oc7k5s2p2")) {
            Conv2dSpec spec = Conv2dSpec.parse(descriptor);
            Random random = new Random(7);
            try (MemoryScope scope = MemoryScope.open("threads")) {
                Tensor src = uniform(scope, random, spec.srcShape());
                Tensor weights = uniform(scope, random, spec.weightsShape());
                Tensor diffDst = uniform(scope, random, spec.dstShape());
                float[][] first = null;
                for (int threads : new int[] {1, 4, 16}) {
                    ComputeThreads.set(threads);
                    Tensor dst = Tensor.zeros(scope, DType.FLOAT32, spec.dstShape());
                    Tensor diffSrc = Tensor.zeros(scope, DType.FLOAT32, spec.srcShape());
                    Tensor diffWeights = Tensor.zeros(scope, DType.FLOAT32, spec.weightsShape());
                    BACKEND.conv2dForward(spec, src, weights, null, dst);
                    BACKEND.conv2dBackwardData(spec, diffDst, weights, diffSrc);
                    BACKEND.conv2dBackwardWeights(spec, src, diffDst, diffWeights, null);
                    float[][] now = {dst.toFloatArray(), diffSrc.toFloatArray(), diffWeights.toFloatArray()};
                    if (first == null) {
                        first = now;
                        continue;
                    }
                    for (int i = 0; i < 3; i++) {
                        assertArrayEquals(first[i], now[i], descriptor + " output " + i + " threads=" + threads);
                    }
                }
            }
        }
    }

    // ---- gradient checks ------------------------------------------------------------------

    static List<String> gradientDescriptors() {
        return List.of(
                "n2_c4h6w5_oc6k3s1p1g2_b",                  // groups, bias
                "n1_c3h8w7_oc2k3s1p2d2_b",                  // dilation
                "n2_c2h7w8_oc3k2s3p0_b",                    // stride larger than the kernel
                "n1_c2h6w5_oc3kh3kw2sh2sw1pt1pl0pb2pr1_b",  // asymmetric everything
                "n2_c4h5w5_oc4k3s2p1g4_b");                 // depthwise
    }

    @ParameterizedTest
    @MethodSource("gradientDescriptors")
    void gradientsMatchCentralDifferences(String descriptor) {
        Conv2dSpec spec = Conv2dSpec.parse(descriptor);
        Random random = new Random(descriptor.hashCode());
        try (MemoryScope scope = MemoryScope.open("gradcheck")) {
            Tensor src = uniform(scope, random, spec.srcShape());
            Tensor weights = uniform(scope, random, spec.weightsShape());
            Tensor bias = uniform(scope, random, spec.biasShape());
            Tensor diffDst = uniform(scope, random, spec.dstShape());
            double[] x = doubles(src);
            double[] w = doubles(weights);
            double[] b = doubles(bias);
            double[] dy = doubles(diffDst);
            double h = 1e-2; // the loss is linear in each argument: differences are exact up to rounding
            double[] gx = numericGradient(v -> ReferenceOps.conv2d(spec, v, w, b), x, dy, h);
            double[] gw = numericGradient(v -> ReferenceOps.conv2d(spec, x, v, b), w, dy, h);
            double[] gb = numericGradient(v -> ReferenceOps.conv2d(spec, x, w, v), b, dy, h);

            Tensor diffSrc = Tensor.zeros(scope, DType.FLOAT32, spec.srcShape());
            Tensor diffWeights = Tensor.zeros(scope, DType.FLOAT32, spec.weightsShape());
            Tensor diffBias = Tensor.zeros(scope, DType.FLOAT32, spec.biasShape());
            BACKEND.conv2dBackwardData(spec, diffDst, weights, diffSrc);
            BACKEND.conv2dBackwardWeights(spec, src, diffDst, diffWeights, diffBias);
            assertClose(gx, diffSrc.toFloatArray(), 1e-5, descriptor + " diffSrc");
            assertClose(gw, diffWeights.toFloatArray(), 1e-5, descriptor + " diffWeights");
            assertClose(gb, diffBias.toFloatArray(), 1e-5, descriptor + " diffBias");
        }
    }

    // ---- bad input ------------------------------------------------------------------------

    @Test
    void backwardRejectsMismatchedShapesNamingThem() {
        Conv2dSpec spec = Conv2dSpec.parse("n2_c3h7w9_oc5k3s2p1_b");
        try (MemoryScope scope = MemoryScope.open("bad")) {
            Tensor src = Tensor.zeros(scope, DType.FLOAT32, spec.srcShape());
            Tensor weights = Tensor.zeros(scope, DType.FLOAT32, spec.weightsShape());
            Tensor diffDst = Tensor.zeros(scope, DType.FLOAT32, spec.dstShape());
            Tensor wrongDiffDst = Tensor.zeros(scope, 2, 4, 5, 4);
            Tensor diffSrc = Tensor.zeros(scope, DType.FLOAT32, spec.srcShape());
            var e = assertThrows(IllegalArgumentException.class,
                    () -> BACKEND.conv2dBackwardData(spec, wrongDiffDst, weights, diffSrc));
            assertMessage(e, "conv2d_backward_data", "[2, 4, 5, 4]", "[2, 4, 5, 5]", "[3, 3, 3, 5]", "[2, 7, 9, 3]");
            Tensor wrongDiffSrc = Tensor.zeros(scope, 2, 7, 9, 4);
            e = assertThrows(IllegalArgumentException.class,
                    () -> BACKEND.conv2dBackwardData(spec, diffDst, weights, wrongDiffSrc));
            assertMessage(e, "conv2d_backward_data", "diffSrc", "[2, 7, 9, 4]", "[2, 7, 9, 3]");

            Tensor wrongWeights = Tensor.zeros(scope, 3, 3, 5, 3);
            e = assertThrows(IllegalArgumentException.class,
                    () -> BACKEND.conv2dBackwardWeights(spec, src, diffDst, wrongWeights, null));
            assertMessage(e, "conv2d_backward_weights", "diffWeights", "[3, 3, 5, 3]", "[3, 3, 3, 5]",
                    "[2, 7, 9, 3]", "[2, 4, 5, 5]");
            Tensor wrongBias = Tensor.zeros(scope, 4);
            e = assertThrows(IllegalArgumentException.class,
                    () -> BACKEND.conv2dBackwardWeights(spec, src, diffDst, weights, wrongBias));
            assertMessage(e, "conv2d_backward_weights", "diffBias", "[4]", "[5]");
            Conv2dSpec noBias = spec.withBias(false);
            Tensor bias = Tensor.zeros(scope, 5);
            e = assertThrows(IllegalArgumentException.class,
                    () -> BACKEND.conv2dBackwardWeights(noBias, src, diffDst, weights, bias));
            assertMessage(e, "conv2d_backward_weights", "no bias", "[5]");
            e = assertThrows(IllegalArgumentException.class,
                    () -> BACKEND.conv2dBackwardData(spec, diffDst, weights, diffDst.reshape(2, 4, 5, 5)));
            assertMessage(e, "conv2d_backward_data", "[2, 4, 5, 5]");
        }
    }

    @Test
    void forwardRejectsADstOverlappingWeightsOrNullPostOps() {
        Conv2dSpec spec = Conv2dSpec.parse("n1_c1h3w3_oc1k3s1p0");
        try (MemoryScope scope = MemoryScope.open("bad")) {
            Tensor src = Tensor.zeros(scope, DType.FLOAT32, spec.srcShape());
            Tensor weights = Tensor.zeros(scope, DType.FLOAT32, spec.weightsShape());
            Tensor dst = weights.reshape(9).slice(4, 1).reshape(1, 1, 1, 1);
            var e = assertThrows(IllegalArgumentException.class,
                    () -> BACKEND.conv2dForward(spec, src, weights, null, dst));
            assertMessage(e, "conv2d", "overlaps", "[1, 1, 1, 1]");
            Tensor fresh = Tensor.zeros(scope, DType.FLOAT32, spec.dstShape());
            e = assertThrows(IllegalArgumentException.class,
                    () -> BACKEND.conv2dForward(spec, null, src, weights, null, fresh));
            assertMessage(e, "conv2d", "postOps");
        }
    }
}
