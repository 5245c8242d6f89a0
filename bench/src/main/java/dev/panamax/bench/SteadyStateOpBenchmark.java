package dev.panamax.bench;

import dev.panamax.backend.Activation;
import dev.panamax.backend.Backend;
import dev.panamax.backend.Backends;
import dev.panamax.backend.BinaryOp;
import dev.panamax.backend.Conv2dSpec;
import dev.panamax.backend.Pool2dSpec;
import dev.panamax.backend.PostOps;
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
 * One steady-state call of each hot training op on small problems, so that the per-call cost
 * (argument checks, the downcall, primitive lookup) shows rather than the arithmetic. Run with
 * {@code -prof gc}: {@code gc.alloc.rate.norm} is the Java heap each call allocates, which must
 * be about 0 B/op on the native backend.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules=jdk.incubator.vector"})
public class SteadyStateOpBenchmark {
    @Param({"native"})
    public String backend;

    private static final Conv2dSpec CONV = Conv2dSpec.parse("n1_c8h8w8_oc8k3s1p1_b");
    private static final Pool2dSpec POOL = Pool2dSpec.parse("n1_c8h8w8_k2s2p0_max");
    private static final PostOps RELU = PostOps.of(Activation.RELU);

    private MemoryScope scope;
    private Backend b;
    private Tensor x16, y16;
    private Tensor convSrc, convPacked, convWei, convBias, convDst, convDiffSrc, convDiffWei, convDiffBias;
    private Tensor poolDst, poolWorkspace, poolDiffSrc;
    private Tensor ma, mb, mc;
    private Tensor bnGamma, bnBeta, bnMovingMean, bnMovingVar, bnMean, bnVar, bnDst, bnWorkspace;
    private Tensor param, grad, m, v, bias, rows;
    private Tensor logits, probs;

    @Setup(Level.Trial)
    public void setUp() {
        scope = MemoryScope.open("bench");
        b = Backends.get(backend);
        x16 = BenchData.random(scope, new long[] {16}, 1);
        y16 = Tensor.zeros(scope, 16);
        convSrc = BenchData.random(scope, CONV.srcShape().dims(), 2);
        convWei = BenchData.random(scope, CONV.weightsShape().dims(), 3);
        convBias = BenchData.random(scope, CONV.biasShape().dims(), 4);
        convPacked = b.conv2dPackWeights(CONV, RELU, convWei, scope);
        convDst = Tensor.zeros(scope, CONV.dstShape().dims());
        convDiffSrc = Tensor.zeros(scope, CONV.srcShape().dims());
        convDiffWei = Tensor.zeros(scope, CONV.weightsShape().dims());
        convDiffBias = Tensor.zeros(scope, CONV.biasShape().dims());
        poolDst = Tensor.zeros(scope, POOL.dstShape().dims());
        poolWorkspace = b.pool2dWorkspace(POOL, scope);
        poolDiffSrc = Tensor.zeros(scope, POOL.srcShape().dims());
        ma = BenchData.random(scope, new long[] {32, 32}, 5);
        mb = BenchData.random(scope, new long[] {32, 32}, 6);
        mc = Tensor.zeros(scope, 32, 32);
        bnGamma = BenchData.random(scope, new long[] {8}, 7);
        bnBeta = BenchData.random(scope, new long[] {8}, 8);
        bnMovingMean = Tensor.zeros(scope, 8);
        bnMovingVar = Tensor.zeros(scope, 8);
        bnMean = Tensor.zeros(scope, 8);
        bnVar = Tensor.zeros(scope, 8);
        bnDst = Tensor.zeros(scope, CONV.dstShape().dims());
        bnWorkspace = b.batchNormWorkspace(CONV.dstShape(), true, scope);
        param = BenchData.random(scope, new long[] {256}, 9);
        grad = BenchData.random(scope, new long[] {256}, 10);
        m = Tensor.zeros(scope, 256);
        v = Tensor.zeros(scope, 256);
        bias = BenchData.random(scope, new long[] {32}, 11);
        rows = Tensor.zeros(scope, 32, 32);
        logits = BenchData.random(scope, new long[] {16, 10}, 12);
        probs = Tensor.zeros(scope, 16, 10);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        scope.close();
    }

    @Benchmark
    public Tensor activationForward() {
        b.activationForward(Activation.RELU, 0f, x16, y16);
        return y16;
    }

    @Benchmark
    public Tensor conv2dForward() {
        b.conv2dForward(CONV, RELU, convSrc, convPacked, convBias, convDst);
        return convDst;
    }

    /** Plain HWIO weights, as training passes them: packed on the fly into per-thread scratch. */
    @Benchmark
    public Tensor conv2dForwardPlainWeights() {
        b.conv2dForward(CONV, RELU, convSrc, convWei, convBias, convDst);
        return convDst;
    }

    @Benchmark
    public Tensor conv2dBackward() {
        b.conv2dBackwardData(CONV, convDst, convWei, convDiffSrc);
        b.conv2dBackwardWeights(CONV, convSrc, convDst, convDiffWei, convDiffBias);
        return convDiffWei;
    }

    @Benchmark
    public Tensor gemm() {
        b.gemm(ma, false, mb, true, 1f, 0f, mc);
        return mc;
    }

    @Benchmark
    public Tensor maxPool() {
        b.pool2dForward(POOL, convDst, poolDst, poolWorkspace);
        b.pool2dBackward(POOL, poolDst, poolWorkspace, poolDiffSrc);
        return poolDiffSrc;
    }

    @Benchmark
    public Tensor batchNormTraining() {
        b.batchNormForwardTraining(convDst, bnGamma, bnBeta, 1e-3f, 0.99f, bnMovingMean, bnMovingVar, true, bnDst,
                bnMean, bnVar, bnWorkspace);
        return bnDst;
    }

    @Benchmark
    public Tensor binaryBiasAdd() {
        b.binary(BinaryOp.ADD, mc, bias, rows);
        return rows;
    }

    @Benchmark
    public Tensor softmax() {
        b.softmaxForward(logits, false, probs);
        return probs;
    }

    @Benchmark
    public Tensor adamUpdate() {
        b.adamUpdate(param, grad, m, v, 1e-3f, 0.9f, 0.999f, 1e-7f, 10, 0f);
        return param;
    }
}
