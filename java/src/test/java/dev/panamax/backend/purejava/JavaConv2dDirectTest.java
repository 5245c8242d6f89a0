package dev.panamax.backend.purejava;

import static dev.panamax.backend.purejava.TestTensors.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.panamax.ComputeThreads;
import dev.panamax.backend.Activation;
import dev.panamax.backend.Conv2dSpec;
import dev.panamax.backend.PostOps;
import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Tensor;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The forward convolution without im2col gives the im2col path's results bit for bit, where it applies. */
class JavaConv2dDirectTest {
    private static final PoolRunner PAR = new PoolRunner();
    private static int savedThreads;

    static List<Conv2dSpec> specs() {
        return List.of(
                Conv2dSpec.parse("n2_c4h9w7_oc5k3s1p1_b"),
                Conv2dSpec.parse("n1_c8h40w20_oc16k3s1p1"),                    // several tiles, a partial last one
                Conv2dSpec.parse("n2_c4h11w6_oc3k5s1p2"),                      // padding wider than a tap
                Conv2dSpec.parse("n1_c12h7w7_oc33k1s1p0_b"),                   // 1x1; channels not a lane multiple
                Conv2dSpec.parse("n1_c4h6w9_oc6kh3kw2sh1sw1pt2pl0pb1pr3_b"),   // asymmetric
                new Conv2dSpec(2, 9, 8, 4, 7, 3, 3, 1, 1, 2, 1, 2, 1, 2, 1, 1, true), // dilated along the height only
                Conv2dSpec.parse("n1_c64h10w10_oc64k3s1p1"));                  // the benchmarks' channel counts
    }

    @BeforeAll
    static void saveThreads() {
        savedThreads = ComputeThreads.get();
    }

    @AfterAll
    static void restoreThreads() {
        ComputeThreads.set(savedThreads);
        PAR.close();
    }

    @Test
    void appliesToStrideOneSingleGroupConvolutionsWithContiguousTaps() {
        for (Conv2dSpec spec : specs()) {
            assertTrue(JavaConv2dDirect.applies(new ConvGeometry(spec)), spec.toString());
        }
        for (String other : List.of("n1_c4h9w9_oc4k3s2p1", "n1_c4h9w9_oc4k3s1p1g2", "n1_c4h9w9_oc4k3s1p2d2",
                "n1_c3h9w9_oc4k3s1p1", "n1_c8h9w9_oc8k3s1p1g8")) {
            assertFalse(JavaConv2dDirect.applies(new ConvGeometry(Conv2dSpec.parse(other))), other);
        }
    }

    @Test
    void theBackendTakesTheDirectPathForTheBenchmarkShapesButNotForFewOutputChannels() {
        // Under the build's JVM options the vector kernel runs (GemmKernelTest), so these go direct.
        for (String descriptor : List.of("n32_c64h56w56_oc64k3s1p1", "n128_c32h28w28_oc64k3s1p1")) {
            assertTrue(JavaConv2d.goesDirect(new ConvGeometry(Conv2dSpec.parse(descriptor))), descriptor);
        }
        assertFalse(JavaConv2d.goesDirect(new ConvGeometry(Conv2dSpec.parse("n1_c4h9w9_oc3k3s1p1"))));
    }

    @ParameterizedTest
    @MethodSource("specs")
    void matchesTheIm2colPathBitForBit(Conv2dSpec spec) {
        Random random = new Random(spec.hashCode());
        try (MemoryScope scope = MemoryScope.open("conv direct")) {
            Tensor src = uniform(scope, random, spec.srcShape());
            Tensor weights = uniform(scope, random, spec.weightsShape());
            Tensor bias = spec.hasBias() ? uniform(scope, random, spec.biasShape()) : null;
            float[] old = uniform(scope, random, spec.dstShape()).toFloatArray();
            ConvGeometry geo = new ConvGeometry(spec);
            for (PostOps postOps : new PostOps[] {PostOps.NONE, new PostOps(Activation.RELU, 0f, true)}) {
                Tensor expected = Tensor.of(scope, old, spec.dstShape().dims());
                ComputeThreads.set(1);
                JavaConv2d.im2colForward(PAR, geo, postOps, src, weights, bias, expected);
                for (int threads : new int[] {1, 3}) {
                    ComputeThreads.set(threads);
                    Tensor direct = Tensor.of(scope, old, spec.dstShape().dims());
                    JavaConv2dDirect.forward(PAR, new JavaConv2d.Plan(geo, postOps, weights.segment(),
                            bias == null ? null : bias.segment(), false), src.segment(), direct.segment());
                    assertBitsEqual(expected.toFloatArray(), direct.toFloatArray(),
                            spec + " " + postOps + " on " + threads + " threads");
                }
            }
        }
    }

    private static void assertBitsEqual(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                fail(what + ": element " + i + " is " + actual[i] + ", expected " + expected[i]);
            }
        }
    }
}
