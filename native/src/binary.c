// Element-wise binary operations with NumPy broadcasting.
#include "ops_common.h"

// Java's Math.max / Math.min: NaN in either operand gives NaN.
static inline float op_apply(int32_t op, float x, float y) {
    switch (op) {
        case PMX_BINARY_ADD: return x + y;
        case PMX_BINARY_SUB: return x - y;
        case PMX_BINARY_MUL: return x * y;
        case PMX_BINARY_DIV: return x / y;
        case PMX_BINARY_MAX: return (x != x || x > y) ? x : y;
        default: return (x != x || x < y) ? x : y;
    }
}

// One switch outside the loop; each case is a simple loop the compiler vectorizes.
#define BINARY_CASES(LOOP) \
    switch (op) { \
        case PMX_BINARY_ADD: LOOP(PMX_BINARY_ADD); break; \
        case PMX_BINARY_SUB: LOOP(PMX_BINARY_SUB); break; \
        case PMX_BINARY_MUL: LOOP(PMX_BINARY_MUL); break; \
        case PMX_BINARY_DIV: LOOP(PMX_BINARY_DIV); break; \
        case PMX_BINARY_MAX: LOOP(PMX_BINARY_MAX); break; \
        default: LOOP(PMX_BINARY_MIN); break; \
    }

// dst may be a or b (same index read before written).
PMX_HOT static void binary_vv(float *restrict dst, const float *restrict a, const float *restrict b,
        size_t n, int32_t op) {
#define LOOP(OP) for (size_t i = 0; i < n; i++) dst[i] = op_apply(OP, a[i], b[i])
    BINARY_CASES(LOOP)
#undef LOOP
}

PMX_HOT static void binary_vs(float *restrict dst, const float *restrict a, float y, size_t n, int32_t op) {
#define LOOP(OP) for (size_t i = 0; i < n; i++) dst[i] = op_apply(OP, a[i], y)
    BINARY_CASES(LOOP)
#undef LOOP
}

PMX_HOT static void binary_sv(float *restrict dst, float x, const float *restrict b, size_t n, int32_t op) {
#define LOOP(OP) for (size_t i = 0; i < n; i++) dst[i] = op_apply(OP, x, b[i])
    BINARY_CASES(LOOP)
#undef LOOP
}

// The problem after collapsing: rows of `inner` elements; outer dims d[0..k-2] with strides.
typedef struct {
    int k;
    int64_t d[PMX_MAX_RANK];
    int64_t as[PMX_MAX_RANK];
    int64_t bs[PMX_MAX_RANK];
    int32_t op;
    float *dst;
    const float *a;
    const float *b;
} binary_plan;

static void run_rows(const binary_plan *p, size_t r0, size_t r1, size_t c0, size_t c1) {
    int no = p->k - 1;
    int64_t idx[PMX_MAX_RANK];
    size_t aoff = 0, boff = 0, rem = r0;
    for (int j = no - 1; j >= 0; j--) {
        idx[j] = (int64_t)(rem % (size_t)p->d[j]);
        rem /= (size_t)p->d[j];
        aoff += (size_t)(idx[j] * p->as[j]);
        boff += (size_t)(idx[j] * p->bs[j]);
    }
    size_t inner = (size_t)p->d[no];
    int64_t ai = p->as[no], bi = p->bs[no];
    size_t n = c1 - c0;
    for (size_t r = r0; r < r1; r++) {
        float *dst = p->dst + r * inner + c0;
        if (ai && bi) binary_vv(dst, p->a + aoff + c0, p->b + boff + c0, n, p->op);
        else if (ai) binary_vs(dst, p->a + aoff + c0, p->b[boff], n, p->op);
        else if (bi) binary_sv(dst, p->a[aoff], p->b + boff + c0, n, p->op);
        else binary_vs(dst, p->a + aoff, p->b[boff], 1, p->op);
        for (int j = no - 1; j >= 0; j--) {
            aoff += (size_t)p->as[j];
            boff += (size_t)p->bs[j];
            if (++idx[j] < p->d[j]) break;
            aoff -= (size_t)(p->as[j] * p->d[j]);
            boff -= (size_t)(p->bs[j] * p->d[j]);
            idx[j] = 0;
        }
    }
}

pmx_status pmx_binary(float *dst, const int64_t *dst_dims, int32_t dst_rank, const float *a,
        const int64_t *a_dims, int32_t a_rank, const float *b, const int64_t *b_dims, int32_t b_rank,
        int32_t op) {
    static const char name[] = "pmx_binary";
    pmx_status st;
    size_t n_dst, n_a, n_b;
    if ((st = pmx_check_dims(name, "dst_dims", dst_dims, dst_rank, &n_dst))
            || (st = pmx_check_dims(name, "a_dims", a_dims, a_rank, &n_a))
            || (st = pmx_check_dims(name, "b_dims", b_dims, b_rank, &n_b)))
        return st;
    if (dst == NULL) return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: dst is NULL", name);
    if (a == NULL) return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: a is NULL", name);
    if (b == NULL) return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: b is NULL", name);
    if (op < PMX_BINARY_ADD || op > PMX_BINARY_MIN)
        return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: op must be 0 to 5, got %d", name, op);
    int m = a_rank > b_rank ? a_rank : b_rank;
    char ta[160], tb[160], td[160], tx[160];
    int64_t dd[PMX_MAX_RANK], as[PMX_MAX_RANK], bs[PMX_MAX_RANK];
    int64_t astride = 1, bstride = 1;
    for (int i = m - 1; i >= 0; i--) {
        int ia = i - (m - a_rank), ib = i - (m - b_rank);
        int64_t ad = ia >= 0 ? a_dims[ia] : 1, bd = ib >= 0 ? b_dims[ib] : 1;
        if (ad != bd && ad != 1 && bd != 1)
            return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: shapes a %s and b %s do not broadcast", name,
                    pmx_dims_text(ta, sizeof ta, a_dims, a_rank), pmx_dims_text(tb, sizeof tb, b_dims, b_rank));
        dd[i] = ad > bd ? ad : bd;
        as[i] = ad == 1 ? 0 : astride;
        bs[i] = bd == 1 ? 0 : bstride;
        astride *= ad;
        bstride *= bd;
    }
    int same = dst_rank == m;
    for (int i = 0; same && i < m; i++) same = dst_dims[i] == dd[i];
    if (!same)
        return pmx_fail(PMX_STATUS_INVALID_ARGUMENT,
                "%s: dst_dims %s must be the broadcast shape %s of a %s and b %s", name,
                pmx_dims_text(td, sizeof td, dst_dims, dst_rank), pmx_dims_text(tx, sizeof tx, dd, m),
                pmx_dims_text(ta, sizeof ta, a_dims, a_rank),
                pmx_dims_text(tb, sizeof tb, b_dims, b_rank));

    // Drop size-1 axes, then merge neighbours that both operands walk contiguously (or both repeat).
    binary_plan p = { .op = op, .dst = dst, .a = a, .b = b };
    int k = 0;
    for (int i = 0; i < m; i++) {
        if (dd[i] == 1) continue;
        // Compare with the merged axis before (p's strides), not the original axis k-1.
        if (k > 0 && p.as[k - 1] == as[i] * dd[i] && p.bs[k - 1] == bs[i] * dd[i]) {
            p.d[k - 1] *= dd[i];
            p.as[k - 1] = as[i];
            p.bs[k - 1] = bs[i];
            continue;
        }
        p.d[k] = dd[i];
        p.as[k] = as[i];
        p.bs[k] = bs[i];
        k++;
    }
    if (k == 0) {
        p.d[0] = 1;
        p.as[0] = p.bs[0] = 1;
        k = 1;
    }
    p.k = k;
    size_t inner = (size_t)p.d[k - 1], rows = n_dst / inner;
    if (n_dst <= PMX_PARALLEL_MIN) {
        run_rows(&p, 0, rows, 0, inner);
        return PMX_STATUS_OK;
    }
    pmx_threads_apply();
    if (inner >= PMX_CHUNK) {
        size_t per_row = (inner + PMX_CHUNK - 1) / PMX_CHUNK, tasks = rows * per_row;
#pragma omp parallel for schedule(static)
        for (size_t t = 0; t < tasks; t++) {
            size_t r = t / per_row, c0 = (t % per_row) * PMX_CHUNK;
            size_t c1 = c0 + PMX_CHUNK < inner ? c0 + PMX_CHUNK : inner;
            run_rows(&p, r, r + 1, c0, c1);
        }
    } else {
        size_t rows_per_task = PMX_CHUNK / inner, tasks = (rows + rows_per_task - 1) / rows_per_task;
#pragma omp parallel for schedule(static)
        for (size_t t = 0; t < tasks; t++) {
            size_t r0 = t * rows_per_task, r1 = r0 + rows_per_task < rows ? r0 + rows_per_task : rows;
            run_rows(&p, r0, r1, 0, inner);
        }
    }
    return PMX_STATUS_OK;
}
