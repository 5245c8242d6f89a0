package dev.panamax.bench.dl4j;

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
import org.openjdk.jmh.annotations.Warmup;

/** DL4J's side of Panamax's TrainStepBenchmark: one fit on a batch already in INDArrays. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class Dl4jTrainStepBenchmark {
    @Param({"M1", "M2", "M3"})
    public Dl4jWorkload model;

    private Dl4jNetwork net;
    private Dl4jBatch batch;

    @Setup(Level.Trial)
    public void setUp() {
        net = model.create(42);
        batch = Dl4jBatch.of(model, model.trainBatch(), 7);
        Dl4jChecks.lossDecreases("DL4J " + model + " training", net, batch);
    }

    @Benchmark
    public double trainStep() {
        return net.trainStep(batch.x(), batch.y());
    }
}
