package dev.panamax.backend.nativecpu;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Detects an {@code OPENBLAS_CORETYPE} override that picks kernels for an older CPU than this
 * one (say Haswell's AVX2 kernels on an AVX-512 CPU, which halves sgemm speed). OpenBLAS reads
 * the variable when it loads, so all we can do is say so.
 */
final class OpenBlasCoreCheck {
    private static final Set<String> AVX512_CORES = Set.of("skylakex", "cooperlake", "sapphirerapids");
    private static final Set<String> AVX2_CORES = Set.of("haswell", "zen", "skylake", "excavator");

    private OpenBlasCoreCheck() {
    }

    /** A warning when {@code envCoreType} (the variable's value, or null) holds the CPU back. */
    static Optional<String> warning(String envCoreType, String blasCore, String cpuIsa) {
        if (envCoreType == null || envCoreType.isBlank()) return Optional.empty();
        int coreLevel = level(blasCore);
        int cpuLevel = cpuIsa.startsWith("avx512") || cpuIsa.startsWith("avx10") ? 3 : cpuIsa.startsWith("avx2") ? 2 : 1;
        if (coreLevel >= cpuLevel) return Optional.empty();
        return Optional.of("OPENBLAS_CORETYPE=" + envCoreType + " makes OpenBLAS use its " + blasCore
                + " kernels, older than this CPU (oneDNN detected " + cpuIsa + "); OpenBLAS matmuls may run up to"
                + " 2x slower. Unset OPENBLAS_CORETYPE (or set it to SkylakeX) to use the CPU fully.");
    }

    private static int level(String core) {
        String c = core.toLowerCase(Locale.ROOT);
        if (AVX512_CORES.contains(c)) return 3;
        if (AVX2_CORES.contains(c)) return 2;
        return 1;
    }
}
