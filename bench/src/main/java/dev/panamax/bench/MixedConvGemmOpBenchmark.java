package dev.panamax.bench;

import dev.panamax.ComputeThreads;
import dev.panamax.backend.Backend;
import dev.panamax.backend.Backends;
import dev.panamax.backend.Conv2dSpec;
import dev.panamax.backend.nativecpu.GemmEngine;
import dev.panamax.backend.nativecpu.NativeBackend;
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
 * A training step's mix of a convolution (oneDNN, OpenMP threads) and a matrix product, alone
 * and alternating. When the product runs on OpenBLAS's own thread pool, its threads keep
 * spinning after each product and take cores from the convolution that follows: then
 * {@code convThenGemm} costs more than {@code convOnly + gemmOnly}. With {@link GemmEngine#AUTO}
 * (the backend's default) every large product runs on oneDNN's OpenMP threads and the
 * penalty ratio {@code convThenGemm / (convOnly + gemmOnly)} should be about 1.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules=jdk.incubator.vector"})
public class MixedConvGemmOpBenchmark {
    @Param({"AUTO", "OPENBLAS"})
    public GemmEngine engine;

    @Param({"n8_c64h28w28_oc64k3s1p1"})
    public String conv;

    /** Square size of the product (a dense layer's worth of work next to the convolution). */
    @Param({"512"})
    public int gemmSize;

    private MemoryScope scope;
    private NativeBackend nat;
    private Conv2dSpec spec;
    private Tensor src, packed, dst, a, b, c;

    @Setup(Level.Trial)
    public void setUp() {
        System.out.println("compute threads: " + ComputeThreads.get());
        scope = MemoryScope.open("bench");
        nat = (NativeBackend) Backends.get("native");
        nat.gemmEngine(engine);
        spec = Conv2dSpec.parse(conv);
        src = BenchData.random(scope, spec.srcShape().dims(), 1);
        Tensor wei = BenchData.random(scope, spec.weightsShape().dims(), 2);
        packed = nat.conv2dPackWeights(spec, wei, scope);
        dst = Tensor.zeros(scope, spec.dstShape().dims());
        a = BenchData.random(scope, new long[] {gemmSize, gemmSize}, 3);
        b = BenchData.random(scope, new long[] {gemmSize, gemmSize}, 4);
        c = Tensor.zeros(scope, gemmSize, gemmSize);
        nat.conv2dForward(spec, src, packed, null, dst);
        Backend java = Backends.get("java");
        Tensor expected = Tensor.zeros(scope, spec.dstShape().dims());
        java.conv2dForward(spec, src, wei, null, expected);
        BenchData.check("conv2d " + conv, dst, expected);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        nat.gemmEngine(GemmEngine.AUTO);
        scope.close();
    }

    @Benchmark
    public Tensor convOnly() {
        nat.conv2dForward(spec, src, packed, null, dst);
        return dst;
    }

    @Benchmark
    public Tensor gemmOnly() {
        nat.matmul(a, false, b, false, c);
        return c;
    }

    @Benchmark
    public Tensor convThenGemm() {
        nat.conv2dForward(spec, src, packed, null, dst);
        nat.matmul(a, false, b, false, c);
        return c;
    }
}
