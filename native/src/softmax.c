// Softmax and log-softmax over the last axis, and the fused softmax cross-entropy loss.
#include "ops_common.h"

PMX_HOT static float row_max(const float *restrict x, size_t n) {
    float acc[16];
    for (int j = 0; j < 16; j++) acc[j] = -INFINITY;
    size_t i = 0;
    for (; i + 16 <= n; i += 16)
        for (int j = 0; j < 16; j++) acc[j] = x[i + j] > acc[j] ? x[i + j] : acc[j];
    float m = -INFINITY;
    for (; i < n; i++) m = x[i] > m ? x[i] : m;
    for (int j = 0; j < 16; j++) m = acc[j] > m ? acc[j] : m;
    return m;
}

PMX_HOT static void exp_store(float *restrict e, const float *restrict x, size_t n, float m) {
    for (size_t i = 0; i < n; i++) e[i] = pmx_expf(x[i] - m);
}

PMX_HOT static double row_dot(const float *restrict x, const float *restrict y, size_t n) {
    double acc[8] = { 0 };
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (int j = 0; j < 8; j++) acc[j] += (double)x[i + j] * (double)y[i + j];
    double s = 0;
    for (; i < n; i++) s += (double)x[i] * (double)y[i];
    return s + (((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7])));
}

PMX_HOT static double row_sum(const float *restrict x, size_t n) {
    double acc[8] = { 0 };
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (int j = 0; j < 8; j++) acc[j] += (double)x[i + j];
    double s = 0;
    for (; i < n; i++) s += (double)x[i];
    return s + (((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7])));
}

// Writes exp(x - m) to e and returns its sum.
static double row_exp_store_sum(float *restrict e, const float *restrict x, size_t n, float m) {
    exp_store(e, x, n, m);
    return row_sum(e, n);
}

// The sum of exp(x - m), through a small buffer.
static double row_exp_sum(const float *restrict x, size_t n, float m) {
    float buf[512];
    double s = 0;
    for (size_t i = 0; i < n; i += 512) {
        size_t k = n - i < 512 ? n - i : 512;
        s += row_exp_store_sum(buf, x + i, k, m);
    }
    return s;
}

PMX_HOT static void scale_row(float *restrict y, size_t n, float scale) {
    for (size_t i = 0; i < n; i++) y[i] *= scale;
}

PMX_HOT static void shift_row(float *restrict y, const float *restrict x, size_t n, float shift) {
    for (size_t i = 0; i < n; i++) y[i] = x[i] - shift;
}

static void softmax_row(float *restrict y, const float *restrict x, size_t n, int is_log) {
    float m = row_max(x, n);
    if (m == -INFINITY) m = 0.f;  // a row of -inf: exp(x - 0) = 0 everywhere, no NaN from -inf - -inf
    double sum = row_exp_store_sum(y, x, n, m);
    if (is_log)
        shift_row(y, x, n, (float)((double)m + log(sum)));
    else
        scale_row(y, n, (float)(1.0 / sum));
}

PMX_HOT static void softmax_bwd_row(float *restrict ds, const float *restrict y, const float *restrict dy,
        size_t n, int is_log) {
    if (is_log) {
        float s = (float)row_sum(dy, n);
        for (size_t i = 0; i < n; i++) ds[i] = dy[i] - pmx_expf(y[i]) * s;
    } else {
        float s = (float)row_dot(dy, y, n);
        for (size_t i = 0; i < n; i++) ds[i] = y[i] * (dy[i] - s);
    }
}

// Rows per task of the row-parallel loops: about PMX_CHUNK elements.
#define ROW_LOOP(rows, cols, r, BODY) do { \
        size_t rows_ = (size_t)(rows); \
        if (rows_ * (size_t)(cols) <= PMX_PARALLEL_MIN || rows_ == 1) { \
            for (size_t r = 0; r < rows_; r++) BODY; \
        } else { \
            pmx_threads_apply(); \
            _Pragma("omp parallel for schedule(static)") \
            for (size_t r = 0; r < rows_; r++) BODY; \
        } \
    } while (0)

pmx_status pmx_softmax_fwd(float *dst, size_t dst_len, const float *src, size_t src_len, int64_t rows,
        int64_t cols, int32_t log) {
    static const char op[] = "pmx_softmax_fwd";
    pmx_status st;
    size_t n;
    if ((st = pmx_check_rows_cols(op, rows, cols, &n))
            || (st = pmx_check_buffer(op, "dst", dst, dst_len, n, "floats"))
            || (st = pmx_check_buffer(op, "src", src, src_len, n, "floats")))
        return st;
    size_t c = (size_t)cols;
    ROW_LOOP(rows, cols, r, softmax_row(dst + r * c, src + r * c, c, log != 0));
    return PMX_STATUS_OK;
}

pmx_status pmx_softmax_bwd(float *diff_src, size_t diff_src_len, const float *dst, size_t dst_len,
        const float *diff_dst, size_t diff_dst_len, int64_t rows, int64_t cols, int32_t log) {
    static const char op[] = "pmx_softmax_bwd";
    pmx_status st;
    size_t n;
    if ((st = pmx_check_rows_cols(op, rows, cols, &n))
            || (st = pmx_check_buffer(op, "diff_src", diff_src, diff_src_len, n, "floats"))
            || (st = pmx_check_buffer(op, "dst", dst, dst_len, n, "floats"))
            || (st = pmx_check_buffer(op, "diff_dst", diff_dst, diff_dst_len, n, "floats")))
        return st;
    size_t c = (size_t)cols;
    ROW_LOOP(rows, cols, r, softmax_bwd_row(diff_src + r * c, dst + r * c, diff_dst + r * c, c, log != 0));
    return PMX_STATUS_OK;
}

// dz = scale * exp(z - m) - grad_scale * y, with exp(z - m) already in dz.
PMX_HOT static void xent_grad_row(float *restrict dz, const float *restrict y, size_t n, float scale,
        float grad_scale) {
    for (size_t i = 0; i < n; i++) dz[i] = dz[i] * scale - grad_scale * y[i];
}

// One row of cross-entropy: labels are probabilities (y) or one class index (label >= 0).
static float xent_row(float *restrict dz, const float *restrict z, const float *restrict y, int32_t label,
        size_t n, float grad_scale) {
    float m = row_max(z, n);
    if (m == -INFINITY) m = 0.f;
    double sum = dz ? row_exp_store_sum(dz, z, n, m) : row_exp_sum(z, n, m);
    double lse = (double)m + log(sum);
    double loss;
    if (y) {
        // -sum y * log_softmax(z) = sum y * (lse - z), exact even when the labels do not sum to 1.
        double acc = 0;
        for (size_t i = 0; i < n; i++) acc += (double)y[i] * (lse - (double)z[i]);
        loss = acc;
    } else {
        loss = lse - (double)z[label];
    }
    if (dz) {
        float scale = (float)((double)grad_scale / sum);
        if (y) {
            xent_grad_row(dz, y, n, scale, grad_scale);
        } else {
            scale_row(dz, n, scale);
            dz[label] -= grad_scale;
        }
    }
    return (float)loss;
}

static pmx_status check_xent(const char *op, float *losses, size_t losses_len, float *diff_logits,
        size_t diff_len, const float *logits, size_t logits_len, int64_t rows, int64_t cols, float grad_scale,
        size_t *n) {
    pmx_status st;
    if ((st = pmx_check_rows_cols(op, rows, cols, n))
            || (st = pmx_check_buffer(op, "losses", losses, losses_len, (size_t)rows, "floats"))
            || (diff_logits && (st = pmx_check_buffer(op, "diff_logits", diff_logits, diff_len, *n, "floats")))
            || (st = pmx_check_buffer(op, "logits", logits, logits_len, *n, "floats")))
        return st;
    if (!pmx_is_finite(grad_scale))
        return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: grad_scale must be finite, got %g", op, (double)grad_scale);
    return PMX_STATUS_OK;
}

pmx_status pmx_softmax_xent(float *losses, size_t losses_len, float *diff_logits, size_t diff_len,
        const float *logits, size_t logits_len, const float *labels, size_t labels_len, int64_t rows,
        int64_t cols, float grad_scale) {
    static const char op[] = "pmx_softmax_xent";
    pmx_status st;
    size_t n;
    if ((st = check_xent(op, losses, losses_len, diff_logits, diff_len, logits, logits_len, rows, cols,
                 grad_scale, &n))
            || (st = pmx_check_buffer(op, "labels", labels, labels_len, n, "floats")))
        return st;
    size_t c = (size_t)cols;
    ROW_LOOP(rows, cols, r, losses[r] = xent_row(diff_logits ? diff_logits + r * c : NULL, logits + r * c,
            labels + r * c, -1, c, grad_scale));
    return PMX_STATUS_OK;
}

pmx_status pmx_softmax_xent_sparse(float *losses, size_t losses_len, float *diff_logits, size_t diff_len,
        const float *logits, size_t logits_len, const int32_t *labels, size_t labels_len, int64_t rows,
        int64_t cols, float grad_scale) {
    static const char op[] = "pmx_softmax_xent_sparse";
    pmx_status st;
    size_t n;
    if ((st = check_xent(op, losses, losses_len, diff_logits, diff_len, logits, logits_len, rows, cols,
                 grad_scale, &n))
            || (st = pmx_check_buffer(op, "labels", labels, labels_len, (size_t)rows, "ints")))
        return st;
    for (int64_t r = 0; r < rows; r++)
        if (labels[r] < 0 || labels[r] >= cols)
            return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: label %d at row %lld is outside [0, %lld)", op,
                    labels[r], (long long)r, (long long)cols);
    size_t c = (size_t)cols;
    ROW_LOOP(rows, cols, r, losses[r] = xent_row(diff_logits ? diff_logits + r * c : NULL, logits + r * c,
            NULL, labels[r], c, grad_scale));
    return PMX_STATUS_OK;
}
