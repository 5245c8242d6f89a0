package dev.panamax.bench;

import dev.panamax.backend.Activation;
import dev.panamax.backend.Backend;
import dev.panamax.backend.Backends;
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

/** FFM overhead: an empty shim call (ordinary and critical), and a 16-element ReLU end to end (checks included). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules=jdk.incubator.vector"})
public class CallOverheadBenchmark {
    @Param({"native", "java"})
    public String backend;

    private MemoryScope scope;
    private Backend b;
    private Tensor src, dst;

    @Setup(Level.Trial)
    public void setUp() {
        scope = MemoryScope.open("bench");
        b = Backends.get(backend);
        src = BenchData.random(scope, new long[] {16}, 1);
        dst = Tensor.zeros(scope, 16);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        scope.close();
    }

    @Benchmark
    public void emptyShimCall() {
        if (b instanceof NativeBackend n) n.noop();
    }

    /** The same empty call through a critical downcall handle (no thread-state transition). */
    @Benchmark
    public void emptyCriticalShimCall() {
        if (b instanceof NativeBackend n) n.noopCritical();
    }

    @Benchmark
    public Tensor relu16() {
        b.activationForward(Activation.RELU, 0f, src, dst);
        return dst;
    }
}
