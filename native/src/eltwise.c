// Element-wise operations: activations forward and backward, affine maps, dropout.
#include "ops_common.h"

static pmx_status check_activation(const char *op, int32_t activation, float alpha) {
    if (activation < PMX_ACTIVATION_LINEAR || activation > PMX_ACTIVATION_SWISH)
        return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: activation must be 0 to 7, got %d", op, activation);
    if ((activation == PMX_ACTIVATION_LEAKY_RELU || activation == PMX_ACTIVATION_ELU) && !pmx_is_finite(alpha))
        return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: activation alpha must be finite, got %g", op, (double)alpha);
    return PMX_STATUS_OK;
}

// Phi(x) = 0.5 * erfc(-x / sqrt 2): erfc keeps its relative accuracy where 1 + erf(x) cancels.
static inline float gelu_cdf(float x) { return 0.5f * erfcf(-x * 0.70710678118654752f); }

// tanh, vectorizable: Cephes' odd polynomial below 0.625, else 1 - 2 / (exp(2|x|) + 1).
static inline float pmx_tanhf(float x) {
    float a = fabsf(x), z = x * x;
    float p = -5.70498872745e-3f;
    p = p * z + 2.06390887954e-2f;
    p = p * z - 5.37397155531e-2f;
    p = p * z + 1.33314422036e-1f;
    p = p * z - 3.33332819422e-1f;
    float small = x + x * z * p;
    float big = 1.f - 2.f / (pmx_expf(2.f * a) + 1.f);
    big = x < 0.f ? -big : big;
    return a < 0.625f ? small : big;
}

// exp(x) - 1 for x <= 0, vectorizable: Taylor series above -0.35 (no cancellation), else exp(x) - 1.
static inline float pmx_expm1f_neg(float x) {
    float p = 1.f / 362880.f;
    p = p * x + 1.f / 40320.f;
    p = p * x + 1.f / 5040.f;
    p = p * x + 1.f / 720.f;
    p = p * x + 1.f / 120.f;
    p = p * x + 1.f / 24.f;
    p = p * x + 1.f / 6.f;
    p = p * x + 0.5f;
    float small = x + x * x * p;
    return x > -0.35f ? small : pmx_expf(x) - 1.f;
}

// In-place use (dst == src) is safe: every iteration reads element i before writing element i.
PMX_HOT static void act_fwd_kernel(float *restrict dst, const float *restrict src, size_t n,
        int32_t activation, float alpha) {
    switch (activation) {
        case PMX_ACTIVATION_LINEAR:
            if (dst != src) memcpy(dst, src, n * sizeof(float));
            break;
        case PMX_ACTIVATION_RELU:
            for (size_t i = 0; i < n; i++) {
                float x = src[i];
                dst[i] = (x > 0.f || x != x) ? x : 0.f;
            }
            break;
        case PMX_ACTIVATION_LEAKY_RELU:
            for (size_t i = 0; i < n; i++) {
                float x = src[i];
                dst[i] = x > 0.f ? x : alpha * x;
            }
            break;
        case PMX_ACTIVATION_ELU:
            for (size_t i = 0; i < n; i++) {
                float x = src[i];
                dst[i] = x > 0.f ? x : alpha * pmx_expm1f_neg(x);
            }
            break;
        case PMX_ACTIVATION_GELU:
            for (size_t i = 0; i < n; i++) dst[i] = src[i] * gelu_cdf(src[i]);
            break;
        case PMX_ACTIVATION_SIGMOID:
            for (size_t i = 0; i < n; i++) dst[i] = 1.f / (1.f + pmx_expf(-src[i]));
            break;
        case PMX_ACTIVATION_TANH:
            for (size_t i = 0; i < n; i++) dst[i] = pmx_tanhf(src[i]);
            break;
        case PMX_ACTIVATION_SWISH:
            for (size_t i = 0; i < n; i++) dst[i] = src[i] / (1.f + pmx_expf(-src[i]));
            break;
    }
}

// diff_src may be diff_dst: element i is read before it is written.
PMX_HOT static void act_bwd_kernel(float *restrict diff_src, const float *restrict src,
        const float *restrict diff_dst, size_t n, int32_t activation, float alpha) {
    switch (activation) {
        case PMX_ACTIVATION_LINEAR:
            if (diff_src != diff_dst) memcpy(diff_src, diff_dst, n * sizeof(float));
            break;
        case PMX_ACTIVATION_RELU:
            for (size_t i = 0; i < n; i++) diff_src[i] = src[i] > 0.f ? diff_dst[i] : 0.f;
            break;
        case PMX_ACTIVATION_LEAKY_RELU:
            for (size_t i = 0; i < n; i++) diff_src[i] = src[i] > 0.f ? diff_dst[i] : alpha * diff_dst[i];
            break;
        case PMX_ACTIVATION_ELU:
            for (size_t i = 0; i < n; i++) {
                float x = src[i];
                diff_src[i] = x > 0.f ? diff_dst[i] : diff_dst[i] * (alpha * pmx_expf(x));
            }
            break;
        case PMX_ACTIVATION_GELU:
            for (size_t i = 0; i < n; i++) {
                float x = src[i];
                float pdf = 0.398942280401432678f * pmx_expf(-0.5f * x * x);
                diff_src[i] = diff_dst[i] * (gelu_cdf(x) + x * pdf);
            }
            break;
        case PMX_ACTIVATION_SIGMOID:
            // s' = e / (1 + e)^2 with e = exp(-|x|): no cancellation in 1 - s.
            for (size_t i = 0; i < n; i++) {
                float e = pmx_expf(-fabsf(src[i]));
                float q = 1.f / (1.f + e);
                diff_src[i] = diff_dst[i] * (e * q * q);
            }
            break;
        case PMX_ACTIVATION_TANH:
            // 1 - tanh^2 = 4e / (1 + e)^2 with e = exp(-2|x|).
            for (size_t i = 0; i < n; i++) {
                float e = pmx_expf(-2.f * fabsf(src[i]));
                float q = 1.f / (1.f + e);
                diff_src[i] = diff_dst[i] * (4.f * e * q * q);
            }
            break;
        case PMX_ACTIVATION_SWISH:
            // s + x s (1 - s), with s (1 - s) = e / (1 + e)^2 and e = exp(-|x|).
            for (size_t i = 0; i < n; i++) {
                float x = src[i];
                float e = pmx_expf(-fabsf(x));
                float q = 1.f / (1.f + e);
                float s = x >= 0.f ? q : e * q;
                diff_src[i] = diff_dst[i] * (s + x * (e * q * q));
            }
            break;
    }
}

pmx_status pmx_activation_fwd(float *dst, size_t dst_len, const float *src, size_t src_len,
        int32_t activation, float alpha) {
    static const char op[] = "pmx_activation_fwd";
    pmx_status st;
    if ((st = pmx_check_buffer(op, "dst", dst, dst_len, src_len, "floats"))
            || (st = pmx_check_buffer(op, "src", src, src_len, 0, "floats"))
            || (st = check_activation(op, activation, alpha)))
        return st;
    PMX_FOR_CHUNKS(src_len, lo, len, act_fwd_kernel(dst + lo, src + lo, len, activation, alpha));
    return PMX_STATUS_OK;
}

pmx_status pmx_activation_bwd(float *diff_src, size_t diff_src_len, const float *src, size_t src_len,
        const float *diff_dst, size_t diff_dst_len, int32_t activation, float alpha) {
    static const char op[] = "pmx_activation_bwd";
    pmx_status st;
    if ((st = pmx_check_buffer(op, "diff_src", diff_src, diff_src_len, src_len, "floats"))
            || (st = pmx_check_buffer(op, "src", src, src_len, 0, "floats"))
            || (st = pmx_check_buffer(op, "diff_dst", diff_dst, diff_dst_len, src_len, "floats"))
            || (st = check_activation(op, activation, alpha)))
        return st;
    PMX_FOR_CHUNKS(src_len, lo, len,
            act_bwd_kernel(diff_src + lo, src + lo, diff_dst + lo, len, activation, alpha));
    return PMX_STATUS_OK;
}

PMX_HOT static void affine_kernel(float *restrict dst, const float *restrict src, size_t n,
        float alpha, float beta) {
    for (size_t i = 0; i < n; i++) dst[i] = alpha * src[i] + beta;
}

pmx_status pmx_affine(float *dst, size_t dst_len, const float *src, size_t src_len, float alpha, float beta) {
    static const char op[] = "pmx_affine";
    pmx_status st;
    if ((st = pmx_check_buffer(op, "dst", dst, dst_len, src_len, "floats"))
            || (st = pmx_check_buffer(op, "src", src, src_len, 0, "floats")))
        return st;
    PMX_FOR_CHUNKS(src_len, lo, len, affine_kernel(dst + lo, src + lo, len, alpha, beta));
    return PMX_STATUS_OK;
}

// DropoutRandom.uniform: SplitMix64's finalizer over seed + (index + 1) * golden ratio, top 24 bits.
PMX_HOT static void dropout_kernel(float *restrict dst, float *restrict mask, const float *restrict src,
        size_t n, uint64_t first, uint64_t seed, float rate, float scale) {
    for (size_t i = 0; i < n; i++) {
        uint64_t z = seed + (first + i + 1) * 0x9E3779B97F4A7C15ull;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        z ^= z >> 31;
        float u = (float)(int32_t)(z >> 40) * 0x1.0p-24f;
        float m = u >= rate ? scale : 0.f;
        mask[i] = m;
        dst[i] = src[i] * m;
    }
}

pmx_status pmx_dropout_fwd(float *dst, size_t dst_len, float *mask, size_t mask_len, const float *src,
        size_t src_len, float rate, int64_t seed) {
    static const char op[] = "pmx_dropout_fwd";
    pmx_status st;
    if ((st = pmx_check_buffer(op, "dst", dst, dst_len, src_len, "floats"))
            || (st = pmx_check_buffer(op, "mask", mask, mask_len, src_len, "floats"))
            || (st = pmx_check_buffer(op, "src", src, src_len, 0, "floats"))
            || (st = pmx_check_range(op, "rate", rate, 0.f, 1.f, 1)))
        return st;
    if ((const float *)mask == src || mask == dst)
        return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: mask must not be src or dst", op);
    float scale = 1.f / (1.f - rate);
    PMX_FOR_CHUNKS(src_len, lo, len,
            dropout_kernel(dst + lo, mask + lo, src + lo, len, lo, (uint64_t)seed, rate, scale));
    return PMX_STATUS_OK;
}
