package dev.panamax.bench;

import dev.panamax.ComputeThreads;
import dev.panamax.backend.Backend;
import dev.panamax.backend.Backends;
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

/** Square sgemm, the machine's practical peak; GFLOP/s = 2 * size^3 * ops/s / 1e9. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules=jdk.incubator.vector"})
public class GemmBenchmark {
    @Param({"native", "java"})
    public String backend;

    @Param({"2048"})
    public int size;

    private MemoryScope scope;
    private Backend b;
    private Tensor a, bm, c;

    @Setup(Level.Trial)
    public void setUp() {
        System.out.println("compute threads: " + ComputeThreads.get());
        scope = MemoryScope.open("bench");
        b = Backends.get(backend);
        a = BenchData.random(scope, new long[] {size, size}, 1);
        bm = BenchData.random(scope, new long[] {size, size}, 2);
        c = Tensor.zeros(scope, size, size);
        b.matmul(a, false, bm, false, c);
        if (!backend.equals("java")) {
            Tensor expected = Tensor.zeros(scope, size, size);
            Backends.get("java").matmul(a, false, bm, false, expected);
            BenchData.check("sgemm " + size + " on " + backend, c, expected);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        scope.close();
    }

    @Benchmark
    public Tensor sgemm() {
        b.matmul(a, false, bm, false, c);
        return c;
    }
}
