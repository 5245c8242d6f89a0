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

/** PyTorch's side of Panamax's InferenceBenchmark: batch-1 latency (sampled) and batch-128 throughput. */
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DjlInferenceBenchmark {
    @Param({"M1", "M2", "M3"})
    public DjlWorkload model;

    private DjlNetwork net;
    private DjlBatch one;
    private DjlBatch batch;

    @Setup(Level.Trial)
    public void setUp() {
        net = new DjlNetwork(model);
        one = DjlBatch.of(net.manager(), model, 1, 11);
        batch = DjlBatch.of(net.manager(), model, DjlWorkload.INFERENCE_BATCH, 12);
        DjlChecks.probabilities("PyTorch " + model + " inference", net.predict(batch.x()), DjlWorkload.CLASSES);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        net.close();
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public float[] latencyBatch1() {
        return net.predict(one.x());
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public float[] throughputBatch128() {
        return net.predict(batch.x());
    }
}
