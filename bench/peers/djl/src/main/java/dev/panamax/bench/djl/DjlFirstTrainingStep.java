package dev.panamax.bench.djl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * PyTorch's side of Panamax's FirstTrainingStep (same measurements, same JSON line): time from
 * the JVM's launch to the end of the first training step, then peak RSS after training on.
 * Usage: {@code DjlFirstTrainingStep <output file> <M1|M2|M3>}.
 */
public final class DjlFirstTrainingStep {
    private static final int MIN_STEPS = 3;
    private static final int MAX_STEPS = 20;
    private static final long BUDGET_NANOS = 5_000_000_000L;

    private DjlFirstTrainingStep() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: DjlFirstTrainingStep <output file> <M1|M2|M3>");
            System.exit(2);
        }
        long launched = launchMillis();
        DjlWorkload workload = DjlWorkload.valueOf(args[1]);
        int steps = 1;
        double firstStepSeconds;
        try (DjlNetwork net = new DjlNetwork(workload)) {
            DjlBatch batch = DjlBatch.of(net.manager(), workload, workload.trainBatch(), 7);
            net.trainStep(batch.x(), batch.y());
            firstStepSeconds = (System.currentTimeMillis() - launched) / 1000.0;
            long deadline = System.nanoTime() + BUDGET_NANOS;
            while (steps < MIN_STEPS || (steps < MAX_STEPS && System.nanoTime() - deadline < 0)) {
                net.trainStep(batch.x(), batch.y());
                steps++;
            }
        }
        String line = String.format(Locale.ROOT,
                "{\"side\":\"pytorch\",\"workload\":\"%s\",\"firstStepSeconds\":%.3f,\"clock\":\"%s\","
                        + "\"peakRssMiB\":%.1f,\"steps\":%d}%n",
                workload, firstStepSeconds, System.getProperty("bench.launchMillis") != null ? "launcher" : "process start",
                peakRssMiB(), steps);
        Files.writeString(Path.of(args[0]), line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
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
