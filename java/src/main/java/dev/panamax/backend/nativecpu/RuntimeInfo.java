package dev.panamax.backend.nativecpu;

/**
 * Versions and settings of the native runtime, as the shim reports them.
 *
 * @param panamaxVersion version of libpanamax.so
 * @param dnnlVersion oneDNN version and commit
 * @param cpuIsa the instruction set oneDNN dispatches to, e.g. {@code avx512_core_bf16}
 * @param blasConfig OpenBLAS's build configuration
 * @param blasCore the OpenBLAS kernel family in use, e.g. {@code Haswell}
 * @param computeThreads threads applied to oneDNN and OpenBLAS
 * @param blasThreads threads OpenBLAS reports
 * @param cpuCount logical processors OpenBLAS detected
 */
public record RuntimeInfo(String panamaxVersion, String dnnlVersion, String cpuIsa, String blasConfig,
                          String blasCore, int computeThreads, int blasThreads, int cpuCount) {

    /** OpenBLAS's version, from its configuration string ("OpenBLAS 0.3.31 ..."). */
    public String blasVersion() {
        String[] words = blasConfig.split("\\s+");
        return words.length > 1 && words[0].equals("OpenBLAS") ? words[1] : blasConfig;
    }
}
