package dev.panamax.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The machine the report was written on (the one the benchmarks ran on), as Linux describes it. */
record Machine(String cpuModel, int logicalCpus, List<String> vectorIsa, long memoryMiB, String os, String jdk) {
    private static final Set<String> ISA_FLAGS = Set.of("avx2", "fma", "avx512f", "avx512_bf16", "avx512_vnni",
            "amx_bf16", "amx_tile");

    static Machine describe() throws IOException {
        String model = "unknown";
        List<String> isa = new ArrayList<>();
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (Files.exists(cpuinfo)) {
            for (String line : Files.readAllLines(cpuinfo)) {
                if (model.equals("unknown") && line.startsWith("model name")) model = value(line);
                if (isa.isEmpty() && line.startsWith("flags")) {
                    for (String f : value(line).split("\\s+")) if (ISA_FLAGS.contains(f)) isa.add(f);
                }
            }
        }
        long memory = 0;
        Path meminfo = Path.of("/proc/meminfo");
        if (Files.exists(meminfo)) {
            for (String line : Files.readAllLines(meminfo)) {
                if (line.startsWith("MemTotal:")) memory = Long.parseLong(value(line).replace("kB", "").strip()) / 1024;
            }
        }
        String os = System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch");
        String jdk = System.getProperty("java.vm.vendor") + " " + Runtime.version();
        return new Machine(model, Runtime.getRuntime().availableProcessors(), isa, memory, os, jdk);
    }

    private static String value(String line) {
        return line.substring(line.indexOf(':') + 1).strip();
    }
}
