package dev.panamax.bench;

import dev.panamax.ComputeThreads;
import dev.panamax.bench.models.Checks;
import dev.panamax.bench.models.SyntheticBatch;
import dev.panamax.bench.models.Workload;
import dev.panamax.models.Model;
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
 * One whole training step (forward, loss, backward, optimizer update) through the public
 * {@link Model#trainStep} on a batch already in memory; images/s = steps/s x the workload's batch.
 * The model first has to fit its batch: the loss must be finite and fall over a few steps.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules=jdk.incubator.vector"})
public class TrainStepBenchmark {
    @Param({"native", "java"})
    public String backend;

    @Param({"M1", "M2", "M3"})
    public Workload model;

    private Model net;
    private SyntheticBatch batch;

    @Setup(Level.Trial)
    public void setUp() {
        System.out.println("compute threads: " + ComputeThreads.get());
        net = model.create(backend, 42);
        batch = SyntheticBatch.of(model, model.trainBatch(), 7);
        Checks.lossDecreases(model + " training on " + backend, net, batch, Checks.TRAINING_CHECK_STEPS);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        net.close();
    }

    @Benchmark
    public double trainStep() {
        return net.trainStep(batch.x(), batch.y());
    }
}
