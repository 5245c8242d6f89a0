// Shape operations over N-d row-major tensors: concat, split, transpose, pad.
#include "ops_common.h"

// Copies `runs` runs of run_len floats from src + r * src_stride to dst + r * dst_stride.
static void copy_runs(float *dst, size_t dst_stride, const float *src, size_t src_stride, size_t runs,
        size_t run_len) {
    if (runs * run_len <= PMX_PARALLEL_MIN) {
        for (size_t r = 0; r < runs; r++)
            memcpy(dst + r * dst_stride, src + r * src_stride, run_len * sizeof(float));
        return;
    }
    pmx_threads_apply();
    if (run_len >= PMX_CHUNK) {
        size_t per_run = (run_len + PMX_CHUNK - 1) / PMX_CHUNK, tasks = runs * per_run;
#pragma omp parallel for schedule(static)
        for (size_t t = 0; t < tasks; t++) {
            size_t r = t / per_run, c0 = (t % per_run) * PMX_CHUNK;
            size_t len = run_len - c0 < PMX_CHUNK ? run_len - c0 : PMX_CHUNK;
            memcpy(dst + r * dst_stride + c0, src + r * src_stride + c0, len * sizeof(float));
        }
    } else {
#pragma omp parallel for schedule(static)
        for (size_t r = 0; r < runs; r++)
            memcpy(dst + r * dst_stride, src + r * src_stride, run_len * sizeof(float));
    }
}

// Checks the pieces of a concat or split along `axis` of `dims` and returns outer and inner sizes.
static pmx_status check_pieces(const char *op, const char *pieces_name, const void *pieces,
        const char *sizes_name, const int64_t *sizes, int32_t npieces, const int64_t *dims, int32_t rank,
        int32_t axis, size_t *outer, size_t *inner) {
    if (axis < 0 || axis >= rank)
        return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: axis must be 0 to %d, got %d", op, rank - 1, axis);
    if (npieces < 1)
        return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: the number of %s must be at least 1, got %d", op,
                pieces_name, npieces);
    if (pieces == NULL) return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: %s is NULL", op, pieces_name);
    if (sizes == NULL) return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: %s is NULL", op, sizes_name);
    int64_t sum = 0;
    for (int32_t i = 0; i < npieces; i++) {
        if (((const float *const *)pieces)[i] == NULL)
            return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: %s[%d] is NULL", op, pieces_name, i);
        if (sizes[i] < 1 || sizes[i] > dims[axis])
            return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: %s[%d] must be 1 to %lld, got %lld", op,
                    sizes_name, i, (long long)dims[axis], (long long)sizes[i]);
        sum += sizes[i];
        if (sum > dims[axis]) break;
    }
    if (sum != dims[axis])
        return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: %s must add up to %lld (axis %d), got %s%lld", op,
                sizes_name, (long long)dims[axis], axis, sum > dims[axis] ? "more than " : "",
                (long long)sum);
    *outer = 1;
    *inner = 1;
    for (int32_t i = 0; i < axis; i++) *outer *= (size_t)dims[i];
    for (int32_t i = axis + 1; i < rank; i++) *inner *= (size_t)dims[i];
    return PMX_STATUS_OK;
}

pmx_status pmx_concat(float *dst, const int64_t *dst_dims, int32_t rank, int32_t axis,
        const float *const *srcs, const int64_t *src_axis_sizes, int32_t nsrcs) {
    static const char op[] = "pmx_concat";
    pmx_status st;
    size_t total, outer, inner;
    if ((st = pmx_check_dims(op, "dst_dims", dst_dims, rank, &total))
            || (st = check_pieces(op, "srcs", srcs, "src_axis_sizes", src_axis_sizes, nsrcs, dst_dims, rank,
                        axis, &outer, &inner)))
        return st;
    if (dst == NULL) return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: dst is NULL", op);
    size_t row = (size_t)dst_dims[axis] * inner, at = 0;
    for (int32_t s = 0; s < nsrcs; s++) {
        size_t len = (size_t)src_axis_sizes[s] * inner;
        copy_runs(dst + at, row, srcs[s], len, outer, len);
        at += len;
    }
    return PMX_STATUS_OK;
}

pmx_status pmx_split(float *const *dsts, const int64_t *dst_axis_sizes, int32_t ndsts, const float *src,
        const int64_t *src_dims, int32_t rank, int32_t axis) {
    static const char op[] = "pmx_split";
    pmx_status st;
    size_t total, outer, inner;
    if ((st = pmx_check_dims(op, "src_dims", src_dims, rank, &total))
            || (st = check_pieces(op, "dsts", dsts, "dst_axis_sizes", dst_axis_sizes, ndsts, src_dims, rank,
                        axis, &outer, &inner)))
        return st;
    if (src == NULL) return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: src is NULL", op);
    size_t row = (size_t)src_dims[axis] * inner, at = 0;
    for (int32_t s = 0; s < ndsts; s++) {
        size_t len = (size_t)dst_axis_sizes[s] * inner;
        copy_runs(dsts[s], len, src + at, row, outer, len);
        at += len;
    }
    return PMX_STATUS_OK;
}

// ---- transpose ----

#define TILE 16

typedef struct {
    int k;                      // axes after collapsing
    int64_t dd[PMX_MAX_RANK];   // dst dims
    size_t sst[PMX_MAX_RANK];   // src stride of each dst axis
    size_t dst_st[PMX_MAX_RANK];
    float *dst;
    const float *src;
} transpose_plan;

// Copies rows of the dst (last axis contiguous in src too) for flat row indices [r0, r1).
static void transpose_runs(const transpose_plan *p, size_t r0, size_t r1) {
    int no = p->k - 1;
    size_t len = (size_t)p->dd[no];
    int64_t idx[PMX_MAX_RANK];
    size_t soff = 0, rem = r0;
    for (int j = no - 1; j >= 0; j--) {
        idx[j] = (int64_t)(rem % (size_t)p->dd[j]);
        rem /= (size_t)p->dd[j];
        soff += (size_t)idx[j] * p->sst[j];
    }
    for (size_t r = r0; r < r1; r++) {
        memcpy(p->dst + r * len, p->src + soff, len * sizeof(float));
        for (int j = no - 1; j >= 0; j--) {
            soff += p->sst[j];
            if (++idx[j] < p->dd[j]) break;
            soff -= p->sst[j] * (size_t)p->dd[j];
            idx[j] = 0;
        }
    }
}

// One task of the tiled transpose: outer index `o` over the dst axes other than q and the last,
// and one tile of TILE values along dst axis q (the src's contiguous axis).
static void transpose_tile(const transpose_plan *p, int q, size_t o, int64_t i0) {
    int last = p->k - 1;
    size_t soff = 0, doff = 0, rem = o;
    for (int j = last - 1; j >= 0; j--) {
        if (j == q) continue;
        size_t ij = rem % (size_t)p->dd[j];
        rem /= (size_t)p->dd[j];
        soff += ij * p->sst[j];
        doff += ij * p->dst_st[j];
    }
    int64_t i1 = i0 + TILE < p->dd[q] ? i0 + TILE : p->dd[q];
    size_t dq = p->dst_st[q], sj = p->sst[last];
    int64_t nj = p->dd[last];
    for (int64_t j0 = 0; j0 < nj; j0 += TILE) {
        int64_t j1 = j0 + TILE < nj ? j0 + TILE : nj;
        for (int64_t i = i0; i < i1; i++) {
            float *d = p->dst + doff + (size_t)i * dq;
            const float *s = p->src + soff + (size_t)i;
            for (int64_t j = j0; j < j1; j++) d[j] = s[(size_t)j * sj];
        }
    }
}

pmx_status pmx_transpose(float *dst, const float *src, const int64_t *src_dims, int32_t rank,
        const int32_t *perm) {
    static const char op[] = "pmx_transpose";
    pmx_status st;
    size_t total;
    if ((st = pmx_check_dims(op, "src_dims", src_dims, rank, &total))) return st;
    if (dst == NULL) return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: dst is NULL", op);
    if (src == NULL) return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: src is NULL", op);
    if (perm == NULL) return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: perm is NULL", op);
    int seen[PMX_MAX_RANK] = { 0 };
    for (int32_t i = 0; i < rank; i++) {
        if (perm[i] < 0 || perm[i] >= rank)
            return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: perm[%d] must be 0 to %d, got %d", op, i,
                    rank - 1, perm[i]);
        if (seen[perm[i]])
            return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: perm is not a permutation: %d appears twice", op,
                    perm[i]);
        seen[perm[i]] = 1;
    }
    // Drop size-1 axes, then merge src axes that stay neighbours in the same order.
    int32_t map[PMX_MAX_RANK];  // old src axis -> new axis, -1 when dropped
    int kept = 0;
    for (int32_t i = 0; i < rank; i++) map[i] = src_dims[i] == 1 ? -1 : kept++;
    int32_t p1[PMX_MAX_RANK];
    int64_t sd1[PMX_MAX_RANK];
    int n1 = 0;
    for (int32_t i = 0; i < rank; i++)
        if (map[perm[i]] >= 0) p1[n1++] = map[perm[i]];
    for (int32_t i = 0; i < rank; i++)
        if (map[i] >= 0) sd1[map[i]] = src_dims[i];
    // Groups: maximal runs of p1 with consecutive src axes.
    int k = 0;
    int64_t gd[PMX_MAX_RANK];
    int32_t gfirst[PMX_MAX_RANK];
    for (int i = 0; i < n1; i++) {
        if (i > 0 && p1[i] == p1[i - 1] + 1) {
            gd[k - 1] *= sd1[p1[i]];
        } else {
            gfirst[k] = p1[i];
            gd[k] = sd1[p1[i]];
            k++;
        }
    }
    if (k <= 1) {
        PMX_FOR_CHUNKS(total, lo, len, memcpy(dst + lo, src + lo, len * sizeof(float)));
        return PMX_STATUS_OK;
    }
    // Src order of the groups: sort dst groups by their first src axis.
    int order[PMX_MAX_RANK];  // order[g] = position of dst group g in src order
    for (int g = 0; g < k; g++) {
        order[g] = 0;
        for (int h = 0; h < k; h++) order[g] += gfirst[h] < gfirst[g];
    }
    int64_t sdims[PMX_MAX_RANK];
    for (int g = 0; g < k; g++) sdims[order[g]] = gd[g];
    size_t sstride[PMX_MAX_RANK], s = 1;
    for (int j = k - 1; j >= 0; j--) {
        sstride[j] = s;
        s *= (size_t)sdims[j];
    }
    transpose_plan p = { .k = k, .dst = dst, .src = src };
    size_t d = 1;
    for (int g = k - 1; g >= 0; g--) {
        p.dd[g] = gd[g];
        p.sst[g] = sstride[order[g]];
        p.dst_st[g] = d;
        d *= (size_t)gd[g];
    }
    int parallel = total > PMX_PARALLEL_MIN;
    if (parallel) pmx_threads_apply();
    if (p.sst[k - 1] == 1) {  // the last axis stays last: copy contiguous runs
        size_t len = (size_t)p.dd[k - 1], rows = total / len;
        size_t per_task = len >= PMX_CHUNK ? 1 : PMX_CHUNK / len, tasks = (rows + per_task - 1) / per_task;
#pragma omp parallel for schedule(static) if (parallel)
        for (size_t t = 0; t < tasks; t++)
            transpose_runs(&p, t * per_task, (t + 1) * per_task < rows ? (t + 1) * per_task : rows);
        return PMX_STATUS_OK;
    }
    int q = 0;
    while (p.sst[q] != 1) q++;
    size_t outer = total / ((size_t)p.dd[q] * (size_t)p.dd[k - 1]);
    size_t tiles = ((size_t)p.dd[q] + TILE - 1) / TILE, tasks = outer * tiles;
#pragma omp parallel for schedule(static) if (parallel)
    for (size_t t = 0; t < tasks; t++)
        transpose_tile(&p, q, t / tiles, (int64_t)(t % tiles) * TILE);
    return PMX_STATUS_OK;
}

// ---- pad ----

PMX_HOT static void fill(float *restrict dst, size_t n, float value) {
    for (size_t i = 0; i < n; i++) dst[i] = value;
}

typedef struct {
    int rank;
    const int64_t *dd;
    const int64_t *sd;
    const int64_t *before;
    float *dst;
    const float *src;
    float value;
} pad_plan;

static void pad_rows(const pad_plan *p, size_t r0, size_t r1) {
    int last = p->rank - 1;
    size_t len = (size_t)p->dd[last], slen = (size_t)p->sd[last], b = (size_t)p->before[last];
    int64_t idx[PMX_MAX_RANK];
    size_t rem = r0;
    for (int j = last - 1; j >= 0; j--) {
        idx[j] = (int64_t)(rem % (size_t)p->dd[j]);
        rem /= (size_t)p->dd[j];
    }
    for (size_t r = r0; r < r1; r++) {
        float *d = p->dst + r * len;
        size_t soff = 0;
        int inside = 1;
        for (int j = 0; j < last; j++) {
            int64_t sj = idx[j] - p->before[j];
            if (sj < 0 || sj >= p->sd[j]) {
                inside = 0;
                break;
            }
            soff = soff * (size_t)p->sd[j] + (size_t)sj;
        }
        if (inside) {
            fill(d, b, p->value);
            memcpy(d + b, p->src + soff * slen, slen * sizeof(float));
            fill(d + b + slen, len - b - slen, p->value);
        } else {
            fill(d, len, p->value);
        }
        for (int j = last - 1; j >= 0; j--) {
            if (++idx[j] < p->dd[j]) break;
            idx[j] = 0;
        }
    }
}

pmx_status pmx_pad(float *dst, const int64_t *dst_dims, const float *src, const int64_t *src_dims, int32_t rank,
        const int64_t *before, float value) {
    static const char op[] = "pmx_pad";
    pmx_status st;
    size_t dst_total, src_total;
    if ((st = pmx_check_dims(op, "dst_dims", dst_dims, rank, &dst_total))
            || (st = pmx_check_dims(op, "src_dims", src_dims, rank, &src_total)))
        return st;
    if (dst == NULL) return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: dst is NULL", op);
    if (src == NULL) return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: src is NULL", op);
    if (before == NULL) return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: before is NULL", op);
    for (int32_t i = 0; i < rank; i++) {
        if (before[i] < 0 || before[i] > dst_dims[i] - src_dims[i])
            return pmx_fail(PMX_STATUS_INVALID_ARGUMENT,
                    "%s: on axis %d, before must be 0 to dst_dims - src_dims = %lld - %lld, got %lld", op, i,
                    (long long)dst_dims[i], (long long)src_dims[i], (long long)before[i]);
    }
    pad_plan p = { rank, dst_dims, src_dims, before, dst, src, value };
    size_t len = (size_t)dst_dims[rank - 1], rows = dst_total / len;
    size_t per_task = len >= PMX_CHUNK ? 1 : PMX_CHUNK / len, tasks = (rows + per_task - 1) / per_task;
    int parallel = dst_total > PMX_PARALLEL_MIN;
    if (parallel) pmx_threads_apply();
#pragma omp parallel for schedule(static) if (parallel)
    for (size_t t = 0; t < tasks; t++)
        pad_rows(&p, t * per_task, (t + 1) * per_task < rows ? (t + 1) * per_task : rows);
    return PMX_STATUS_OK;
}
