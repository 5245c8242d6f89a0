package dev.panamax.bench.djl;

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

/** PyTorch's side of Panamax's TrainStepBenchmark: one step on a batch already in NDArrays. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class DjlTrainStepBenchmark {
    @Param({"M1", "M2", "M3"})
    public DjlWorkload model;

    private DjlNetwork net;
    private DjlBatch batch;

    @Setup(Level.Trial)
    public void setUp() {
        net = new DjlNetwork(model);
        batch = DjlBatch.of(net.manager(), model, model.trainBatch(), 7);
        DjlChecks.lossDecreases("PyTorch " + model + " training", net, batch);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        net.close();
    }

    @Benchmark
    public float trainStep() {
        return net.trainStep(batch.x(), batch.y());
    }
}
