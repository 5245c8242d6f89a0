package dev.panamax.bench;

import dev.panamax.ComputeThreads;
import dev.panamax.backend.Backend;
import dev.panamax.backend.Backends;
import dev.panamax.backend.Conv2dSpec;
import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Tensor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * conv2d forward (packed weights) and backward (data + weights); GFLOP/s =
 * Conv2dSpec.parse(conv).flops() * ops/s / 1e9 for forward, twice that for backward.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules=jdk.incubator.vector"})
public class Conv2dBenchmark {
    @Param({"native", "java"})
    public String backend;

    @Param({"n32_c64h56w56_oc64k3s1p1", "n128_c32h28w28_oc64k3s1p1"})
    public String conv;

    private MemoryScope scope;
    private Backend b;
    private Conv2dSpec spec;
    private Tensor src, wei, packed, dst, diffDst, diffSrc, diffWei;

    @Setup(Level.Trial)
    public void setUp() {
        System.out.println("compute threads: " + ComputeThreads.get());
        scope = MemoryScope.open("bench");
        b = Backends.get(backend);
        spec = Conv2dSpec.parse(conv);
        src = BenchData.random(scope, spec.srcShape().dims(), 1);
        wei = BenchData.random(scope, spec.weightsShape().dims(), 2);
        diffDst = BenchData.random(scope, spec.dstShape().dims(), 3);
        diffSrc = Tensor.zeros(scope, spec.srcShape().dims());
        diffWei = Tensor.zeros(scope, spec.weightsShape().dims());
        packed = b.conv2dPackWeights(spec, wei, scope);
        dst = Tensor.zeros(scope, spec.dstShape().dims());
        b.conv2dForward(spec, src, packed, null, dst);
        if (!backend.equals("java")) {
            Tensor expected = Tensor.zeros(scope, spec.dstShape().dims());
            Backends.get("java").conv2dForward(spec, src, wei, null, expected);
            BenchData.check("conv2d " + conv + " on " + backend, dst, expected);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        scope.close();
    }

    @Benchmark
    public Tensor forward() {
        b.conv2dForward(spec, src, packed, null, dst);
        return dst;
    }

    /** Backward data and weights together: one training step's convolution gradients. */
    @Benchmark
    public Tensor backward() {
        b.conv2dBackwardData(spec, diffDst, wei, diffSrc);
        b.conv2dBackwardWeights(spec, src, diffDst, diffWei, null);
        return diffWei;
    }
}
