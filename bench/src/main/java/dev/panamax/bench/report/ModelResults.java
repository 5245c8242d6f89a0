package dev.panamax.bench.report;

import dev.panamax.bench.models.Workload;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The model comparison's numbers: metric, workload and side to value, from the JMH results of
 * every side and the cold-start runs. Throughputs become images/s (operations/s x batch), times
 * milliseconds; where a side ran several cold starts the median counts.
 */
final class ModelResults {
    private final Map<Metric, Map<Workload, Map<Side, Double>>> values = new EnumMap<>(Metric.class);

    static ModelResults of(List<JmhRecord> records, List<ColdStart> coldStarts) {
        ModelResults r = new ModelResults();
        for (JmhRecord rec : records) {
            String model = rec.param("model");
            if (model == null) continue;
            Workload w = Workload.valueOf(model);
            Side side = Side.of(rec.run(), rec.param("backend"));
            switch (rec.method()) {
                case "trainStep" -> {
                    r.put(Metric.TRAIN_IMAGES_PER_SECOND, w, side, perSecond(rec) * w.trainBatch());
                    if (rec.allocBytesPerOp() != null) {
                        r.put(Metric.TRAIN_HEAP_BYTES_PER_STEP, w, side, rec.allocBytesPerOp());
                    }
                }
                case "throughputBatch128" ->
                        r.put(Metric.INFERENCE_IMAGES_PER_SECOND, w, side, perSecond(rec) * Workload.INFERENCE_BATCH);
                case "latencyBatch1" -> {
                    r.put(Metric.LATENCY_MEDIAN_MS, w, side, millis(rec, "50.0"));
                    r.put(Metric.LATENCY_P99_MS, w, side, millis(rec, "99.0"));
                }
                default -> {
                    // another benchmark of the same classes: not part of the comparison
                }
            }
        }
        Map<Workload, Map<Side, List<ColdStart>>> runs = new EnumMap<>(Workload.class);
        for (ColdStart c : coldStarts) {
            runs.computeIfAbsent(c.workload(), k -> new EnumMap<>(Side.class))
                    .computeIfAbsent(c.side(), k -> new ArrayList<>()).add(c);
        }
        runs.forEach((w, bySide) -> bySide.forEach((side, list) -> {
            r.put(Metric.FIRST_STEP_SECONDS, w, side, median(list.stream().mapToDouble(ColdStart::firstStepSeconds).toArray()));
            r.put(Metric.PEAK_RSS_MIB, w, side, median(list.stream().mapToDouble(ColdStart::peakRssMiB).toArray()));
        }));
        return r;
    }

    /** The value, or null when there is none. */
    Double get(Metric metric, Workload workload, Side side) {
        return values.getOrDefault(metric, Map.of()).getOrDefault(workload, Map.of()).get(side);
    }

    /** Whether any side has a value of {@code metric} for {@code workload}. */
    boolean has(Metric metric, Workload workload) {
        return !values.getOrDefault(metric, Map.of()).getOrDefault(workload, Map.of()).isEmpty();
    }

    private void put(Metric metric, Workload workload, Side side, double value) {
        values.computeIfAbsent(metric, k -> new EnumMap<>(Workload.class))
                .computeIfAbsent(workload, k -> new EnumMap<>(Side.class)).put(side, value);
    }

    private static double perSecond(JmhRecord rec) {
        if (!rec.unit().equals("ops/s")) {
            throw new IllegalArgumentException("ModelResults: " + rec.benchmark() + " reports " + rec.unit()
                    + "; expected ops/s");
        }
        return rec.score();
    }

    private static double millis(JmhRecord rec, String percentile) {
        Double us = rec.percentiles().get(percentile);
        if (us == null || !rec.unit().equals("us/op")) {
            throw new IllegalArgumentException("ModelResults: " + rec.benchmark() + " has no " + percentile
                    + " percentile in us/op (unit " + rec.unit() + ", percentiles " + rec.percentiles().keySet() + ")");
        }
        return us / 1000;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
