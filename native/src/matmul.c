// Checked float32 matrix product (gemm.c picks oneDNN or OpenBLAS). Both dereference
// whatever they are given (a NULL kills the JVM), so every size and pointer is checked here.
#include "internal.h"

static pmx_status check_dim(const char *name, int64_t v) {
    if (v < 1 || v > PMX_MAX_BLAS_DIM)
        return pmx_fail(PMX_STATUS_INVALID_ARGUMENT,
                "pmx_matmul_f32: %s must be 1 to 2147483647, got %lld", name, (long long)v);
    return PMX_STATUS_OK;
}

pmx_status pmx_matmul_f32(float *dst, size_t dst_len, const float *a, size_t a_len,
        const float *b, size_t b_len, int64_t m, int64_t n, int64_t k,
        int32_t trans_a, int32_t trans_b, float alpha, float beta) {
    static const char op[] = "pmx_matmul_f32";
    pmx_status st;
    if ((st = check_dim("m", m)) || (st = check_dim("n", n)) || (st = check_dim("k", k))) return st;
    size_t mk, kn, mn;
    if (!pmx_mul_sizes(op, &mk, (size_t)m, (size_t)k) || !pmx_mul_sizes(op, &kn, (size_t)k, (size_t)n)
            || !pmx_mul_sizes(op, &mn, (size_t)m, (size_t)n))
        return PMX_STATUS_INVALID_ARGUMENT;
    if ((st = pmx_check_buffer(op, "dst", dst, dst_len, mn, "floats"))
            || (st = pmx_check_buffer(op, "a", a, a_len, mk, "floats"))
            || (st = pmx_check_buffer(op, "b", b, b_len, kn, "floats")))
        return st;
    pmx_threads_apply();
    // Row-major leading dimensions of the stored (not transposed) matrices.
    return pmx_sgemm(op, trans_a, trans_b, m, n, k, alpha, a, trans_a ? m : k, b, trans_b ? k : n, beta, dst, n);
}
