package dev.panamax.bench.dl4j;

import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.ndarray.INDArray;
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

/** DL4J's side of Panamax's InferenceBenchmark: batch-1 latency (sampled) and batch-128 throughput. */
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class Dl4jInferenceBenchmark {
    @Param({"M1", "M2", "M3"})
    public Dl4jWorkload model;

    private Dl4jNetwork net;
    private INDArray one;
    private INDArray batch;

    @Setup(Level.Trial)
    public void setUp() {
        net = model.create(42);
        one = Dl4jBatch.of(model, 1, 11).x();
        batch = Dl4jBatch.of(model, Dl4jWorkload.INFERENCE_BATCH, 12).x();
        Dl4jChecks.probabilities("DL4J " + model + " inference", net.predict(batch), Dl4jWorkload.CLASSES);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public float[] latencyBatch1() {
        return net.predict(one);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public float[] throughputBatch128() {
        return net.predict(batch);
    }
}
