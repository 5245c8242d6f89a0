// The one place that decides which library runs a float32 matrix product.
//
// On few cores, OpenBLAS's pthreads and oneDNN's OpenMP threads must not run side by side:
// after a product each pool keeps spinning for its next job, and a convolution that follows
// an OpenBLAS product shares its cores with OpenBLAS threads that are only waiting. So every
// multi-threaded product runs on oneDNN (the convolutions' OpenMP threads), and OpenBLAS, faster
// on small products, only gets those it runs on the calling thread alone.
#include "internal.h"

#include <cblas.h>
#include <stdatomic.h>

// OpenBLAS runs a product on the calling thread when m * n * k is at most
// SMP_THRESHOLD_MIN (65536) * GEMM_MULTITHREAD_THRESHOLD (4, its default build setting).
#define OPENBLAS_SINGLE_THREAD_MNK (65536.0 * 4)

static atomic_int gemm_engine = PMX_GEMM_ENGINE_AUTO;

pmx_status pmx_gemm_engine_set(int32_t engine) {
    if (engine < PMX_GEMM_ENGINE_AUTO || engine > PMX_GEMM_ENGINE_OPENBLAS)
        return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "pmx_gemm_engine_set: engine must be 0 to 2, got %d", engine);
    atomic_store(&gemm_engine, engine);
    return PMX_STATUS_OK;
}

pmx_status pmx_gemm_engine_get(int32_t *dst) {
    if (dst == NULL) return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "pmx_gemm_engine_get: dst is NULL");
    *dst = atomic_load(&gemm_engine);
    return PMX_STATUS_OK;
}

static int small(int64_t m, int64_t n, int64_t k) {
    return (double)m * (double)n * (double)k <= OPENBLAS_SINGLE_THREAD_MNK;
}

static int uses_openblas(int64_t m, int64_t n, int64_t k) {
    int engine = atomic_load_explicit(&gemm_engine, memory_order_relaxed);
    return engine == PMX_GEMM_ENGINE_OPENBLAS || (engine == PMX_GEMM_ENGINE_AUTO && small(m, n, k));
}

int pmx_sgemm_is_single_threaded(int64_t m, int64_t n, int64_t k) {
    return uses_openblas(m, n, k) && small(m, n, k);
}

pmx_status pmx_sgemm(const char *op, int trans_a, int trans_b, int64_t m, int64_t n, int64_t k,
        float alpha, const float *a, int64_t lda, const float *b, int64_t ldb, float beta, float *c, int64_t ldc) {
    if (uses_openblas(m, n, k)) {
        cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans, trans_b ? CblasTrans : CblasNoTrans,
                (int)m, (int)n, (int)k, alpha, a, (int)lda, b, (int)ldb, beta, c, (int)ldc);
        return PMX_STATUS_OK;
    }
    // oneDNN's sgemm is row-major too; beta 0 ignores c's content as BLAS does.
    dnnl_status_t st = dnnl_sgemm(trans_a ? 'T' : 'N', trans_b ? 'T' : 'N', m, n, k, alpha, a, lda, b, ldb,
            beta, c, ldc);
    return st == dnnl_success ? PMX_STATUS_OK : pmx_fail_dnnl(st, op, "sgemm");
}
