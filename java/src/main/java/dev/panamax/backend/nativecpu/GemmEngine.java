package dev.panamax.backend.nativecpu;

/**
 * Which library runs the native backend's float32 matrix products (matmul, gemm, dense,
 * batched matmul). See {@link NativeBackend#gemmEngine(GemmEngine)}.
 */
public enum GemmEngine {
    /**
     * Per product (the default): small ones (m·n·k up to 262144, which OpenBLAS runs on the
     * calling thread) on OpenBLAS, larger ones on oneDNN. Every multi-threaded product then runs
     * on oneDNN's OpenMP threads, like the convolutions, so OpenBLAS's thread pool never spins
     * beside them on the same cores.
     */
    AUTO,
    /** oneDNN's sgemm for every product. */
    ONEDNN,
    /** OpenBLAS's sgemm for every product, on its own threads when large. */
    OPENBLAS
}
