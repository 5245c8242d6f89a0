// Layer normalization over the last axis; statistics per row in double.
#include "ops_common.h"

#include <stdlib.h>

PMX_HOT static double sum_run(const float *restrict x, size_t n) {
    double acc[8] = { 0 };
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (int j = 0; j < 8; j++) acc[j] += (double)x[i + j];
    double s = 0;
    for (; i < n; i++) s += (double)x[i];
    return s + (((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7])));
}

// Sum of (x - mean)^2 in double lanes.
PMX_HOT static double sq_dev_run(const float *restrict x, size_t n, double mean) {
    double acc[8] = { 0 };
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (int j = 0; j < 8; j++) {
            double d = (double)x[i + j] - mean;
            acc[j] += d * d;
        }
    double s = 0;
    for (; i < n; i++) {
        double d = (double)x[i] - mean;
        s += d * d;
    }
    return s + (((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7])));
}

PMX_HOT static void norm_row(float *restrict y, const float *restrict x, const float *restrict gamma,
        const float *restrict beta, size_t n, float mean, float rstd) {
    for (size_t i = 0; i < n; i++) y[i] = gamma[i] * ((x[i] - mean) * rstd) + beta[i];
}

static pmx_status check_eps(const char *op, float epsilon) {
    if (!pmx_is_finite(epsilon) || epsilon < 0.f)
        return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: epsilon must be finite and >= 0, got %g", op,
                (double)epsilon);
    return PMX_STATUS_OK;
}

pmx_status pmx_layernorm_fwd(float *dst, size_t dst_len, float *mean, float *variance, size_t stats_len,
        const float *src, size_t src_len, const float *gamma, const float *beta, size_t params_len,
        int64_t rows, int64_t cols, float epsilon) {
    static const char op[] = "pmx_layernorm_fwd";
    pmx_status st;
    size_t n;
    if ((st = pmx_check_rows_cols(op, rows, cols, &n))
            || (st = pmx_check_buffer(op, "dst", dst, dst_len, n, "floats"))
            || (st = pmx_check_buffer(op, "mean", mean, stats_len, (size_t)rows, "floats"))
            || (st = pmx_check_buffer(op, "variance", variance, stats_len, (size_t)rows, "floats"))
            || (st = pmx_check_buffer(op, "src", src, src_len, n, "floats"))
            || (st = pmx_check_buffer(op, "gamma", gamma, params_len, (size_t)cols, "floats"))
            || (st = pmx_check_buffer(op, "beta", beta, params_len, (size_t)cols, "floats"))
            || (st = check_eps(op, epsilon)))
        return st;
    size_t c = (size_t)cols;
    int parallel = n > PMX_PARALLEL_MIN && rows > 1;
    if (parallel) pmx_threads_apply();
#pragma omp parallel for schedule(static) if (parallel)
    for (int64_t r = 0; r < rows; r++) {
        const float *x = src + (size_t)r * c;
        double mu = sum_run(x, c) / (double)c;
        double var = sq_dev_run(x, c, mu) / (double)c;
        mean[r] = (float)mu;
        variance[r] = (float)var;
        norm_row(dst + (size_t)r * c, x, gamma, beta, c, (float)mu, (float)(1.0 / sqrt(var + (double)epsilon)));
    }
    return PMX_STATUS_OK;
}

// Sums of g = dy * gamma and of g * xhat over a row, in double lanes.
PMX_HOT static void bwd_sums(double *sg_out, double *sgx_out, const float *restrict x, const float *restrict dy,
        const float *restrict gamma, size_t n, float mu, float rstd) {
    double sg[8] = { 0 }, sgx[8] = { 0 };
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (int j = 0; j < 8; j++) {
            float g = dy[i + j] * gamma[i + j];
            sg[j] += (double)g;
            sgx[j] += (double)(g * ((x[i + j] - mu) * rstd));
        }
    double a = 0, b = 0;
    for (; i < n; i++) {
        float g = dy[i] * gamma[i];
        a += (double)g;
        b += (double)(g * ((x[i] - mu) * rstd));
    }
    for (int j = 0; j < 8; j++) {
        a += sg[j];
        b += sgx[j];
    }
    *sg_out = a;
    *sgx_out = b;
}

PMX_HOT static void bwd_apply(float *restrict ds, const float *restrict x, const float *restrict dy,
        const float *restrict gamma, size_t n, float mu, float rstd, float mg, float mgx) {
    for (size_t i = 0; i < n; i++) {
        float xhat = (x[i] - mu) * rstd;
        ds[i] = rstd * (dy[i] * gamma[i] - mg - xhat * mgx);
    }
}

// One row of the input gradient: ds = rstd * (g - mean(g) - xhat * mean(g * xhat)), g = dy * gamma.
static void bwd_row(float *ds, const float *x, const float *dy, const float *gamma, size_t n, float mu,
        float rstd) {
    double sg, sgx;
    bwd_sums(&sg, &sgx, x, dy, gamma, n, mu, rstd);
    bwd_apply(ds, x, dy, gamma, n, mu, rstd, (float)(sg / (double)n), (float)(sgx / (double)n));
}

// diff_gamma += dy * xhat, diff_beta += dy for one row, in double.
PMX_HOT static void param_grad_row(double *restrict dg, double *restrict db, const float *restrict x,
        const float *restrict dy, size_t n, float mu, float rstd) {
    for (size_t i = 0; i < n; i++) {
        dg[i] += (double)(dy[i] * ((x[i] - mu) * rstd));
        db[i] += (double)dy[i];
    }
}

pmx_status pmx_layernorm_bwd(float *diff_src, size_t diff_src_len, float *diff_gamma, float *diff_beta,
        size_t params_len, const float *src, size_t src_len, const float *diff_dst, size_t diff_dst_len,
        const float *gamma, const float *mean, const float *variance, size_t stats_len, int64_t rows,
        int64_t cols, float epsilon) {
    static const char op[] = "pmx_layernorm_bwd";
    pmx_status st;
    size_t n;
    if ((st = pmx_check_rows_cols(op, rows, cols, &n))
            || (st = pmx_check_buffer(op, "diff_src", diff_src, diff_src_len, n, "floats"))
            || (st = pmx_check_buffer(op, "diff_gamma", diff_gamma, params_len, (size_t)cols, "floats"))
            || (st = pmx_check_buffer(op, "diff_beta", diff_beta, params_len, (size_t)cols, "floats"))
            || (st = pmx_check_buffer(op, "src", src, src_len, n, "floats"))
            || (st = pmx_check_buffer(op, "diff_dst", diff_dst, diff_dst_len, n, "floats"))
            || (st = pmx_check_buffer(op, "gamma", gamma, params_len, (size_t)cols, "floats"))
            || (st = pmx_check_buffer(op, "mean", mean, stats_len, (size_t)rows, "floats"))
            || (st = pmx_check_buffer(op, "variance", variance, stats_len, (size_t)rows, "floats"))
            || (st = check_eps(op, epsilon)))
        return st;
    size_t c = (size_t)cols;
    int parts = 1;
    if (n > PMX_PARALLEL_MIN && rows > 1) {
        pmx_threads_apply();
        parts = omp_get_max_threads();
        if (parts > rows) parts = (int)rows;
    }
    // Per-part double accumulators of the parameter gradients, summed in a fixed order.
    size_t acc_len;
    if (!pmx_mul_sizes(op, &acc_len, 2 * c, (size_t)parts)) return PMX_STATUS_INVALID_ARGUMENT;
    double *acc = calloc(acc_len, sizeof(double));
    if (acc == NULL)
        return pmx_fail(PMX_STATUS_OUT_OF_MEMORY, "%s: cannot allocate %zu accumulators", op, acc_len);
#pragma omp parallel for schedule(static) if (parts > 1)
    for (int t = 0; t < parts; t++) {
        int64_t r0 = rows * t / parts, r1 = rows * (t + 1) / parts;
        double *dg = acc + (size_t)t * 2 * c, *db = dg + c;
        for (int64_t r = r0; r < r1; r++) {
            size_t off = (size_t)r * c;
            float mu = mean[r], rstd = (float)(1.0 / sqrt((double)variance[r] + (double)epsilon));
            // Parameter gradients first: diff_src may be diff_dst.
            param_grad_row(dg, db, src + off, diff_dst + off, c, mu, rstd);
            bwd_row(diff_src + off, src + off, diff_dst + off, gamma, c, mu, rstd);
        }
    }
    for (size_t i = 0; i < c; i++) {
        double g = 0, b = 0;
        for (int t = 0; t < parts; t++) {
            g += acc[(size_t)t * 2 * c + i];
            b += acc[(size_t)t * 2 * c + c + i];
        }
        diff_gamma[i] = (float)g;
        diff_beta[i] = (float)b;
    }
    free(acc);
    return PMX_STATUS_OK;
}
