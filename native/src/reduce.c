// Sum, mean and max over any set of axes, accumulated in double.
#include "ops_common.h"

#include <stdlib.h>

static inline double max_nan(double a, double v) { return (v != v || v > a) ? v : a; }

// Sum of a contiguous run in eight double lanes (vectorized, and accurate for long runs).
PMX_HOT static double sum_run(const float *restrict x, size_t n) {
    double acc[8] = { 0 };
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (int j = 0; j < 8; j++) acc[j] += (double)x[i + j];
    double s = 0;
    for (; i < n; i++) s += (double)x[i];
    return s + (((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7])));
}

PMX_HOT static double max_run(const float *restrict x, size_t n) {
    float acc[16];
    for (int j = 0; j < 16; j++) acc[j] = -INFINITY;
    size_t i = 0;
    for (; i + 16 <= n; i += 16)
        for (int j = 0; j < 16; j++) {
            float v = x[i + j];
            acc[j] = (v != v || v > acc[j]) ? v : acc[j];
        }
    double m = -INFINITY;
    for (; i < n; i++) m = max_nan(m, x[i]);
    for (int j = 0; j < 16; j++) m = max_nan(m, acc[j]);
    return m;
}

PMX_HOT static void add_run(double *restrict acc, const float *restrict x, size_t n) {
    for (size_t i = 0; i < n; i++) acc[i] += (double)x[i];
}

PMX_HOT static void max_into_run(double *restrict acc, const float *restrict x, size_t n) {
    for (size_t i = 0; i < n; i++) acc[i] = max_nan(acc[i], (double)x[i]);
}

// The collapsed problem: k axes alternating kept / reduced, with src and dst strides.
typedef struct {
    int k;
    int64_t d[PMX_MAX_RANK];
    int red[PMX_MAX_RANK];
    size_t ss[PMX_MAX_RANK];
    size_t os[PMX_MAX_RANK];
    int max;
    const float *src;
} reduce_plan;

// Accumulates src into acc (indexed by output offset), axis s restricted to [lo, hi).
static void walk(double *acc, const reduce_plan *p, int s, int64_t lo, int64_t hi) {
    int k = p->k, last = k - 1;
    int64_t idx[PMX_MAX_RANK] = { 0 };
    idx[s] = lo;
    int64_t c0 = s == last ? lo : 0, c1 = s == last ? hi : p->d[last];
    size_t n = (size_t)(c1 - c0);
    for (;;) {
        size_t soff = (size_t)c0 * p->ss[last], ooff = p->red[last] ? 0 : (size_t)c0;
        for (int j = 0; j < last; j++) {
            soff += (size_t)idx[j] * p->ss[j];
            ooff += (size_t)idx[j] * p->os[j];
        }
        const float *x = p->src + soff;
        if (p->red[last]) {
            double v = p->max ? max_run(x, n) : sum_run(x, n);
            acc[ooff] = p->max ? max_nan(acc[ooff], v) : acc[ooff] + v;
        } else if (p->max) {
            max_into_run(acc + ooff, x, n);
        } else {
            add_run(acc + ooff, x, n);
        }
        int j = last - 1;
        for (; j >= 0; j--) {
            int64_t end = j == s ? hi : p->d[j], start = j == s ? lo : 0;
            if (++idx[j] < end) break;
            idx[j] = start;
        }
        if (j < 0) return;
    }
}

pmx_status pmx_reduce(float *dst, size_t dst_len, const float *src, const int64_t *src_dims, int32_t rank,
        const int32_t *axes, int32_t naxes, int32_t op) {
    static const char name[] = "pmx_reduce";
    pmx_status st;
    size_t total;
    if ((st = pmx_check_dims(name, "src_dims", src_dims, rank, &total))) return st;
    if (dst == NULL) return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: dst is NULL", name);
    if (src == NULL) return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: src is NULL", name);
    if (op < PMX_REDUCE_SUM || op > PMX_REDUCE_MAX)
        return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: op must be 0 to 2, got %d", name, op);
    if (naxes < 0 || naxes > rank)
        return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: naxes must be 0 to rank %d, got %d", name, rank, naxes);
    if (naxes > 0 && axes == NULL) return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: axes is NULL", name);
    int reduced[PMX_MAX_RANK] = { 0 };
    for (int32_t i = 0; i < naxes; i++) {
        if (axes[i] < 0 || axes[i] >= rank)
            return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: axes[%d] must be 0 to %d, got %d",
                    name, i, rank - 1, axes[i]);
        if (reduced[axes[i]])
            return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: axis %d appears twice in axes", name, axes[i]);
        reduced[axes[i]] = 1;
    }
    size_t kept = 1;
    for (int32_t i = 0; i < rank; i++)
        if (!reduced[i]) kept *= (size_t)src_dims[i];
    if (dst_len != kept)
        return pmx_fail(PMX_STATUS_INVALID_ARGUMENT,
                "%s: dst_len must be %zu (the product of the kept dims), got %zu", name, kept, dst_len);

    // Drop size-1 axes and merge neighbours of the same kind.
    reduce_plan p = { .max = op == PMX_REDUCE_MAX, .src = src };
    int k = 0;
    for (int32_t i = 0; i < rank; i++) {
        if (src_dims[i] == 1) continue;
        if (k > 0 && p.red[k - 1] == reduced[i]) {
            p.d[k - 1] *= src_dims[i];
            continue;
        }
        p.d[k] = src_dims[i];
        p.red[k] = reduced[i];
        k++;
    }
    int any_reduced = 0;
    for (int j = 0; j < k; j++) any_reduced |= p.red[j];
    if (!any_reduced) {  // nothing to reduce: a copy
        PMX_FOR_CHUNKS(total, lo, len, memcpy(dst + lo, src + lo, len * sizeof(float)));
        return PMX_STATUS_OK;
    }
    p.k = k;
    size_t s_stride = 1, o_stride = 1;
    for (int j = k - 1; j >= 0; j--) {
        p.ss[j] = s_stride;
        s_stride *= (size_t)p.d[j];
        p.os[j] = p.red[j] ? 0 : o_stride;
        if (!p.red[j]) o_stride *= (size_t)p.d[j];
    }

    double stack_acc[256];
    double *acc = kept <= 256 ? stack_acc : malloc(kept * sizeof(double));
    if (acc == NULL)
        return pmx_fail(PMX_STATUS_OUT_OF_MEMORY, "%s: cannot allocate %zu accumulators", name, kept);
    double init = p.max ? -INFINITY : 0.0;
    for (size_t i = 0; i < kept; i++) acc[i] = init;

    int threads = 1;
    if (total > PMX_PARALLEL_MIN) {
        pmx_threads_apply();
        threads = omp_get_max_threads();
    }
    // Split the largest kept axis (disjoint outputs) when it feeds every thread,
    // else the largest reduced axis with a partial result per thread.
    int big_kept = -1, big_red = -1;
    for (int j = 0; j < k; j++) {
        if (p.red[j] && (big_red < 0 || p.d[j] > p.d[big_red])) big_red = j;
        if (!p.red[j] && (big_kept < 0 || p.d[j] > p.d[big_kept])) big_kept = j;
    }
    if (threads <= 1) {
        walk(acc, &p, 0, 0, p.d[0]);
    } else if (big_kept >= 0 && p.d[big_kept] >= 2 * threads) {
        int64_t dim = p.d[big_kept], parts = 4 * (int64_t)threads < dim ? 4 * (int64_t)threads : dim;
#pragma omp parallel for schedule(static)
        for (int64_t t = 0; t < parts; t++)
            walk(acc, &p, big_kept, dim * t / parts, dim * (t + 1) / parts);
    } else {
        int64_t dim = p.d[big_red], parts = threads < dim ? threads : dim;
        size_t part_bytes;
        double *partials = NULL;
        if (pmx_mul_sizes(name, &part_bytes, kept * sizeof(double), (size_t)parts))
            partials = malloc(part_bytes);
        if (partials == NULL) {
            walk(acc, &p, 0, 0, p.d[0]);  // no memory for partials: run serially
        } else {
#pragma omp parallel for schedule(static)
            for (int64_t t = 0; t < parts; t++) {
                double *mine = partials + (size_t)t * kept;
                for (size_t i = 0; i < kept; i++) mine[i] = init;
                walk(mine, &p, big_red, dim * t / parts, dim * (t + 1) / parts);
            }
            for (int64_t t = 0; t < parts; t++) {  // in a fixed order: the same result every run
                const double *part = partials + (size_t)t * kept;
                for (size_t i = 0; i < kept; i++) acc[i] = p.max ? max_nan(acc[i], part[i]) : acc[i] + part[i];
            }
            free(partials);
        }
    }
    double count = op == PMX_REDUCE_MEAN ? (double)(total / kept) : 1.0;
    for (size_t i = 0; i < kept; i++) dst[i] = (float)(acc[i] / count);
    if (acc != stack_acc) free(acc);
    return PMX_STATUS_OK;
}
