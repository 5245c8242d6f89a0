// 2-D max and average pooling over NHWC activations (oneDNN pooling primitives).
// Max pooling in training keeps a workspace (the position of each maximum) for backward.
#include "internal.h"

#include <pthread.h>
#include <stdlib.h>

#define POOL2D_MAGIC 0x706f4f4cu
#define POOL2D_DEAD 0xdeadc0deu

// The primitives of one handle, each created on first use under lock.
enum { POOL_FWD_INFERENCE, POOL_FWD_TRAINING, POOL_BWD, POOL_PASSES };

struct pmx_pool2d_s {
    uint32_t magic;
    pmx_pool2d_desc desc;
    int64_t out_height, out_width;
    dnnl_alg_kind_t alg;
    dnnl_memory_desc_t src_md, dst_md;
    size_t src_len, dst_len;
    // Forward training descriptor: made at creation (it is the hint of backward
    // and gives the workspace size); the others are made with their primitive.
    dnnl_primitive_desc_t pd[POOL_PASSES];
    dnnl_primitive_t prim[POOL_PASSES];
    size_t scratch_bytes[POOL_PASSES];
    const_dnnl_memory_desc_t ws_md; // owned by pd[POOL_FWD_TRAINING]; NULL for average
    size_t ws_bytes;
    pthread_mutex_t lock;
    int serial; // 1: on the calling thread, a problem too small for a parallel region
};

static pmx_status check_desc(const char *op, const pmx_pool2d_desc *d, int64_t *oh, int64_t *ow) {
    const struct { const char *name; int64_t value; int64_t min; } fields[] = {
        {"batch", d->batch, 1}, {"in_height", d->in_height, 1}, {"in_width", d->in_width, 1},
        {"channels", d->channels, 1}, {"kernel_height", d->kernel_height, 1},
        {"kernel_width", d->kernel_width, 1}, {"stride_height", d->stride_height, 1},
        {"stride_width", d->stride_width, 1}, {"pad_top", d->pad_top, 0}, {"pad_left", d->pad_left, 0},
        {"pad_bottom", d->pad_bottom, 0}, {"pad_right", d->pad_right, 0},
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        if (fields[i].value < fields[i].min || fields[i].value > PMX_MAX_BLAS_DIM)
            return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: %s must be %lld to 2147483647, got %lld",
                    op, fields[i].name, (long long)fields[i].min, (long long)fields[i].value);
    }
    if (d->kind < PMX_POOL_MAX || d->kind > PMX_POOL_AVG_INCLUDE_PAD)
        return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: kind must be 0 to 2, got %d", op, d->kind);
    // A window lying wholly in the padding has no maximum and no average.
    if (d->pad_top >= d->kernel_height || d->pad_bottom >= d->kernel_height)
        return pmx_fail(PMX_STATUS_INVALID_ARGUMENT,
                "%s: pad_top %lld and pad_bottom %lld must be smaller than kernel_height %lld",
                op, (long long)d->pad_top, (long long)d->pad_bottom, (long long)d->kernel_height);
    if (d->pad_left >= d->kernel_width || d->pad_right >= d->kernel_width)
        return pmx_fail(PMX_STATUS_INVALID_ARGUMENT,
                "%s: pad_left %lld and pad_right %lld must be smaller than kernel_width %lld",
                op, (long long)d->pad_left, (long long)d->pad_right, (long long)d->kernel_width);
    int64_t ph = d->in_height + d->pad_top + d->pad_bottom, pw = d->in_width + d->pad_left + d->pad_right;
    if (ph < d->kernel_height || pw < d->kernel_width)
        return pmx_fail(PMX_STATUS_INVALID_ARGUMENT,
                "%s: padded input %lldx%lld is smaller than the kernel %lldx%lld",
                op, (long long)ph, (long long)pw, (long long)d->kernel_height, (long long)d->kernel_width);
    *oh = (ph - d->kernel_height) / d->stride_height + 1;
    *ow = (pw - d->kernel_width) / d->stride_width + 1;
    return PMX_STATUS_OK;
}

static pmx_status check_live(const char *op, pmx_pool2d pool) {
    if (pool == NULL) return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: pool is NULL", op);
    if (pool->magic != POOL2D_MAGIC)
        return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: pool is not a live pooling handle", op);
    return PMX_STATUS_OK;
}

static void pool_free(pmx_pool2d p) {
    for (int i = 0; i < POOL_PASSES; i++) {
        if (p->prim[i]) dnnl_primitive_destroy(p->prim[i]);
        if (p->pd[i]) dnnl_primitive_desc_destroy(p->pd[i]);
    }
    if (p->src_md) dnnl_memory_desc_destroy(p->src_md);
    if (p->dst_md) dnnl_memory_desc_destroy(p->dst_md);
    pthread_mutex_destroy(&p->lock);
    p->magic = POOL2D_DEAD;
    free(p);
}

static dnnl_primitive_attr_t user_scratchpad_attr(const char *op, pmx_status *ps) {
    dnnl_primitive_attr_t attr = NULL;
    dnnl_status_t st = dnnl_primitive_attr_create(&attr);
    // The caller's thread owns the scratchpad, so one primitive can run on many threads at once.
    if (st == dnnl_success) st = dnnl_primitive_attr_set_scratchpad_mode(attr, dnnl_scratchpad_mode_user);
    if (st != dnnl_success) {
        if (attr) dnnl_primitive_attr_destroy(attr);
        *ps = pmx_fail_dnnl(st, op, "attribute creation");
        return NULL;
    }
    *ps = PMX_STATUS_OK;
    return attr;
}

// Creates the descriptor of one pass; backward needs pd[POOL_FWD_TRAINING] as its hint.
static pmx_status pd_create(pmx_pool2d p, const char *op, int pass) {
    const pmx_pool2d_desc *d = &p->desc;
    dnnl_engine_t eng = pmx_engine(op);
    if (eng == NULL) return PMX_STATUS_BACKEND_ERROR;
    pmx_status ps;
    dnnl_primitive_attr_t attr = user_scratchpad_attr(op, &ps);
    if (attr == NULL) return ps;
    dnnl_dims_t strides = {d->stride_height, d->stride_width};
    dnnl_dims_t kernel = {d->kernel_height, d->kernel_width};
    dnnl_dims_t dilation = {0, 0};
    dnnl_dims_t pad_l = {d->pad_top, d->pad_left};
    dnnl_dims_t pad_r = {d->pad_bottom, d->pad_right};
    dnnl_status_t st;
    if (pass == POOL_BWD)
        st = dnnl_pooling_backward_primitive_desc_create(&p->pd[pass], eng, p->alg, p->src_md, p->dst_md,
                strides, kernel, dilation, pad_l, pad_r, p->pd[POOL_FWD_TRAINING], attr);
    else
        st = dnnl_pooling_forward_primitive_desc_create(&p->pd[pass], eng,
                pass == POOL_FWD_TRAINING ? dnnl_forward_training : dnnl_forward_inference, p->alg,
                p->src_md, p->dst_md, strides, kernel, dilation, pad_l, pad_r, attr);
    dnnl_primitive_attr_destroy(attr);
    if (st) {
        p->pd[pass] = NULL;
        return pmx_fail_dnnl(st, op, pass == POOL_BWD ? "pooling backward descriptor creation"
                : "pooling forward descriptor creation");
    }
    p->scratch_bytes[pass] = dnnl_memory_desc_get_size(
            dnnl_primitive_desc_query_md(p->pd[pass], dnnl_query_scratchpad_md, 0));
    return PMX_STATUS_OK;
}

// The primitive of @p pass, created on first use.
static pmx_status ensure(pmx_pool2d p, const char *op, int pass) {
    pthread_mutex_lock(&p->lock);
    pmx_status st = PMX_STATUS_OK;
    if (p->prim[pass] == NULL) {
        if (p->pd[pass] == NULL) st = pd_create(p, op, pass);
        if (st == PMX_STATUS_OK)
            st = pmx_primitive_create(&p->prim[pass], op,
                    pass == POOL_BWD ? "pooling backward primitive creation"
                    : "pooling forward primitive creation", p->pd[pass]);
    }
    pthread_mutex_unlock(&p->lock);
    return st;
}

pmx_status pmx_pool2d_create(pmx_pool2d *dst, const pmx_pool2d_desc *desc) {
    static const char op[] = "pmx_pool2d_create";
    if (dst == NULL) return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: dst is NULL", op);
    *dst = NULL;
    if (desc == NULL) return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: desc is NULL", op);
    int64_t oh = 0, ow = 0;
    pmx_status ps = check_desc(op, desc, &oh, &ow);
    if (ps) return ps;
    size_t src_len, dst_len, t;
    if (!pmx_mul_sizes(op, &t, (size_t)desc->batch, (size_t)desc->in_height)
            || !pmx_mul_sizes(op, &t, t, (size_t)desc->in_width)
            || !pmx_mul_sizes(op, &src_len, t, (size_t)desc->channels)
            || !pmx_mul_sizes(op, &t, (size_t)desc->batch, (size_t)oh)
            || !pmx_mul_sizes(op, &t, t, (size_t)ow)
            || !pmx_mul_sizes(op, &dst_len, t, (size_t)desc->channels)
            || !pmx_mul_sizes(op, &t, src_len, sizeof(float)))
        return PMX_STATUS_INVALID_ARGUMENT;

    pmx_pool2d p = calloc(1, sizeof *p);
    if (p == NULL) return pmx_fail(PMX_STATUS_OUT_OF_MEMORY, "%s: cannot allocate the handle", op);
    p->magic = POOL2D_MAGIC;
    p->desc = *desc;
    pthread_mutex_init(&p->lock, NULL);
    p->out_height = oh;
    p->out_width = ow;
    p->src_len = src_len;
    p->dst_len = dst_len;
    p->alg = desc->kind == PMX_POOL_MAX ? dnnl_pooling_max
            : desc->kind == PMX_POOL_AVG_EXCLUDE_PAD ? dnnl_pooling_avg_exclude_padding
            : dnnl_pooling_avg_include_padding;
    dnnl_dims_t src_dims = {desc->batch, desc->channels, desc->in_height, desc->in_width};
    dnnl_dims_t dst_dims = {desc->batch, desc->channels, oh, ow};
    dnnl_status_t st;
    if ((st = dnnl_memory_desc_create_with_tag(&p->src_md, 4, src_dims, dnnl_f32, dnnl_nhwc))
            || (st = dnnl_memory_desc_create_with_tag(&p->dst_md, 4, dst_dims, dnnl_f32, dnnl_nhwc))) {
        ps = pmx_fail_dnnl(st, op, "memory descriptor creation");
    } else {
        p->serial = src_len <= PMX_SERIAL_MAX_ELEMENTS;
        pmx_threads_apply_for(p->serial);
        ps = pd_create(p, op, POOL_FWD_TRAINING);
    }
    if (ps == PMX_STATUS_OK && desc->kind == PMX_POOL_MAX) {
        p->ws_md = dnnl_primitive_desc_query_md(p->pd[POOL_FWD_TRAINING], dnnl_query_workspace_md, 0);
        p->ws_bytes = p->ws_md != NULL ? dnnl_memory_desc_get_size(p->ws_md) : 0;
        if (p->ws_bytes == 0)
            ps = pmx_fail(PMX_STATUS_BACKEND_ERROR, "%s: oneDNN max pooling reports no workspace", op);
    }
    if (ps) {
        pool_free(p);
        return ps;
    }
    *dst = p;
    return PMX_STATUS_OK;
}

pmx_status pmx_pool2d_destroy(pmx_pool2d pool) {
    if (pool == NULL) return PMX_STATUS_OK;
    pmx_status st = check_live("pmx_pool2d_destroy", pool);
    if (st) return st;
    pool_free(pool);
    return PMX_STATUS_OK;
}

pmx_status pmx_pool2d_workspace_size(size_t *dst_bytes, pmx_pool2d pool) {
    static const char op[] = "pmx_pool2d_workspace_size";
    pmx_status st = check_live(op, pool);
    if (st) return st;
    if (dst_bytes == NULL) return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: dst_bytes is NULL", op);
    *dst_bytes = pool->ws_bytes;
    return PMX_STATUS_OK;
}

// Runs @p pass with its scratchpad; args has room for one more (scratchpad) entry.
static pmx_status run(pmx_pool2d p, const char *op, int pass, int nargs, dnnl_exec_arg_t *args) {
    void *scratch = NULL;
    size_t bytes = p->scratch_bytes[pass];
    if (bytes > 0) {
        scratch = aligned_alloc(64, (bytes + 63) / 64 * 64);
        if (scratch == NULL)
            return pmx_fail(PMX_STATUS_OUT_OF_MEMORY, "%s: cannot allocate %zu bytes of scratchpad", op, bytes);
    }
    dnnl_memory_t m_scr = NULL;
    const_dnnl_memory_desc_t scr_md = dnnl_primitive_desc_query_md(p->pd[pass], dnnl_query_scratchpad_md, 0);
    pmx_status st = pmx_wrap(&m_scr, op, "scratchpad memory", scr_md, scratch);
    if (!st) {
        args[nargs].arg = DNNL_ARG_SCRATCHPAD;
        args[nargs].memory = m_scr;
        st = pmx_execute(op, p->prim[pass], nargs + 1, args);
    }
    if (m_scr) dnnl_memory_destroy(m_scr);
    free(scratch);
    return st;
}

pmx_status pmx_pool2d_fwd(float *dst, size_t dst_len, void *workspace, size_t workspace_bytes,
        pmx_pool2d pool, const float *src, size_t src_len) {
    static const char op[] = "pmx_pool2d_fwd";
    pmx_status st = check_live(op, pool);
    if (st) return st;
    if ((st = pmx_check_buffer(op, "dst", dst, dst_len, pool->dst_len, "floats"))
            || (st = pmx_check_buffer(op, "src", src, src_len, pool->src_len, "floats")))
        return st;
    // Average pooling keeps nothing for backward: a workspace is accepted and ignored.
    int training = workspace != NULL && pool->ws_bytes > 0;
    if (training && (st = pmx_check_buffer(op, "workspace", workspace, workspace_bytes, pool->ws_bytes, "bytes")))
        return st;
    int pass = training ? POOL_FWD_TRAINING : POOL_FWD_INFERENCE;
    pmx_threads_apply_for(pool->serial);
    if ((st = ensure(pool, op, pass))) return st;
    dnnl_memory_t m_src = NULL, m_dst = NULL, m_ws = NULL;
    if (!(st = pmx_wrap(&m_src, op, "src memory", pool->src_md, src))
            && !(st = pmx_wrap(&m_dst, op, "dst memory", pool->dst_md, dst))
            && !(training && (st = pmx_wrap(&m_ws, op, "workspace memory", pool->ws_md, workspace)))) {
        dnnl_exec_arg_t args[4] = {{DNNL_ARG_SRC, m_src}, {DNNL_ARG_DST, m_dst}, {DNNL_ARG_WORKSPACE, m_ws}};
        st = run(pool, op, pass, training ? 3 : 2, args);
    }
    if (m_src) dnnl_memory_destroy(m_src);
    if (m_dst) dnnl_memory_destroy(m_dst);
    if (m_ws) dnnl_memory_destroy(m_ws);
    return st;
}

pmx_status pmx_pool2d_bwd(float *diff_src, size_t diff_src_len, pmx_pool2d pool,
        const float *diff_dst, size_t diff_dst_len, const void *workspace, size_t workspace_bytes) {
    static const char op[] = "pmx_pool2d_bwd";
    pmx_status st = check_live(op, pool);
    if (st) return st;
    if ((st = pmx_check_buffer(op, "diff_src", diff_src, diff_src_len, pool->src_len, "floats"))
            || (st = pmx_check_buffer(op, "diff_dst", diff_dst, diff_dst_len, pool->dst_len, "floats")))
        return st;
    int max = pool->ws_bytes > 0;
    if (max && (st = pmx_check_buffer(op, "workspace", workspace, workspace_bytes, pool->ws_bytes, "bytes")))
        return st;
    pmx_threads_apply_for(pool->serial);
    if ((st = ensure(pool, op, POOL_BWD))) return st;
    dnnl_memory_t m_ds = NULL, m_dd = NULL, m_ws = NULL;
    if (!(st = pmx_wrap(&m_ds, op, "diff_src memory", pool->src_md, diff_src))
            && !(st = pmx_wrap(&m_dd, op, "diff_dst memory", pool->dst_md, diff_dst))
            && !(max && (st = pmx_wrap(&m_ws, op, "workspace memory", pool->ws_md, workspace)))) {
        dnnl_exec_arg_t args[4] = {{DNNL_ARG_DIFF_SRC, m_ds}, {DNNL_ARG_DIFF_DST, m_dd},
                {DNNL_ARG_WORKSPACE, m_ws}};
        st = run(pool, op, POOL_BWD, max ? 3 : 2, args);
    }
    if (m_ds) dnnl_memory_destroy(m_ds);
    if (m_dd) dnnl_memory_destroy(m_dd);
    if (m_ws) dnnl_memory_destroy(m_ws);
    return st;
}
