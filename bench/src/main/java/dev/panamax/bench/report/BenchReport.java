package dev.panamax.bench.report;

import dev.panamax.bench.models.Workload;
import dev.panamax.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes bench/run.sh's report, {@code <stamp>.md} and {@code <stamp>.png}, from the files its
 * runs left in the results folder: {@code <stamp>-run.json} (settings and which sides ran),
 * {@code <stamp>-env-<run>.json} (each side's libraries and threads), the JMH results
 * {@code <stamp>-<run>.json} and the cold starts {@code <stamp>-startup.json}.
 *
 * <p>Usage: {@code BenchReport <results folder> <stamp>}.
 */
public final class BenchReport {
    private static final List<String> RUNS = List.of("panamax", "dl4j", "pytorch");

    private final Path dir;
    private final String stamp;

    private BenchReport(Path dir, String stamp) {
        this.dir = dir;
        this.stamp = stamp;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: BenchReport <results folder> <stamp>");
            System.exit(2);
        }
        Path md = write(Path.of(args[0]), args[1]);
        System.out.println("wrote " + md);
    }

    /** Writes {@code <stamp>.md} and {@code <stamp>.png} in {@code dir}; returns the Markdown file. */
    static Path write(Path dir, String stamp) throws IOException {
        return new BenchReport(dir, stamp).write();
    }

    private Path file(String suffix) {
        return dir.resolve(stamp + suffix);
    }

    @SuppressWarnings("unchecked")
    private Path write() throws IOException {
        Map<String, Object> run = Json.parseObject(Files.readString(file("-run.json")));
        Map<String, Map<String, Object>> sides = new LinkedHashMap<>();
        for (Object s : (List<Object>) run.get("sides")) {
            Map<String, Object> side = (Map<String, Object>) s;
            sides.put((String) side.get("run"), side);
        }
        Set<Side> ran = EnumSet.noneOf(Side.class);
        for (Side s : Side.values()) {
            Map<String, Object> side = sides.get(s.run());
            if (side != null && "ran".equals(side.get("status"))) ran.add(s);
        }
        List<JmhRecord> models = new ArrayList<>();
        for (String r : RUNS) models.addAll(JmhRecord.read(file("-" + r + ".json"), r));
        List<JmhRecord> ops = JmhRecord.read(file("-panamax-ops.json"), "panamax");
        ModelResults results = ModelResults.of(models, ColdStart.read(file("-startup.json")));

        StringBuilder md = new StringBuilder();
        md.append("# Panamax benchmarks: ").append(run.get("date")).append(", ").append(run.get("host")).append("\n\n");
        Object label = run.get("label");
        if (label instanceof String l && !l.isBlank()) md.append("> **").append(l).append("**\n\n");
        md.append(String.format(Locale.ROOT, "%s run of `bench/run.sh`%s, %d compute thread%s per side, %s.%n%n",
                "full".equals(run.get("mode")) ? "Full" : "Quick", "full".equals(run.get("mode")) ? " --full" : "",
                ((Number) run.get("threads")).intValue(), ((Number) run.get("threads")).intValue() == 1 ? "" : "s",
                duration(((Number) run.get("seconds")).longValue())));
        md.append(workloadsLegend());

        section(md, "Training throughput", "One whole step (forward, loss, backward, optimizer update) on a batch"
                + " already in memory; images/s. " + ComparisonTable.howToRead(Metric.TRAIN_IMAGES_PER_SECOND),
                ComparisonTable.render(perWorkload(Metric.TRAIN_IMAGES_PER_SECOND), results, ran));
        section(md, "Heap allocated per training step", "Bytes of Java heap per step (JMH `-prof gc`,"
                + " gc.alloc.rate.norm); native memory is not counted. "
                + ComparisonTable.howToRead(Metric.TRAIN_HEAP_BYTES_PER_STEP),
                ComparisonTable.render(perWorkload(Metric.TRAIN_HEAP_BYTES_PER_STEP), results, ran));
        List<ComparisonTable.Row> latency = new ArrayList<>();
        for (Workload w : Workload.values()) {
            latency.add(new ComparisonTable.Row(w + " median", Metric.LATENCY_MEDIAN_MS, w));
            latency.add(new ComparisonTable.Row(w + " p99", Metric.LATENCY_P99_MS, w));
        }
        section(md, "Inference latency, batch 1", "One image through the model, sampled (JMH SampleTime); ms. "
                + ComparisonTable.howToRead(Metric.LATENCY_MEDIAN_MS),
                ComparisonTable.render(latency, results, ran));
        section(md, "Inference throughput, batch 128", "Batches of 128 images; images/s. "
                + ComparisonTable.howToRead(Metric.INFERENCE_IMAGES_PER_SECOND),
                ComparisonTable.render(perWorkload(Metric.INFERENCE_IMAGES_PER_SECOND), results, ran));
        List<ComparisonTable.Row> cold = new ArrayList<>();
        for (Workload w : Workload.values()) {
            if (!results.has(Metric.FIRST_STEP_SECONDS, w)) continue;
            cold.add(new ComparisonTable.Row(w + " first step (s)", Metric.FIRST_STEP_SECONDS, w));
            cold.add(new ComparisonTable.Row(w + " peak RSS (MiB)", Metric.PEAK_RSS_MIB, w));
        }
        section(md, "Cold start and memory", "A fresh JVM per side and workload (native libraries already"
                + " extracted by an earlier run): seconds from the JVM's launch to the end of the first training"
                + " step, then peak resident memory (VmHWM) after training on for up to 20 steps or 5 s"
                + (((Number) run.get("coldStartRuns")).intValue() > 1 ? "; median of " + run.get("coldStartRuns")
                + " runs" : "") + ". " + ComparisonTable.howToRead(Metric.FIRST_STEP_SECONDS),
                cold.isEmpty() ? "No cold-start results.\n" : ComparisonTable.render(cold, results, ran));
        section(md, "Panamax ops: native vs Java backend", "Panamax's op benchmarks, each checked against the"
                + " Java backend before timing. GFLOP/s where the work is known; convolutions also as a"
                + " fraction of the native 2048^3 sgemm's GFLOP/s in this run.",
                ops.isEmpty() ? "No op results.\n" : OpsTable.render(ops));

        Path png = file(".png");
        Files.deleteIfExists(png);
        if (ResultsChart.write(results, png)) {
            md.append("![Throughput, latency and time to first step per side](").append(png.getFileName())
                    .append(")\n\n");
        }
        md.append(environment(run, sides));
        Path out = file(".md");
        Files.writeString(out, md.toString());
        return out;
    }

    private static List<ComparisonTable.Row> perWorkload(Metric metric) {
        List<ComparisonTable.Row> rows = new ArrayList<>();
        for (Workload w : Workload.values()) rows.add(new ComparisonTable.Row(w.name(), metric, w));
        return rows;
    }

    private static void section(StringBuilder md, String title, String caption, String table) {
        md.append("## ").append(title).append("\n\n").append(caption).append("\n\n").append(table).append('\n');
    }

    private static String workloadsLegend() {
        StringBuilder s = new StringBuilder("Workloads, the same networks on every side:\n");
        s.append("- M1: Keras' MNIST convnet (conv 32, pool, conv 64, pool, dropout 0.5, dense 10; 34,826"
                + " parameters), 28x28x1, training batch 128, Adam 1e-3.\n");
        s.append("- M2: MLP 784-512-512-10 (ReLU; 669,706 parameters), training batch 128, Adam 1e-3.\n");
        s.append("- M3: ResNet-20 for 32x32x3 (3 stages of 3 basic blocks, 16/32/64 filters, BN+ReLU, projection"
                + " shortcuts; 272,474 trainable parameters), training batch 64, SGD 0.1 with momentum 0.9"
                + " (DL4J: Nesterov momentum, its only momentum updater).\n");
        s.append("\nInputs are seeded random images and labels. Every benchmark first checks its model: the loss is"
                + " finite and falls on its batch within 3 steps (PyTorch through DJL: within 10, as Adam's first"
                + " steps may overshoot), inference outputs are probabilities, and Panamax's"
                + " native backend agrees with its Java backend on a forward pass (to 1e-4).\n\n");
        return s.toString();
    }

    @SuppressWarnings("unchecked")
    private String environment(Map<String, Object> run, Map<String, Map<String, Object>> sides) throws IOException {
        Machine m = Machine.describe();
        StringBuilder s = new StringBuilder("## Environment\n\n");
        s.append("- CPU: ").append(m.cpuModel()).append(", ").append(m.logicalCpus()).append(" logical CPUs")
                .append(m.vectorIsa().isEmpty() ? "" : " (" + String.join(", ", m.vectorIsa()) + ")").append('\n');
        s.append("- Memory: ").append(String.format(Locale.ROOT, "%,d MiB", m.memoryMiB())).append('\n');
        s.append("- OS: ").append(m.os()).append('\n');
        s.append("- JDK: ").append(m.jdk()).append('\n');
        s.append("- JMH options: models `").append(run.get("jmhModels")).append("`, ops `").append(run.get("jmhOps"))
                .append("`; cold starts: ").append(run.get("coldStartWorkloads")).append(", ")
                .append(run.get("coldStartRuns")).append(" timed run(s) each after one untimed run\n\n");
        MarkdownTable table = new MarkdownTable(List.of("Side", "Library", "BLAS", "BLAS kernels in use",
                "Threads", "Environment", "JVM options"), 7);
        List<String> notes = new ArrayList<>();
        for (String r : RUNS) {
            Map<String, Object> side = sides.get(r);
            if (side == null) continue;
            Path probe = file("-env-" + r + ".json");
            Map<String, Object> env = Files.exists(probe) ? Json.parseObject(Files.readString(probe)) : Map.of();
            String threads = env.containsKey("threads") ? String.valueOf(env.get("threads")) : "";
            if (env.containsKey("blasThreads")) threads += " (BLAS " + env.get("blasThreads") + ")";
            if (env.containsKey("interopThreads")) threads += " (inter-op " + env.get("interopThreads") + ")";
            String library = String.valueOf(env.getOrDefault("library", ""));
            if (env.containsKey("cpuIsa")) library += ", oneDNN ISA " + env.get("cpuIsa");
            if (env.containsKey("javaKernel")) library += "; Java backend kernel: " + env.get("javaKernel");
            table.row(List.of(title(r), library, String.valueOf(env.getOrDefault("blas", "")),
                    String.valueOf(env.getOrDefault("blasCore", "")), threads,
                    String.valueOf(side.getOrDefault("env", "")), "`" + side.getOrDefault("jvmArgs", "") + "`"));
            if (!"ran".equals(side.get("status"))) notes.add(title(r) + " did not run: " + side.get("note"));
        }
        s.append(table.render()).append('\n');
        for (String n : notes) s.append("- ").append(n).append('\n');
        if (!notes.isEmpty()) s.append('\n');
        s.append("Logs of every run are in bench/target/bench-logs/; raw JMH results in bench/results/")
                .append(stamp).append("-*.json.\n");
        return s.toString();
    }

    private static String title(String run) {
        return switch (run) {
            case "panamax" -> "Panamax";
            case "dl4j" -> "DL4J";
            case "pytorch" -> "PyTorch (DJL)";
            default -> run;
        };
    }

    private static String duration(long seconds) {
        return seconds >= 60 ? String.format(Locale.ROOT, "%d min %d s", seconds / 60, seconds % 60) : seconds + " s";
    }
}
