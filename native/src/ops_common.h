// Helpers shared by the shim's plain-C operations (element-wise, reductions,
// softmax, normalization, shape ops, optimizers); not part of the public API.
#ifndef PMX_OPS_COMMON_H
#define PMX_OPS_COMMON_H

#include "internal.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

// libgomp's API; declared here so the build needs no omp.h (as in runtime.c).
extern int omp_get_max_threads(void);
extern int omp_get_num_threads(void);
extern int omp_get_thread_num(void);

/// Below this many elements an operation runs on the calling thread: a parallel
/// region costs microseconds, a 16-element ReLU tens of nanoseconds.
#define PMX_PARALLEL_MIN ((size_t)PMX_SERIAL_MAX_ELEMENTS)

/// Elements per task of the chunked parallel loops (64 KiB of floats).
#define PMX_CHUNK ((size_t)16384)

/// Runs BODY for consecutive chunks [lo, lo + len) of n elements: on the calling thread
/// when n is at most PMX_PARALLEL_MIN, else on OpenMP threads, PMX_CHUNK elements each.
#define PMX_FOR_CHUNKS(n, lo, len, BODY) do { \
        size_t pmx_n_ = (n); \
        if (pmx_n_ <= PMX_PARALLEL_MIN) { \
            size_t lo = 0, len = pmx_n_; \
            BODY; \
        } else { \
            pmx_threads_apply(); \
            size_t pmx_chunks_ = (pmx_n_ + PMX_CHUNK - 1) / PMX_CHUNK; \
            _Pragma("omp parallel for schedule(static)") \
            for (size_t pmx_c_ = 0; pmx_c_ < pmx_chunks_; pmx_c_++) { \
                size_t lo = pmx_c_ * PMX_CHUNK; \
                size_t len = pmx_n_ - lo < PMX_CHUNK ? pmx_n_ - lo : PMX_CHUNK; \
                BODY; \
            } \
        } \
    } while (0)

/// Highest rank of the N-d operations.
#define PMX_MAX_RANK 8

/// The hottest simple loops: one binary, AVX-512 (with FMA) where present, else AVX2+FMA.
#define PMX_HOT __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))

/// True for a float that is neither infinite nor NaN.
static inline int pmx_is_finite(float x) {
    return x == x && x <= 3.40282347e38f && x >= -3.40282347e38f;
}

/// Fails unless @p value is finite and in [lo, hi] (hi_open: [lo, hi)).
static inline pmx_status pmx_check_range(const char *op, const char *name, float value,
        float lo, float hi, int hi_open) {
    if (!pmx_is_finite(value) || value < lo || value > hi || (hi_open && value == hi))
        return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: %s must be finite and in [%g, %g%s, got %g",
                op, name, (double)lo, (double)hi, hi_open ? ")" : "]", (double)value);
    return PMX_STATUS_OK;
}

/// Checks N-d dims (rank 1..8, each at least 1, product within size_t) and returns their product.
static inline pmx_status pmx_check_dims(const char *op, const char *name, const int64_t *dims,
        int32_t rank, size_t *count) {
    *count = 0;
    if (rank < 1 || rank > PMX_MAX_RANK)
        return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: rank of %s must be 1 to %d, got %d",
                op, name, PMX_MAX_RANK, rank);
    if (dims == NULL) return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: %s is NULL", op, name);
    size_t n = 1;
    for (int32_t i = 0; i < rank; i++) {
        if (dims[i] < 1)
            return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: %s[%d] must be at least 1, got %lld",
                    op, name, i, (long long)dims[i]);
        if (!pmx_mul_sizes(op, &n, n, (size_t)dims[i])) return PMX_STATUS_INVALID_ARGUMENT;
    }
    if (n > SIZE_MAX / sizeof(float))
        return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: %s holds %zu elements, too many", op, name, n);
    *count = n;
    return PMX_STATUS_OK;
}

/// Checks a [rows, cols] view (each 1 or more) and returns rows * cols.
static inline pmx_status pmx_check_rows_cols(const char *op, int64_t rows, int64_t cols, size_t *count) {
    *count = 0;
    if (rows < 1 || cols < 1)
        return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: rows and cols must be at least 1, got rows=%lld cols=%lld",
                op, (long long)rows, (long long)cols);
    if (!pmx_mul_sizes(op, count, (size_t)rows, (size_t)cols)) return PMX_STATUS_INVALID_ARGUMENT;
    if (*count > SIZE_MAX / sizeof(float))
        return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: rows x cols = %zu elements, too many", op, *count);
    return PMX_STATUS_OK;
}

/// Formats dims as "[2, 3, 4]" into @p buf for error messages.
static inline const char *pmx_dims_text(char *buf, size_t cap, const int64_t *dims, int32_t rank) {
    size_t at = 0;
    buf[0] = '\0';
    at += (size_t)snprintf(buf, cap, "[");
    for (int32_t i = 0; i < rank && at < cap; i++)
        at += (size_t)snprintf(buf + at, cap - at, i ? ", %lld" : "%lld", (long long)dims[i]);
    if (at < cap) snprintf(buf + at, cap - at, "]");
    return buf;
}

/// exp(x) for float, vectorizable (no library call): Cody-Waite reduction and Cephes'
/// degree-6 polynomial, about 1 ulp on the normal range. Overflows to +inf above
/// ln(FLT_MAX), returns 0 below about ln(FLT_MIN) (no subnormal results), keeps NaN.
static inline float pmx_expf(float x) {
    float xc = x > 88.7228391116729996f ? 88.7228391116729996f : x;
    xc = xc < -87.3365447505531f ? -87.3365447505531f : xc;
    // Round x / ln2 to the nearest integer with the 1.5 * 2^23 trick (no SSE4.1 needed).
    float t = xc * 1.44269504088896341f + 12582912.0f;
    float n = t - 12582912.0f;
    float r = xc - n * 0.693359375f;
    r = r - n * -2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * r * r + r + 1.0f;
    // 2^n = 2^(n/2) * 2^(n - n/2) from the integer in t's low mantissa bits: n is -126 to 128,
    // so each factor stays a normal float.
    union { float f; int32_t i; } bits_t = { t }, s1, s2;
    int32_t ni = bits_t.i - 0x4B400000, n1 = ni >> 1;
    s1.i = (n1 + 127) << 23;
    s2.i = (ni - n1 + 127) << 23;
    float y = p * s1.f * s2.f;
    y = x > 88.7228391116729996f ? (float)INFINITY : y;
    y = x < -87.3365447505531f ? 0.0f : y;
    return y;
}

#endif
