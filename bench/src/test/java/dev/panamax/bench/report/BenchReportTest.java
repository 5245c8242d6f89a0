package dev.panamax.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report from the files bench/run.sh leaves: numbers converted, ratios, missing sides, no machine paths. */
class BenchReportTest {
    private static final String STAMP = "2030-01-02-host";

    @TempDir
    Path dir;

    @Test
    void tablesConvertToImagesPerSecondAndCompareEverySideWithEachPeer() throws IOException {
        write("-run.json", """
                {"date":"2030-01-02","host":"host","label":"test run","mode":"quick","threads":2,"seconds":75,
                 "jmhModels":"-wi 1","jmhOps":"-wi 1","coldStartWorkloads":"M1","coldStartRuns":1,
                 "sides":[{"run":"panamax","status":"ran","note":"","jvmArgs":"-Da=1","env":"OMP_NUM_THREADS=2"},
                          {"run":"dl4j","status":"ran","note":"","jvmArgs":"","env":""},
                          {"run":"pytorch","status":"unavailable","note":"does not start: UnsatisfiedLinkError",
                           "jvmArgs":"","env":""}]}
                """);
        write("-panamax.json", "[" + String.join(",",
                jmh("dev.panamax.bench.TrainStepBenchmark.trainStep", "thrpt", Map.of("backend", "native", "model", "M1"),
                        10, "ops/s", 900),
                jmh("dev.panamax.bench.TrainStepBenchmark.trainStep", "thrpt", Map.of("backend", "java", "model", "M1"),
                        5, "ops/s", 4000),
                jmh("dev.panamax.bench.TrainStepBenchmark.trainStep", "thrpt", Map.of("backend", "native", "model", "M3"),
                        2, "ops/s", null),
                sampled("dev.panamax.bench.InferenceBenchmark.latencyBatch1", Map.of("backend", "native", "model", "M1"),
                        250, 900)) + "]");
        write("-dl4j.json", "[" + jmh("dev.panamax.bench.dl4j.Dl4jTrainStepBenchmark.trainStep", "thrpt",
                Map.of("model", "M1"), 2, "ops/s", 50_000) + "]");
        write("-startup.json", """
                [{"side":"panamax-native","workload":"M1","firstStepSeconds":0.5,"clock":"launcher","peakRssMiB":200,"steps":20},
                 {"side":"dl4j","workload":"M1","firstStepSeconds":2.0,"clock":"launcher","peakRssMiB":400,"steps":20}]
                """);
        write("-env-panamax.json", """
                {"side":"panamax","library":"Panamax 1.0","cpuIsa":"avx2","blas":"OpenBLAS 0.3.31","blasCore":"Haswell",
                 "javaKernel":"Vector API, 512-bit FloatVector (16 lanes)","threads":2,"blasThreads":2}
                """);

        String md = Files.readString(BenchReport.write(dir, STAMP));

        // 10 and 5 steps/s of batch 128 against DL4J's 2; PyTorch did not start; M2 has no results
        assertTrue(md.contains("| M1 | 1,280 | 640 | 256 | not run | 5.00x |  | 2.50x |  |"), md);
        assertTrue(md.contains("| M2 | failed | failed | failed | not run |  |  |  |  |"), md);
        assertTrue(md.contains("| M3 | 128 | failed | failed | not run |"), md);
        assertTrue(md.contains("| M1 | 900 | 4,000 | 50,000 | not run | 0.02x |  | 0.08x |  |"), md);
        assertTrue(md.contains("| M1 median | 0.250 | failed | failed | not run |"), md);
        assertTrue(md.contains("| M1 p99 | 0.900 |"), md);
        assertTrue(md.contains("| M1 first step (s) | 0.500 | failed | 2.00 | not run | 0.25x |"), md);
        assertTrue(md.contains("| M1 peak RSS (MiB) | 200 | failed | 400 | not run | 0.50x |"), md);
        assertTrue(md.contains("> **test run**"), md);
        assertTrue(md.contains("PyTorch (DJL) did not run: does not start: UnsatisfiedLinkError"), md);
        assertTrue(md.contains("| Panamax | Panamax 1.0, oneDNN ISA avx2; Java backend kernel: Vector API, 512-bit"
                + " FloatVector (16 lanes) | OpenBLAS 0.3.31 | Haswell | 2 (BLAS 2) |"), md);
        assertTrue(md.contains("![Throughput, latency and time to first step per side](" + STAMP + ".png)"), md);
        assertTrue(Files.size(dir.resolve(STAMP + ".png")) > 1000);
        assertFalse(md.contains(dir.toString()), "the report names no path of the machine");
    }

    @Test
    void opsReportOperationsPerSecondWhateverTheUnitAndKnownFlops() {
        JmhRecord conv = record("dev.panamax.bench.Conv2dBenchmark.backward", Map.of("backend", "native",
                "conv", "n1_c1h3w3_oc1k3s1p0"), 4, "ops/ms");
        assertEquals(4000, OpsTable.opsPerSecond(conv), 1e-9);
        assertEquals(2 * 2 * 9, OpsTable.flopsPerOp(conv), 1e-9); // backward: twice one forward pass of 9 MACs
        JmhRecord convForward = record("dev.panamax.bench.TrainingOpsBenchmark.conv2dForward",
                Map.of("backend", "native", "conv", "n1_c1h3w3_oc1k3s1p0"), 4, "ops/s");
        assertEquals(2 * 9, OpsTable.flopsPerOp(convForward), 1e-9);
        JmhRecord denseBackward = record("dev.panamax.bench.TrainingOpsBenchmark.denseBackward",
                Map.of("backend", "native", "dense", "n2_ic3_oc5"), 4, "ops/s");
        assertEquals(2 * 2 * 2 * 3 * 5, OpsTable.flopsPerOp(denseBackward), 1e-9); // data and kernel gradients
        JmhRecord call = record("dev.panamax.bench.CallOverheadBenchmark.relu16", Map.of("backend", "java"), 500, "ns/op");
        assertEquals(2e6, OpsTable.opsPerSecond(call), 1e-3);
        assertTrue(Double.isNaN(OpsTable.flopsPerOp(call)));
        JmhRecord gemm = record("dev.panamax.bench.GemmBenchmark.sgemm", Map.of("backend", "native", "size", "10"), 2, "ops/s");
        assertEquals(2 * 10 * 10 * 10 * 2 / 1e9, OpsTable.sgemmPeak(List.of(call, gemm)), 1e-18);
        assertThrows(IllegalArgumentException.class,
                () -> OpsTable.opsPerSecond(record("x.Y.z", Map.of(), 1, "furlongs")));
    }

    @Test
    void aModelResultInAnUnexpectedUnitIsAnError() {
        JmhRecord r = new JmhRecord("dl4j", "dev.panamax.bench.dl4j.Dl4jTrainStepBenchmark.trainStep",
                Map.of("model", "M1"), "avgt", 3, "ms/op", Map.of(), null);
        var e = assertThrows(IllegalArgumentException.class, () -> ModelResults.of(List.of(r), List.of()));
        assertTrue(e.getMessage().contains("ms/op"), e.getMessage());
    }

    private static JmhRecord record(String benchmark, Map<String, String> params, double score, String unit) {
        return new JmhRecord("panamax", benchmark, params, "thrpt", score, unit, Map.of(), null);
    }

    private void write(String suffix, String text) throws IOException {
        Files.writeString(dir.resolve(STAMP + suffix), text);
    }

    private static String jmh(String benchmark, String mode, Map<String, String> params, double score, String unit,
                              Integer allocBytes) {
        String secondary = allocBytes == null ? "{}"
                : "{\"gc.alloc.rate.norm\":{\"score\":" + allocBytes + ",\"scoreUnit\":\"B/op\"}}";
        return "{\"benchmark\":\"" + benchmark + "\",\"mode\":\"" + mode + "\",\"params\":" + json(params)
                + ",\"primaryMetric\":{\"score\":" + score + ",\"scoreError\":\"NaN\",\"scoreUnit\":\"" + unit
                + "\"},\"secondaryMetrics\":" + secondary + "}";
    }

    private static String sampled(String benchmark, Map<String, String> params, double p50us, double p99us) {
        return "{\"benchmark\":\"" + benchmark + "\",\"mode\":\"sample\",\"params\":" + json(params)
                + ",\"primaryMetric\":{\"score\":" + p50us + ",\"scoreUnit\":\"us/op\",\"scorePercentiles\":{\"50.0\":"
                + p50us + ",\"99.0\":" + p99us + "}},\"secondaryMetrics\":{}}";
    }

    private static String json(Map<String, String> m) {
        StringBuilder s = new StringBuilder("{");
        m.forEach((k, v) -> s.append(s.length() > 1 ? "," : "").append('"').append(k).append("\":\"").append(v).append('"'));
        return s.append('}').toString();
    }
}
