package dev.panamax.bench;

import dev.panamax.ComputeThreads;
import dev.panamax.backend.Backend;
import dev.panamax.backend.Backends;
import dev.panamax.backend.nativecpu.GemmEngine;
import dev.panamax.backend.nativecpu.NativeBackend;
import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Tensor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * oneDNN's sgemm against OpenBLAS's, one shape class at a time, in the same run: GFLOP/s =
 * 2·m·n·k · ops/s / 1e9. The shapes are those training makes: square (the peak), a dense
 * layer's forward pass and its two gradients (the transposed products), small products, and
 * tall-skinny ones. {@link GemmEngine#AUTO} shows what the backend picks.
 *
 * <p>Shape descriptors: {@code m<M>n<N>k<K>} with {@code ta}/{@code tb} when a or b is transposed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules=jdk.incubator.vector"})
public class GemmEngineOpBenchmark {
    private static final Pattern SHAPE = Pattern.compile("m(\\d+)n(\\d+)k(\\d+)(ta)?(tb)?");

    @Param({"ONEDNN", "OPENBLAS", "AUTO"})
    public GemmEngine engine;

    @Param({"m2048n2048k2048", "m512n512k512", "m128n128k784", "m784n128k128ta", "m128n784k128tb", "m64n64k64",
            "m128n10k128", "m4096n64k256"})
    public String shape;

    private MemoryScope scope;
    private NativeBackend nat;
    private Tensor a, b, c;
    private boolean ta, tb;

    @Setup(Level.Trial)
    public void setUp() {
        System.out.println("compute threads: " + ComputeThreads.get());
        Matcher s = SHAPE.matcher(shape);
        if (!s.matches()) throw new IllegalArgumentException("shape " + shape + " is not m<M>n<N>k<K>[ta][tb]");
        long m = Long.parseLong(s.group(1));
        long n = Long.parseLong(s.group(2));
        long k = Long.parseLong(s.group(3));
        ta = s.group(4) != null;
        tb = s.group(5) != null;
        scope = MemoryScope.open("bench");
        nat = (NativeBackend) Backends.get("native");
        nat.gemmEngine(engine);
        a = BenchData.random(scope, ta ? new long[] {k, m} : new long[] {m, k}, 1);
        b = BenchData.random(scope, tb ? new long[] {n, k} : new long[] {k, n}, 2);
        c = Tensor.zeros(scope, m, n);
        nat.matmul(a, ta, b, tb, c);
        if (m * n * k <= 512L * 512 * 512) { // the Java reference is slow on the largest shape
            Tensor expected = Tensor.zeros(scope, m, n);
            Backend java = Backends.get("java");
            java.matmul(a, ta, b, tb, expected);
            BenchData.check("sgemm " + shape + " on " + engine, c, expected);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        nat.gemmEngine(GemmEngine.AUTO);
        scope.close();
    }

    @Benchmark
    public Tensor sgemm() {
        nat.matmul(a, ta, b, tb, c);
        return c;
    }
}
