// Dense (fully connected) forward and batched matrix products (gemm.c picks oneDNN or
// OpenBLAS). Both dereference whatever they are given (a NULL kills the JVM), so every size
// and pointer is checked here. OpenBLAS runs its own threads (not OpenMP): it is called from
// inside an OpenMP parallel region only for products it runs on the calling thread alone.
#include "internal.h"

#include <math.h>

// Below this many output values the bias and activation pass runs on one thread.
#define DENSE_PARALLEL_MIN ((size_t)1 << 15)

// Below this total m * n * k, the small products of a batch run one after another.
#define BATCHED_PARALLEL_MIN_MNK (1 << 18)

static pmx_status check_dim(const char *op, const char *name, int64_t v) {
    if (v < 1 || v > PMX_MAX_BLAS_DIM)
        return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: %s must be 1 to 2147483647, got %lld",
                op, name, (long long)v);
    return PMX_STATUS_OK;
}

// 1 / (1 + exp(-x)) without overflow for large |x|.
static inline float sigmoid(float x) {
    if (x >= 0.f) return 1.f / (1.f + expf(-x));
    float e = expf(x);
    return e / (1.f + e);
}

static inline float activate(int32_t activation, float alpha, float x) {
    switch (activation) {
        case PMX_ACTIVATION_RELU: return x > 0.f ? x : 0.f;
        case PMX_ACTIVATION_LEAKY_RELU: return x > 0.f ? x : alpha * x;
        case PMX_ACTIVATION_ELU: return x > 0.f ? x : alpha * expm1f(x);
        case PMX_ACTIVATION_GELU: return 0.5f * x * (1.f + erff(x * 0.70710678118654752f));
        case PMX_ACTIVATION_SIGMOID: return sigmoid(x);
        case PMX_ACTIVATION_TANH: return tanhf(x);
        case PMX_ACTIVATION_SWISH: return x * sigmoid(x);
        default: return x;
    }
}

// dst[r, :] = act(dst[r, :] + bias) for every row; bias may be NULL.
static void epilogue(float *dst, const float *bias, size_t rows, size_t cols, int32_t activation,
        float alpha) {
    int parallel = rows > 1 && rows * cols >= DENSE_PARALLEL_MIN;
    #pragma omp parallel for schedule(static) if (parallel)
    for (size_t r = 0; r < rows; r++) {
        float *row = dst + r * cols;
        if (bias != NULL && activation == PMX_ACTIVATION_LINEAR) {
            for (size_t j = 0; j < cols; j++) row[j] += bias[j];
        } else if (bias != NULL) {
            for (size_t j = 0; j < cols; j++) row[j] = activate(activation, alpha, row[j] + bias[j]);
        } else {
            for (size_t j = 0; j < cols; j++) row[j] = activate(activation, alpha, row[j]);
        }
    }
}

pmx_status pmx_dense_fwd(float *dst, size_t dst_len, const float *x, size_t x_len, const float *kernel,
        size_t kernel_len, const float *bias, size_t bias_len, int64_t rows, int64_t in_features,
        int64_t out_features, int32_t activation, float activation_alpha) {
    static const char op[] = "pmx_dense_fwd";
    pmx_status st;
    if ((st = check_dim(op, "rows", rows)) || (st = check_dim(op, "in_features", in_features))
            || (st = check_dim(op, "out_features", out_features)))
        return st;
    // Validates the activation and, for leaky ReLU and ELU, a finite alpha.
    dnnl_alg_kind_t alg;
    float unused_alpha, unused_beta;
    if ((st = pmx_activation_alg(op, activation, activation_alpha, &alg, &unused_alpha, &unused_beta)))
        return st;
    size_t x_need, kernel_need, dst_need;
    if (!pmx_mul_sizes(op, &x_need, (size_t)rows, (size_t)in_features)
            || !pmx_mul_sizes(op, &kernel_need, (size_t)in_features, (size_t)out_features)
            || !pmx_mul_sizes(op, &dst_need, (size_t)rows, (size_t)out_features))
        return PMX_STATUS_INVALID_ARGUMENT;
    if ((st = pmx_check_buffer(op, "dst", dst, dst_len, dst_need, "floats"))
            || (st = pmx_check_buffer(op, "x", x, x_len, x_need, "floats"))
            || (st = pmx_check_buffer(op, "kernel", kernel, kernel_len, kernel_need, "floats")))
        return st;
    if (bias != NULL && (st = pmx_check_buffer(op, "bias", bias, bias_len, (size_t)out_features, "floats")))
        return st;
    pmx_threads_apply();
    if ((st = pmx_sgemm(op, 0, 0, rows, out_features, in_features, 1.f, x, in_features, kernel, out_features, 0.f,
                dst, out_features)))
        return st;
    if (bias != NULL || activation != PMX_ACTIVATION_LINEAR)
        epilogue(dst, bias, (size_t)rows, (size_t)out_features, activation, activation_alpha);
    return PMX_STATUS_OK;
}

pmx_status pmx_batched_matmul_f32(float *dst, size_t dst_len, const float *a, size_t a_len,
        const float *b, size_t b_len, int64_t batch, int64_t m, int64_t n, int64_t k,
        int32_t trans_a, int32_t trans_b) {
    static const char op[] = "pmx_batched_matmul_f32";
    pmx_status st;
    if ((st = check_dim(op, "batch", batch)) || (st = check_dim(op, "m", m)) || (st = check_dim(op, "n", n))
            || (st = check_dim(op, "k", k)))
        return st;
    size_t mk, kn, mn, a_need, b_need, dst_need;
    if (!pmx_mul_sizes(op, &mk, (size_t)m, (size_t)k) || !pmx_mul_sizes(op, &kn, (size_t)k, (size_t)n)
            || !pmx_mul_sizes(op, &mn, (size_t)m, (size_t)n)
            || !pmx_mul_sizes(op, &a_need, (size_t)batch, mk)
            || !pmx_mul_sizes(op, &b_need, (size_t)batch, kn)
            || !pmx_mul_sizes(op, &dst_need, (size_t)batch, mn))
        return PMX_STATUS_INVALID_ARGUMENT;
    if ((st = pmx_check_buffer(op, "dst", dst, dst_len, dst_need, "floats"))
            || (st = pmx_check_buffer(op, "a", a, a_len, a_need, "floats"))
            || (st = pmx_check_buffer(op, "b", b, b_len, b_need, "floats")))
        return st;
    pmx_threads_apply();
    // Row-major leading dimensions of the stored (not transposed) matrices.
    int64_t lda = trans_a ? m : k;
    int64_t ldb = trans_b ? k : n;
    if (batch > 1 && pmx_sgemm_is_single_threaded(m, n, k)) {
        // Small products (attention heads): one per OpenMP thread, each on OpenBLAS alone (which
        // cannot fail). A parallel region costs microseconds: only worth it for enough work.
        int parallel = (double)batch * (double)m * (double)n * (double)k >= BATCHED_PARALLEL_MIN_MNK;
        #pragma omp parallel for schedule(static) if (parallel)
        for (size_t i = 0; i < (size_t)batch; i++)
            (void)pmx_sgemm(op, trans_a, trans_b, m, n, k, 1.f, a + i * mk, lda, b + i * kn, ldb, 0.f,
                    dst + i * mn, n);
        return PMX_STATUS_OK;
    }
    // Large products one after another, each parallel inside. (This OpenBLAS build's
    // cblas_sgemm_batch_strided crashes: its batch thread jumps through a NULL kernel pointer.)
    for (size_t i = 0; i < (size_t)batch; i++) {
        st = pmx_sgemm(op, trans_a, trans_b, m, n, k, 1.f, a + i * mk, lda, b + i * kn, ldb, 0.f, dst + i * mn, n);
        if (st) return st;
    }
    return PMX_STATUS_OK;
}
