package dev.panamax.bench.report;

import dev.panamax.backend.Conv2dSpec;
import dev.panamax.bench.DenseSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Panamax's op benchmarks (every benchmark of the bench module other than the model ones), native
 * against Java: a row per benchmark and problem, with GFLOP/s where the work of an operation is
 * known (convolutions and dense layers from their descriptors, sgemm from its size) and, for
 * convolutions, the fraction of the native sgemm's GFLOP/s in the same run: the machine's practical
 * peak.
 */
final class OpsTable {
    private OpsTable() {
    }

    private record Key(String benchmark, Map<String, String> problem) {
    }

    static String render(List<JmhRecord> records) {
        Map<Key, Map<String, JmhRecord>> byProblem = new LinkedHashMap<>();
        for (JmhRecord r : records) {
            Map<String, String> problem = new LinkedHashMap<>(r.params());
            String backend = Objects.requireNonNullElse(problem.remove("backend"), "native");
            byProblem.computeIfAbsent(new Key(r.className() + "." + r.method(), problem), k -> new LinkedHashMap<>())
                    .put(backend, r);
        }
        double peak = sgemmPeak(records);
        MarkdownTable table = new MarkdownTable(List.of("Benchmark", "Problem", "Panamax native", "Panamax Java",
                "Unit", "native / Java speed", "native GFLOP/s", "of sgemm peak"), 2);
        for (var e : byProblem.entrySet()) {
            JmhRecord nat = e.getValue().get("native");
            JmhRecord onJava = e.getValue().get("java");
            JmhRecord any = nat != null ? nat : onJava;
            List<String> cells = new ArrayList<>();
            cells.add(e.getKey().benchmark());
            cells.add(describe(e.getKey().problem()));
            cells.add(nat != null ? Numbers.format(nat.score()) : "");
            cells.add(onJava != null ? Numbers.format(onJava.score()) : "");
            cells.add(any.unit());
            cells.add(nat != null && onJava != null ? Numbers.ratio(opsPerSecond(nat) / opsPerSecond(onJava)) : "");
            double gflops = nat != null ? flopsPerOp(nat) * opsPerSecond(nat) / 1e9 : Double.NaN;
            cells.add(Double.isNaN(gflops) ? "" : Numbers.format(gflops));
            boolean conv = nat != null && nat.param("conv") != null;
            cells.add(conv && !Double.isNaN(gflops) && peak > 0
                    ? String.format(Locale.ROOT, "%.0f%%", 100 * gflops / peak) : "");
            table.row(cells);
        }
        return table.render();
    }

    /** The native sgemm's GFLOP/s in this run, or NaN. */
    static double sgemmPeak(List<JmhRecord> records) {
        for (JmhRecord r : records) {
            if (r.className().equals("GemmBenchmark") && "native".equals(r.param("backend"))) {
                return flopsPerOp(r) * opsPerSecond(r) / 1e9;
            }
        }
        return Double.NaN;
    }

    /** Floating-point operations of one benchmark call, where known; else NaN. */
    static double flopsPerOp(JmhRecord r) {
        // Backward (data and weights) does twice the forward pass's multiply-adds.
        double passes = r.method().toLowerCase(Locale.ROOT).contains("backward") ? 2 : 1;
        if (r.param("conv") != null) return passes * Conv2dSpec.parse(r.param("conv")).flops();
        if (r.param("dense") != null) return passes * DenseSpec.parse(r.param("dense")).flops();
        if (r.className().equals("GemmBenchmark") && r.param("size") != null) {
            double n = Double.parseDouble(r.param("size"));
            return 2 * n * n * n;
        }
        return Double.NaN;
    }

    /** The score as operations per second, whatever JMH's unit. */
    static double opsPerSecond(JmhRecord r) {
        String[] unit = r.unit().split("/");
        if (unit.length != 2) throw new IllegalArgumentException("OpsTable: unknown JMH unit " + r.unit());
        boolean timePerOp = unit[1].equals("op");
        double seconds = switch (timePerOp ? unit[0] : unit[1]) {
            case "s" -> 1;
            case "ms" -> 1e-3;
            case "us" -> 1e-6;
            case "ns" -> 1e-9;
            case "min" -> 60;
            default -> throw new IllegalArgumentException("OpsTable: unknown JMH unit " + r.unit());
        };
        return timePerOp ? 1 / (r.score() * seconds) : r.score() / seconds;
    }

    private static String describe(Map<String, String> problem) {
        if (problem.isEmpty()) return "";
        List<String> parts = new ArrayList<>();
        problem.forEach((k, v) -> parts.add(problem.size() == 1 ? v : k + "=" + v));
        return String.join(", ", parts);
    }
}
