package dev.panamax.bench;

import dev.panamax.bench.models.SyntheticBatch;
import dev.panamax.bench.models.Workload;
import dev.panamax.io.Json;
import dev.panamax.models.Model;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Cold start and memory, measured in a fresh JVM (bench/run.sh starts one per workload and
 * backend): the time from the JVM's launch to the end of the first training step (model built,
 * native libraries loaded, one step done), then the peak resident set size after training on.
 * Appends one JSON line to the output file.
 *
 * <p>Usage: {@code FirstTrainingStep <output file> <M1|M2|M3> <native|java>}; the launcher passes
 * its clock as {@code -Dbench.launchMillis} (epoch ms), else the process start time is used.
 */
public final class FirstTrainingStep {
    private FirstTrainingStep() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: FirstTrainingStep <output file> <M1|M2|M3> <native|java>");
            System.exit(2);
        }
        LaunchClock clock = LaunchClock.fromProperty();
        Workload workload = Workload.valueOf(args[1]);
        String backend = args[2];
        try (Model model = workload.create(backend, 42)) {
            SyntheticBatch batch = SyntheticBatch.of(workload, workload.trainBatch(), 7);
            model.trainStep(batch.x(), batch.y());
            double firstStepSeconds = clock.secondsSinceLaunch();
            int steps = 1;
            long deadline = System.nanoTime() + TrainingForMemory.BUDGET_NANOS;
            while (TrainingForMemory.goOn(steps, deadline)) {
                model.trainStep(batch.x(), batch.y());
                steps++;
            }
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("side", "panamax-" + backend);
            line.put("workload", workload.name());
            line.put("firstStepSeconds", firstStepSeconds);
            line.put("clock", clock.source());
            line.put("peakRssMiB", ProcessMemory.peakRssMiB());
            line.put("steps", steps);
            Files.writeString(Path.of(args[0]), Json.write(line) + "\n", StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
    }

    /** When the JVM was launched: the launcher's clock if it passed it, else the OS's process start time. */
    record LaunchClock(long launchMillis, String source) {
        static LaunchClock fromProperty() {
            String passed = System.getProperty("bench.launchMillis");
            if (passed != null) return new LaunchClock(Long.parseLong(passed.strip()), "launcher");
            Instant start = ProcessHandle.current().info().startInstant()
                    .orElseThrow(() -> new IllegalStateException("FirstTrainingStep: the OS does not report the"
                            + " process start time; pass -Dbench.launchMillis=<epoch ms>"));
            return new LaunchClock(start.toEpochMilli(), "process start");
        }

        double secondsSinceLaunch() {
            return (System.currentTimeMillis() - launchMillis) / 1000.0;
        }
    }
}
