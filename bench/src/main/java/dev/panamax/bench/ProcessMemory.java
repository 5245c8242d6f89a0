package dev.panamax.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's peak resident set size, as Linux reports it. */
final class ProcessMemory {
    private static final Path STATUS = Path.of("/proc/self/status");

    private ProcessMemory() {
    }

    /** VmHWM, the high-water mark of resident memory, in MiB. */
    static double peakRssMiB() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmHWM:")) {
                    String kib = line.substring("VmHWM:".length()).replace("kB", "").strip();
                    return Long.parseLong(kib) / 1024.0;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("ProcessMemory: cannot read " + STATUS, e);
        }
        throw new IllegalStateException("ProcessMemory: " + STATUS + " has no VmHWM line (not Linux?)");
    }
}
