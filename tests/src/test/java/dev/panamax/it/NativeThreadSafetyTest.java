package dev.panamax.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.backend.Activation;
import dev.panamax.backend.Backends;
import dev.panamax.backend.Conv2dSpec;
import dev.panamax.backend.Pool2dSpec;
import dev.panamax.backend.PostOps;
import dev.panamax.backend.nativecpu.NativeBackend;
import dev.panamax.backend.nativecpu.NativeStats;
import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The native backend's cached primitives are shared by every thread: each keeps no per-call
 * state (the caller's thread owns the scratchpad, each thread has its own oneDNN stream), so
 * the same primitive run from several Java threads at once gives exactly the serial result.
 * Inputs are small integers, so every sum is exact whatever order threads add in.
 */
class NativeThreadSafetyTest {
    private static final int THREADS = 4;
    private static final int ROUNDS = 3;
    private static final NativeBackend NAT = (NativeBackend) Backends.get("native");
    private static MemoryScope shared;

    @BeforeAll
    static void open() {
        shared = MemoryScope.open("shared inputs");
    }

    @AfterAll
    static void close() {
        shared.close();
    }

    /** Each job reads only the shared inputs and returns its outputs, made in its own scope. */
    private static Map<String, Function<MemoryScope, List<float[]>>> jobs() {
        Map<String, Function<MemoryScope, List<float[]>>> jobs = new LinkedHashMap<>();
        Conv2dSpec conv = Conv2dSpec.parse("n2_c16h12w12_oc32k3s1p1_b");
        PostOps postOps = PostOps.of(Activation.RELU).withSum();
        Tensor src = ints(conv.srcShape(), 1);
        Tensor wei = ints(conv.weightsShape(), 2);
        Tensor bias = ints(conv.biasShape(), 3);
        Tensor residual = ints(conv.dstShape(), 4);
        Tensor packed = NAT.conv2dPackWeights(conv, postOps, wei, shared);
        Tensor diffDst = ints(conv.dstShape(), 5);
        jobs.put("conv2d forward, relu + sum", scope -> {
            Tensor dst = Tensor.zeros(scope, conv.dstShape().dims());
            dst.copyFrom(residual.toFloatArray());
            NAT.conv2dForward(conv, postOps, src, packed, bias, dst);
            return List.of(dst.toFloatArray());
        });
        jobs.put("conv2d forward, plain weights packed on the fly", scope -> {
            Tensor dst = Tensor.zeros(scope, conv.dstShape().dims());
            dst.copyFrom(residual.toFloatArray());
            NAT.conv2dForward(conv, postOps, src, wei, bias, dst);
            return List.of(dst.toFloatArray());
        });
        jobs.put("conv2d backward", scope -> {
            Tensor diffSrc = Tensor.zeros(scope, conv.srcShape().dims());
            Tensor diffWei = Tensor.zeros(scope, conv.weightsShape().dims());
            Tensor diffBias = Tensor.zeros(scope, conv.biasShape().dims());
            NAT.conv2dBackwardData(conv, diffDst, wei, diffSrc);
            NAT.conv2dBackwardWeights(conv, src, diffDst, diffWei, diffBias);
            return List.of(diffSrc.toFloatArray(), diffWei.toFloatArray(), diffBias.toFloatArray());
        });
        Pool2dSpec pool = Pool2dSpec.parse("n2_c32h12w12_k3s2p1_max");
        Tensor poolSrc = distinct(pool.srcShape());
        Tensor poolDiff = ints(pool.dstShape(), 6);
        jobs.put("max pooling forward and backward", scope -> {
            Tensor dst = Tensor.zeros(scope, pool.dstShape().dims());
            Tensor ws = NAT.pool2dWorkspace(pool, scope);
            Tensor diffSrc = Tensor.zeros(scope, pool.srcShape().dims());
            NAT.pool2dForward(pool, poolSrc, dst, ws);
            NAT.pool2dBackward(pool, poolDiff, ws, diffSrc);
            return List.of(dst.toFloatArray(), diffSrc.toFloatArray());
        });
        Shape bnShape = Shape.of(4, 6, 6, 16);
        Tensor bnSrc = ints(bnShape, 7);
        Tensor gamma = ints(Shape.of(16), 8);
        Tensor beta = ints(Shape.of(16), 9);
        Tensor bnDiff = ints(bnShape, 10);
        jobs.put("batch norm with ReLU, training forward and backward", scope -> {
            Tensor dst = Tensor.zeros(scope, bnShape.dims());
            Tensor mean = Tensor.zeros(scope, 16);
            Tensor var = Tensor.zeros(scope, 16);
            Tensor movingMean = Tensor.zeros(scope, 16);
            Tensor movingVar = Tensor.zeros(scope, 16);
            Tensor ws = NAT.batchNormWorkspace(bnShape, true, scope);
            Tensor diffSrc = Tensor.zeros(scope, bnShape.dims());
            Tensor diffGamma = Tensor.zeros(scope, 16);
            Tensor diffBeta = Tensor.zeros(scope, 16);
            NAT.batchNormForwardTraining(bnSrc, gamma, beta, 1e-3f, 0.99f, movingMean, movingVar, true, dst, mean, var,
                    ws);
            NAT.batchNormBackward(bnSrc, bnDiff, gamma, mean, var, 1e-3f, true, ws, diffSrc, diffGamma, diffBeta);
            return List.of(dst.toFloatArray(), movingMean.toFloatArray(), diffSrc.toFloatArray(),
                    diffGamma.toFloatArray(), diffBeta.toFloatArray());
        });
        Tensor a = ints(Shape.of(96, 80), 11);
        Tensor b = ints(Shape.of(80, 72), 12);
        Tensor sa = ints(Shape.of(8, 8), 15);
        Tensor qa = ints(Shape.of(8, 16, 24), 13);
        Tensor qb = ints(Shape.of(8, 16, 24), 14);
        jobs.put("matrix products on oneDNN and OpenBLAS", scope -> {
            Tensor large = Tensor.zeros(scope, 96, 72);
            Tensor small = Tensor.zeros(scope, 8, 8);
            Tensor batched = Tensor.zeros(scope, 8, 16, 16);
            NAT.matmul(a, false, b, false, large);
            NAT.matmul(sa, false, sa, true, small);
            NAT.batchedMatmul(qa, false, qb, true, batched);
            return List.of(large.toFloatArray(), small.toFloatArray(), batched.toFloatArray());
        });
        return jobs;
    }

    @Test
    void primitivesRunFromManyThreadsAtOnceGiveTheSerialResults() throws Exception {
        Map<String, Function<MemoryScope, List<float[]>>> jobs = jobs();
        Map<String, List<float[]>> serial = new LinkedHashMap<>();
        try (MemoryScope scope = MemoryScope.open("serial")) {
            jobs.forEach((name, job) -> serial.put(name, job.apply(scope)));
        }
        serial.forEach((name, outs) -> assertTrue(TestData.nonZeroFraction(outs.get(0)) > 0.2, name + " is mostly 0"));

        NativeStats before = NAT.stats();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Map<String, List<float[]>>>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                results.add(pool.submit(() -> {
                    start.await(); // all threads hit the same primitives together
                    Map<String, List<float[]>> last = new LinkedHashMap<>();
                    try (MemoryScope scope = MemoryScope.open("thread")) {
                        for (int round = 0; round < ROUNDS; round++) {
                            jobs.forEach((name, job) -> last.put(name, job.apply(scope)));
                        }
                    }
                    return last;
                }));
            }
            start.countDown();
            for (Future<Map<String, List<float[]>>> result : results) {
                Map<String, List<float[]>> got = result.get();
                serial.forEach((name, expected) -> {
                    for (int i = 0; i < expected.size(); i++) {
                        assertArrayEquals(expected.get(i), got.get(name).get(i), name + ", output " + i);
                    }
                });
            }
        } finally {
            pool.shutdown();
        }
        // Every thread used the primitives the serial run created.
        assertEquals(0, NAT.stats().since(before).primitiveCreations(), "primitives created by the threads");
    }

    private static Tensor ints(Shape shape, long seed) {
        return TestData.smallIntegers(shared, shape, seed, 2);
    }

    /** Distinct values, so that max pooling has no ties. */
    private static Tensor distinct(Shape shape) {
        float[] v = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < v.length; i++) v[i] = (float) (((i * 7919L) % v.length) - v.length / 2) / 8;
        return Tensor.of(shared, v, shape.dims());
    }
}
