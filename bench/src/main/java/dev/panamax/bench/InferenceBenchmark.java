package dev.panamax.bench;

import dev.panamax.ComputeThreads;
import dev.panamax.bench.models.Checks;
import dev.panamax.bench.models.SyntheticBatch;
import dev.panamax.bench.models.Workload;
import dev.panamax.data.FloatArray;
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
 * Inference through the public {@link Model#predict}: the latency of one image (sampled, so the
 * report has its median and 99th percentile) and the throughput of batches of 128. First the
 * outputs must be probabilities, and the native backend must agree with the Java backend's.
 */
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules=jdk.incubator.vector"})
public class InferenceBenchmark {
    /** The reference backend. */
    private static final String JAVA = "java";
    /** Largest difference of a softmax probability allowed between the backends. */
    private static final double BACKEND_TOLERANCE = 1e-4;

    @Param({"native", "java"})
    public String backend;

    @Param({"M1", "M2", "M3"})
    public Workload model;

    private Model net;
    private FloatArray one;
    private FloatArray batch;

    @Setup(Level.Trial)
    public void setUp() {
        System.out.println("compute threads: " + ComputeThreads.get());
        net = model.create(backend, 42);
        one = SyntheticBatch.of(model, 1, 11).x();
        batch = SyntheticBatch.of(model, Workload.INFERENCE_BATCH, 12).x();
        FloatArray out = net.predict(batch, Workload.INFERENCE_BATCH);
        Checks.probabilities(model + " inference on " + backend, out);
        if (!backend.equals(JAVA)) {
            try (Model reference = model.create(JAVA, 42)) {
                Checks.agree(model + " inference, " + backend + " vs java", out,
                        reference.predict(batch, Workload.INFERENCE_BATCH), BACKEND_TOLERANCE);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        net.close();
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public FloatArray latencyBatch1() {
        return net.predict(one, 1);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public FloatArray throughputBatch128() {
        return net.predict(batch, Workload.INFERENCE_BATCH);
    }
}
