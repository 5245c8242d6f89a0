package dev.panamax.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.ComputeThreads;
import dev.panamax.backend.Backends;
import dev.panamax.backend.Conv2dSpec;
import dev.panamax.backend.nativecpu.NativeBackend;
import dev.panamax.backend.nativecpu.RuntimeInfo;
import dev.panamax.tensor.MemoryScope;
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
            long creations = nat.primitiveCreations();
            long reorders = nat.reorders();
            for (int i = 0; i < 5; i++) nat.conv2dForward(spec, src, packed, bias, dst);
            assertEquals(creations, nat.primitiveCreations(), "primitives created in steady state");
            assertEquals(reorders, nat.reorders(), "reorders in steady state");
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
