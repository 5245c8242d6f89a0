package dev.panamax.bench.report;

import dev.panamax.bench.models.Workload;
import dev.panamax.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One cold-start run (FirstTrainingStep and the peers' equivalents): seconds from JVM launch to
 * the end of the first training step, and peak RSS after training on.
 */
record ColdStart(Side side, Workload workload, double firstStepSeconds, double peakRssMiB) {

    /** The runs in {@code file}, a JSON array of the lines the runs wrote; none when it is missing. */
    @SuppressWarnings("unchecked")
    static List<ColdStart> read(Path file) throws IOException {
        if (!Files.exists(file)) return List.of();
        List<ColdStart> runs = new ArrayList<>();
        for (Object item : (List<Object>) Json.parse(Files.readString(file))) {
            Map<String, Object> m = (Map<String, Object>) item;
            runs.add(new ColdStart(Side.of((String) m.get("side"), null), Workload.valueOf((String) m.get("workload")),
                    ((Number) m.get("firstStepSeconds")).doubleValue(), ((Number) m.get("peakRssMiB")).doubleValue()));
        }
        return runs;
    }
}
