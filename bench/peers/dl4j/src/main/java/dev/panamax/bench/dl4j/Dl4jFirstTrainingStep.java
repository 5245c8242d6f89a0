package dev.panamax.bench.dl4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * DL4J's side of Panamax's FirstTrainingStep (same measurements, same JSON line): time from the
 * JVM's launch to the end of the first training step, then peak RSS after training on.
 * Usage: {@code Dl4jFirstTrainingStep <output file> <M1|M2|M3>}.
 */
public final class Dl4jFirstTrainingStep {
    private static final int MIN_STEPS = 3;
    private static final int MAX_STEPS = 20;
    private static final long BUDGET_NANOS = 5_000_000_000L;

    private Dl4jFirstTrainingStep() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: Dl4jFirstTrainingStep <output file> <M1|M2|M3>");
            System.exit(2);
        }
        long launched = launchMillis();
        Dl4jWorkload workload = Dl4jWorkload.valueOf(args[1]);
        Dl4jNetwork net = workload.create(42);
        Dl4jBatch batch = Dl4jBatch.of(workload, workload.trainBatch(), 7);
        net.trainStep(batch.x(), batch.y());
        double firstStepSeconds = (System.currentTimeMillis() - launched) / 1000.0;
        int steps = 1;
        long deadline = System.nanoTime() + BUDGET_NANOS;
        while (steps < MIN_STEPS || (steps < MAX_STEPS && System.nanoTime() - deadline < 0)) {
            net.trainStep(batch.x(), batch.y());
            steps++;
        }
        String line = String.format(Locale.ROOT,
                "{\"side\":\"dl4j\",\"workload\":\"%s\",\"firstStepSeconds\":%.3f,\"clock\":\"%s\","
                        + "\"peakRssMiB\":%.1f,\"steps\":%d}%n",
                workload, firstStepSeconds, System.getProperty("bench.launchMillis") != null ? "launcher" : "process start",
                peakRssMiB(), steps);
        Files.writeString(Path.of(args[0]), line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.exit(0); // ND4J's non-daemon threads would keep the JVM alive
    }

    private static long launchMillis() {
        String passed = System.getProperty("bench.launchMillis");
        if (passed != null) return Long.parseLong(passed.strip());
        return ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli();
    }

    private static double peakRssMiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.substring(6).replace("kB", "").strip()) / 1024.0;
            }
        }
        throw new IllegalStateException("/proc/self/status has no VmHWM line");
    }
}
