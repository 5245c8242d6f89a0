package dev.panamax.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.ComputeThreads;
import dev.panamax.backend.Backends;
import dev.panamax.backend.Conv2dSpec;
import dev.panamax.backend.Pool2dSpec;
import dev.panamax.backend.nativecpu.NativeBackend;
import dev.panamax.backend.nativecpu.NativeStats;
import dev.panamax.backend.nativecpu.RuntimeInfo;
import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class NativeRuntimeTest {
    private final NativeBackend nat = (NativeBackend) Backends.get("native");

    @Test
    void reportsVersionsIsaAndBlasCore() {
        RuntimeInfo info = nat.runtimeInfo();
        assertTrue(info.dnnlVersion().startsWith("3.11."), info.dnnlVersion());
        assertTrue(info.blasConfig().startsWith("OpenBLAS 0.3.31"), info.blasConfig());
        assertEquals("0.3.31", info.blasVersion());
        assertFalse(info.blasCore().isBlank());
        assertFalse(info.cpuIsa().isBlank());
        assertTrue(info.cpuCount() >= 1);
    }

    @Test
    void oneSettingControlsOneDnnAndOpenBlasThreads() {
        int before = ComputeThreads.get();
        try {
            ComputeThreads.set(1);
            RuntimeInfo one = nat.runtimeInfo();
            assertEquals(1, one.computeThreads());
            assertEquals(1, one.blasThreads());
            ComputeThreads.set(2);
            RuntimeInfo two = nat.runtimeInfo();
            assertEquals(2, two.computeThreads());
            assertEquals(Math.min(2, two.cpuCount()), Math.min(two.blasThreads(), two.cpuCount()));
        } finally {
            ComputeThreads.set(before);
        }
    }

    @Test
    void steadyStateCreatesNoPrimitivesAndNoReorders() {
        Conv2dSpec spec = Conv2dSpec.parse("n2_c8h12w12_oc16k3s1p1_b");
        try (MemoryScope scope = MemoryScope.open("steady")) {
            Tensor src = Tensor.zeros(scope, spec.srcShape().dims());
            Tensor wei = Tensor.zeros(scope, spec.weightsShape().dims());
            Tensor bias = Tensor.zeros(scope, spec.biasShape().dims());
            Tensor dst = Tensor.zeros(scope, spec.dstShape().dims());
            Tensor packed = nat.conv2dPackWeights(spec, wei, scope);
            nat.conv2dForward(spec, src, packed, bias, dst);
            NativeStats before = nat.stats();
            for (int i = 0; i < 5; i++) nat.conv2dForward(spec, src, packed, bias, dst);
            NativeStats delta = nat.stats().since(before);
            assertEquals(new NativeStats(0, 0, 0), delta, "creations and reorders in steady state");
            assertEquals(delta.primitiveCreations(), nat.primitiveCreations() - before.primitiveCreations());
            assertEquals(0, nat.reorders() - before.reorders());
        }
    }

    /**
     * One training step of a conv -> batch norm (fused ReLU) -> max pool stack, forward and
     * backward, with the weights packed once per step as after an optimizer update. The first
     * run creates every primitive; the second creates none and reorders no activation (all stay
     * NHWC): only the weights are reordered, once to pack them, once into backward-data's layout,
     * and once to bring their gradient back to HWIO.
     */
    @Test
    void aConvBatchNormPoolStepRunTwiceCreatesNothingAndReordersNoActivation() {
        Conv2dSpec conv = Conv2dSpec.parse("n4_c8h16w16_oc16k3s1p1_b");
        Pool2dSpec pool = Pool2dSpec.of(4, 16, 16, 16, 2, 2, 0, Pool2dSpec.Kind.MAX);
        try (MemoryScope scope = MemoryScope.open("stack")) {
            StackStep step = new StackStep(nat, scope, conv, pool);
            step.run();
            NativeStats first = nat.stats();
            step.run();
            NativeStats second = nat.stats().since(first);
            assertEquals(0, second.primitiveCreations(), "primitives created by the second step: " + second);
            assertEquals(0, second.activationReorders(), "activation reorders in the second step: " + second);
            assertEquals(3, second.weightReorders(), "weight reorders in the second step: " + second);
            assertTrue(TestData.nonZeroFraction(step.diffSrc.toFloatArray()) > 0.2, "the step computed gradients");
        }
    }

    /** The tensors of one conv -> batch norm + ReLU -> max pool step; {@link #run} does it forward and backward. */
    private static final class StackStep {
        final NativeBackend b;
        final MemoryScope scope;
        final Conv2dSpec conv;
        final Pool2dSpec pool;
        final Tensor src, wei, bias, convOut, gamma, beta, movingMean, movingVar, mean, var, bnOut, bnWs, poolOut,
                poolWs, diffPool, diffBn, diffConv, diffGamma, diffBeta, diffSrc, diffWei, diffBias;

        StackStep(NativeBackend b, MemoryScope scope, Conv2dSpec conv, Pool2dSpec pool) {
            this.b = b;
            this.scope = scope;
            this.conv = conv;
            this.pool = pool;
            Shape c = Shape.of(conv.outChannels());
            src = TestData.smallIntegers(scope, conv.srcShape(), 1, 2);
            wei = TestData.smallIntegers(scope, conv.weightsShape(), 2, 2);
            bias = TestData.smallIntegers(scope, conv.biasShape(), 3, 2);
            convOut = Tensor.zeros(scope, conv.dstShape().dims());
            gamma = TestData.smallIntegers(scope, c, 4, 2);
            beta = TestData.smallIntegers(scope, c, 5, 2);
            movingMean = Tensor.zeros(scope, c.dims());
            movingVar = Tensor.zeros(scope, c.dims());
            mean = Tensor.zeros(scope, c.dims());
            var = Tensor.zeros(scope, c.dims());
            bnOut = Tensor.zeros(scope, conv.dstShape().dims());
            bnWs = b.batchNormWorkspace(conv.dstShape(), true, scope);
            poolOut = Tensor.zeros(scope, pool.dstShape().dims());
            poolWs = b.pool2dWorkspace(pool, scope);
            diffPool = TestData.smallIntegers(scope, pool.dstShape(), 6, 2);
            diffBn = Tensor.zeros(scope, conv.dstShape().dims());
            diffConv = Tensor.zeros(scope, conv.dstShape().dims());
            diffGamma = Tensor.zeros(scope, c.dims());
            diffBeta = Tensor.zeros(scope, c.dims());
            diffSrc = Tensor.zeros(scope, conv.srcShape().dims());
            diffWei = Tensor.zeros(scope, conv.weightsShape().dims());
            diffBias = Tensor.zeros(scope, conv.biasShape().dims());
        }

        void run() {
            Tensor packed = b.conv2dPackWeights(conv, wei, scope);
            b.conv2dForward(conv, src, packed, bias, convOut);
            b.batchNormForwardTraining(convOut, gamma, beta, 1e-3f, 0.99f, movingMean, movingVar, true, bnOut, mean,
                    var, bnWs);
            b.pool2dForward(pool, bnOut, poolOut, poolWs);
            b.pool2dBackward(pool, diffPool, poolWs, diffBn);
            b.batchNormBackward(convOut, diffBn, gamma, mean, var, 1e-3f, true, bnWs, diffConv, diffGamma, diffBeta);
            b.conv2dBackwardData(conv, diffConv, wei, diffSrc);
            b.conv2dBackwardWeights(conv, src, diffConv, diffWei, diffBias);
        }
    }

    @Test
    void onePrimitiveRunFromManyThreadsGivesTheSerialResult() throws Exception {
        Conv2dSpec spec = Conv2dSpec.parse("n2_c16h20w20_oc32k3s1p1_b");
        try (MemoryScope scope = MemoryScope.open("threads")) {
            Tensor wei = TestData.smallIntegers(scope, spec.weightsShape(), 7, 2);
            Tensor bias = TestData.smallIntegers(scope, spec.biasShape(), 8, 2);
            Tensor packed = nat.conv2dPackWeights(spec, wei, scope);
            int tasks = 8;
            List<Tensor> srcs = new ArrayList<>();
            List<float[]> serial = new ArrayList<>();
            for (int t = 0; t < tasks; t++) {
                Tensor src = TestData.smallIntegers(scope, spec.srcShape(), 100 + t, 2);
                Tensor dst = Tensor.zeros(scope, spec.dstShape().dims());
                nat.conv2dForward(spec, src, packed, bias, dst);
                srcs.add(src);
                serial.add(dst.toFloatArray());
            }
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<float[]>> results = new ArrayList<>();
                for (int round = 0; round < 3; round++) {
                    for (int t = 0; t < tasks; t++) {
                        Tensor src = srcs.get(t);
                        results.add(pool.submit(() -> {
                            Tensor dst = Tensor.zeros(scope, spec.dstShape().dims());
                            nat.conv2dForward(spec, src, packed, bias, dst);
                            return dst.toFloatArray();
                        }));
                    }
                }
                for (int i = 0; i < results.size(); i++) {
                    assertEquals(0, TestData.maxRelativeError(results.get(i).get(), serial.get(i % tasks)), 0.0,
                            "task " + i);
                }
            } finally {
                pool.shutdown();
            }
        }
    }
}
