package dev.panamax.bench.report;

import dev.panamax.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One benchmark result from a JMH JSON file ({@code -rf json}).
 *
 * @param run which run of bench/run.sh wrote the file ({@code panamax}, {@code dl4j}, ...)
 * @param benchmark the fully qualified benchmark method
 * @param params the {@code @Param} values
 * @param mode JMH's mode: {@code thrpt}, {@code avgt}, {@code sample}, ...
 * @param score the primary score, in {@code unit}
 * @param percentiles for sampled results, percentile ("50.0", "99.0", ...) to value, in {@code unit}
 * @param allocBytesPerOp heap bytes allocated per operation ({@code -prof gc}), or null
 */
record JmhRecord(String run, String benchmark, Map<String, String> params, String mode, double score,
                 String unit, Map<String, Double> percentiles, Double allocBytesPerOp) {

    /** The benchmark's class, without package: {@code TrainStepBenchmark}. */
    String className() {
        String[] parts = benchmark.split("\\.");
        return parts[parts.length - 2];
    }

    /** The benchmark method: {@code trainStep}. */
    String method() {
        return benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }

    String param(String name) {
        return params.get(name);
    }

    /** Every result in {@code file}; an empty list when the file is missing (the run did not happen). */
    @SuppressWarnings("unchecked")
    static List<JmhRecord> read(Path file, String run) throws IOException {
        if (!Files.exists(file)) return List.of();
        List<JmhRecord> records = new ArrayList<>();
        for (Object item : (List<Object>) Json.parse(Files.readString(file))) {
            Map<String, Object> r = (Map<String, Object>) item;
            Map<String, String> params = new LinkedHashMap<>();
            if (r.get("params") instanceof Map<?, ?> p) p.forEach((k, v) -> params.put((String) k, String.valueOf(v)));
            Map<String, Object> primary = (Map<String, Object>) r.get("primaryMetric");
            Map<String, Double> percentiles = new LinkedHashMap<>();
            if (primary.get("scorePercentiles") instanceof Map<?, ?> p) {
                p.forEach((k, v) -> percentiles.put((String) k, number(v)));
            }
            Double alloc = null;
            if (r.get("secondaryMetrics") instanceof Map<?, ?> secondary
                    && secondary.get("gc.alloc.rate.norm") instanceof Map<?, ?> norm) {
                alloc = number(norm.get("score"));
            }
            records.add(new JmhRecord(run, (String) r.get("benchmark"), params, (String) r.get("mode"),
                    number(primary.get("score")), (String) primary.get("scoreUnit"), percentiles, alloc));
        }
        return records;
    }

    /** A JSON number, or JMH's "NaN" string. */
    private static double number(Object value) {
        return switch (value) {
            case Number n -> n.doubleValue();
            case String s -> Double.parseDouble(s);
            default -> throw new IllegalArgumentException("JMH result: expected a number, got " + value);
        };
    }
}
