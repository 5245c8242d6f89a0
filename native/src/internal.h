// Shared helpers of the shim's translation units; not part of the public API.
#ifndef PMX_INTERNAL_H
#define PMX_INTERNAL_H

#include "panamax.h"

#include <oneapi/dnnl/dnnl.h>

#define PMX_HIDDEN __attribute__((visibility("hidden")))
#define PMX_PRINTF(f, a) __attribute__((format(printf, f, a)))

// OpenBLAS and oneDNN's sgemm take 32-bit ints for sizes.
#define PMX_MAX_BLAS_DIM INT32_MAX

/// Records a message for pmx_last_error_get() and returns @p status.
PMX_HIDDEN pmx_status pmx_fail(pmx_status status, const char *fmt, ...) PMX_PRINTF(2, 3);

/// Turns a failed oneDNN status into a shim error naming @p what.
PMX_HIDDEN pmx_status pmx_fail_dnnl(dnnl_status_t st, const char *op, const char *what);

/// The process-wide CPU engine, created on first use; NULL after pmx_fail().
PMX_HIDDEN dnnl_engine_t pmx_engine(const char *op);

/// The calling thread's stream on pmx_engine(); NULL after pmx_fail().
PMX_HIDDEN dnnl_stream_t pmx_stream(const char *op);

/// Sets the calling thread's OpenMP thread count to the shim's setting.
PMX_HIDDEN void pmx_threads_apply(void);

/// Sets the calling thread's OpenMP thread count for a primitive: 1 when @p serial (a problem
/// too small to gain from a parallel region), else the shim's setting. oneDNN fixes a
/// primitive's thread count when it is created, so creation and every execution use the same.
PMX_HIDDEN void pmx_threads_apply_for(int serial);

/// Counts a created primitive or an executed reorder for pmx_stats_get().
PMX_HIDDEN void pmx_count_primitive_creation(void);
PMX_HIDDEN void pmx_count_weight_reorder(void);
PMX_HIDDEN void pmx_count_activation_reorder(void);

/// Row-major `c = alpha * op(a) * op(b) + beta * c` on the engine pmx_gemm_engine_set() chose;
/// sizes and leading dimensions already checked (each within int). Fails only when oneDNN does.
PMX_HIDDEN pmx_status pmx_sgemm(const char *op, int trans_a, int trans_b, int64_t m, int64_t n, int64_t k,
        float alpha, const float *a, int64_t lda, const float *b, int64_t ldb, float beta, float *c, int64_t ldc);

/// Whether pmx_sgemm() runs an m x n x k product on OpenBLAS on the calling thread alone (so it
/// may be called from inside an OpenMP parallel region).
PMX_HIDDEN int pmx_sgemm_is_single_threaded(int64_t m, int64_t n, int64_t k);

/// Maps a #pmx_activation to oneDNN's eltwise algorithm and parameters; fails for an unknown value.
PMX_HIDDEN pmx_status pmx_activation_alg(const char *op, int32_t activation, float alpha,
        dnnl_alg_kind_t *alg, float *dnnl_alpha, float *dnnl_beta);

/// Executes @p prim on the calling thread's stream and waits for it.
PMX_HIDDEN pmx_status pmx_execute(const char *op, dnnl_primitive_t prim, int nargs, dnnl_exec_arg_t *args);

/// Wraps caller memory in a oneDNN memory object (no copy); *mem is NULL after a failure.
PMX_HIDDEN pmx_status pmx_wrap(dnnl_memory_t *mem, const char *op, const char *name,
        const_dnnl_memory_desc_t md, const void *ptr);

/// Creates a primitive from @p pd and counts it; fails naming @p what.
PMX_HIDDEN pmx_status pmx_primitive_create(dnnl_primitive_t *prim, const char *op, const char *what,
        const_dnnl_primitive_desc_t pd);

/// Checks a (pointer, length) argument: non-NULL and at least @p need elements.
PMX_HIDDEN pmx_status pmx_check_buffer(const char *op, const char *name,
        const void *ptr, size_t len, size_t need, const char *unit);

/// Multiplies sizes; returns 0 and fails when the product overflows.
PMX_HIDDEN int pmx_mul_sizes(const char *op, size_t *dst, size_t a, size_t b);

#endif
