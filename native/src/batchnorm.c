// Batch normalization over every axis but the last: NHWC activations seen as
// [rows = N*H*W, channels] (oneDNN batch_normalization, optionally with a fused ReLU).
#include "internal.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>

#define BATCHNORM_MAGIC 0x70624e4fu
#define BATCHNORM_DEAD 0xdeadc0deu

// The primitives of one handle, each created on first use under lock.
enum { BN_FWD_TRAINING, BN_FWD_INFERENCE, BN_BWD, BN_PASSES };

struct pmx_batchnorm_s {
    uint32_t magic;
    int64_t rows, channels;
    float epsilon;
    int fuse_relu;
    size_t data_len;
    dnnl_memory_desc_t data_md, stat_md;
    // Forward training descriptor: made at creation (it is the hint of backward
    // and gives the workspace size); the others are made with their primitive.
    dnnl_primitive_desc_t pd[BN_PASSES];
    dnnl_primitive_t prim[BN_PASSES];
    size_t scratch_bytes[BN_PASSES];
    const_dnnl_memory_desc_t ws_md; // owned by pd[BN_FWD_TRAINING]; NULL without fused ReLU
    size_t ws_bytes;
    pthread_mutex_t lock;
    int serial; // 1: on the calling thread, a problem too small for a parallel region
};

static pmx_status check_live(const char *op, pmx_batchnorm bn) {
    if (bn == NULL) return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: bn is NULL", op);
    if (bn->magic != BATCHNORM_MAGIC)
        return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: bn is not a live batch normalization handle", op);
    return PMX_STATUS_OK;
}

static void bn_free(pmx_batchnorm b) {
    for (int i = 0; i < BN_PASSES; i++) {
        if (b->prim[i]) dnnl_primitive_destroy(b->prim[i]);
        if (b->pd[i]) dnnl_primitive_desc_destroy(b->pd[i]);
    }
    if (b->data_md) dnnl_memory_desc_destroy(b->data_md);
    if (b->stat_md) dnnl_memory_desc_destroy(b->stat_md);
    pthread_mutex_destroy(&b->lock);
    b->magic = BATCHNORM_DEAD;
    free(b);
}

static pmx_status pd_create(pmx_batchnorm b, const char *op, int pass) {
    dnnl_engine_t eng = pmx_engine(op);
    if (eng == NULL) return PMX_STATUS_BACKEND_ERROR;
    dnnl_primitive_attr_t attr = NULL;
    dnnl_status_t st = dnnl_primitive_attr_create(&attr);
    // The caller's thread owns the scratchpad, so one primitive can run on many threads at once.
    if (!st) st = dnnl_primitive_attr_set_scratchpad_mode(attr, dnnl_scratchpad_mode_user);
    unsigned flags = dnnl_use_scale | dnnl_use_shift | (b->fuse_relu ? dnnl_fuse_norm_relu : 0u);
    if (!st) {
        if (pass == BN_FWD_TRAINING)
            st = dnnl_batch_normalization_forward_primitive_desc_create(&b->pd[pass], eng,
                    dnnl_forward_training, b->data_md, b->data_md, b->epsilon, flags, attr);
        else if (pass == BN_FWD_INFERENCE)
            st = dnnl_batch_normalization_forward_primitive_desc_create(&b->pd[pass], eng,
                    dnnl_forward_inference, b->data_md, b->data_md, b->epsilon,
                    flags | dnnl_use_global_stats, attr);
        else
            st = dnnl_batch_normalization_backward_primitive_desc_create(&b->pd[pass], eng, dnnl_backward,
                    b->data_md, b->data_md, b->data_md, b->epsilon, flags, b->pd[BN_FWD_TRAINING], attr);
        if (st) b->pd[pass] = NULL;
    }
    if (attr) dnnl_primitive_attr_destroy(attr);
    if (st)
        return pmx_fail_dnnl(st, op, pass == BN_FWD_TRAINING ? "training forward descriptor creation"
                : pass == BN_FWD_INFERENCE ? "inference forward descriptor creation"
                : "backward descriptor creation");
    b->scratch_bytes[pass] = dnnl_memory_desc_get_size(
            dnnl_primitive_desc_query_md(b->pd[pass], dnnl_query_scratchpad_md, 0));
    return PMX_STATUS_OK;
}

// The primitive of @p pass, created on first use.
static pmx_status ensure(pmx_batchnorm b, const char *op, int pass) {
    pthread_mutex_lock(&b->lock);
    pmx_status st = PMX_STATUS_OK;
    if (b->prim[pass] == NULL) {
        if (b->pd[pass] == NULL) st = pd_create(b, op, pass);
        if (st == PMX_STATUS_OK) {
            const char *what = pass == BN_FWD_TRAINING ? "training forward primitive creation"
                    : pass == BN_FWD_INFERENCE ? "inference forward primitive creation"
                    : "backward primitive creation";
            st = pmx_primitive_create(&b->prim[pass], op, what, b->pd[pass]);
        }
    }
    pthread_mutex_unlock(&b->lock);
    return st;
}

pmx_status pmx_batchnorm_create(pmx_batchnorm *dst, int64_t rows, int64_t channels, float epsilon,
        int32_t fuse_relu) {
    static const char op[] = "pmx_batchnorm_create";
    if (dst == NULL) return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: dst is NULL", op);
    *dst = NULL;
    if (rows < 1 || rows > PMX_MAX_BLAS_DIM)
        return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: rows must be 1 to 2147483647, got %lld",
                op, (long long)rows);
    if (channels < 1 || channels > PMX_MAX_BLAS_DIM)
        return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: channels must be 1 to 2147483647, got %lld",
                op, (long long)channels);
    if (!isfinite(epsilon) || epsilon < 0.f)
        return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: epsilon must be finite and not negative, got %g",
                op, (double)epsilon);
    size_t data_len, bytes;
    if (!pmx_mul_sizes(op, &data_len, (size_t)rows, (size_t)channels)
            || !pmx_mul_sizes(op, &bytes, data_len, sizeof(float)))
        return PMX_STATUS_INVALID_ARGUMENT;

    pmx_batchnorm b = calloc(1, sizeof *b);
    if (b == NULL) return pmx_fail(PMX_STATUS_OUT_OF_MEMORY, "%s: cannot allocate the handle", op);
    b->magic = BATCHNORM_MAGIC;
    b->rows = rows;
    b->channels = channels;
    b->epsilon = epsilon;
    b->fuse_relu = fuse_relu != 0;
    b->data_len = data_len;
    pthread_mutex_init(&b->lock, NULL);
    // 2-D nc: oneDNN runs its jit kernels on it (bnorm_jit for channels a multiple of the
    // vector width) and its channels-last kernel otherwise; 4-D (rows, C, 1, 1) nhwc would
    // be taken as channels-first there, with strided access.
    dnnl_dims_t data_dims = {rows, channels};
    dnnl_dims_t stat_dims = {channels};
    dnnl_status_t st;
    pmx_status ps;
    if ((st = dnnl_memory_desc_create_with_tag(&b->data_md, 2, data_dims, dnnl_f32, dnnl_nc))
            || (st = dnnl_memory_desc_create_with_tag(&b->stat_md, 1, stat_dims, dnnl_f32, dnnl_a))) {
        ps = pmx_fail_dnnl(st, op, "memory descriptor creation");
    } else {
        b->serial = data_len <= PMX_SERIAL_MAX_ELEMENTS;
        pmx_threads_apply_for(b->serial);
        ps = pd_create(b, op, BN_FWD_TRAINING);
    }
    if (ps == PMX_STATUS_OK && b->fuse_relu) {
        b->ws_md = dnnl_primitive_desc_query_md(b->pd[BN_FWD_TRAINING], dnnl_query_workspace_md, 0);
        b->ws_bytes = b->ws_md != NULL ? dnnl_memory_desc_get_size(b->ws_md) : 0;
        if (b->ws_bytes == 0)
            ps = pmx_fail(PMX_STATUS_BACKEND_ERROR, "%s: oneDNN batch normalization with fused ReLU "
                    "reports no workspace", op);
    }
    if (ps) {
        bn_free(b);
        return ps;
    }
    *dst = b;
    return PMX_STATUS_OK;
}

pmx_status pmx_batchnorm_destroy(pmx_batchnorm bn) {
    if (bn == NULL) return PMX_STATUS_OK;
    pmx_status st = check_live("pmx_batchnorm_destroy", bn);
    if (st) return st;
    bn_free(bn);
    return PMX_STATUS_OK;
}

pmx_status pmx_batchnorm_workspace_size(size_t *dst_bytes, pmx_batchnorm bn) {
    static const char op[] = "pmx_batchnorm_workspace_size";
    pmx_status st = check_live(op, bn);
    if (st) return st;
    if (dst_bytes == NULL) return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: dst_bytes is NULL", op);
    *dst_bytes = bn->ws_bytes;
    return PMX_STATUS_OK;
}

// Wraps nmem (pointer, descriptor) pairs and runs @p pass with its scratchpad.
struct arg { int arg; const_dnnl_memory_desc_t md; const void *ptr; const char *name; };

static pmx_status run(pmx_batchnorm b, const char *op, int pass, int n, const struct arg *in) {
    enum { MAX_ARGS = 12 };
    dnnl_exec_arg_t args[MAX_ARGS];
    dnnl_memory_t mems[MAX_ARGS] = {0};
    void *scratch = NULL;
    size_t bytes = b->scratch_bytes[pass];
    if (bytes > 0) {
        scratch = aligned_alloc(64, (bytes + 63) / 64 * 64);
        if (scratch == NULL)
            return pmx_fail(PMX_STATUS_OUT_OF_MEMORY, "%s: cannot allocate %zu bytes of scratchpad", op, bytes);
    }
    pmx_status st = PMX_STATUS_OK;
    int count = 0;
    for (; count < n && !st; count++) {
        st = pmx_wrap(&mems[count], op, in[count].name, in[count].md, in[count].ptr);
        args[count].arg = in[count].arg;
        args[count].memory = mems[count];
    }
    if (!st) {
        const_dnnl_memory_desc_t scr_md = dnnl_primitive_desc_query_md(b->pd[pass], dnnl_query_scratchpad_md, 0);
        st = pmx_wrap(&mems[count], op, "scratchpad memory", scr_md, scratch);
        args[count].arg = DNNL_ARG_SCRATCHPAD;
        args[count].memory = mems[count];
        count++;
    }
    if (!st) st = pmx_execute(op, b->prim[pass], count, args);
    for (int i = 0; i < count; i++)
        if (mems[i]) dnnl_memory_destroy(mems[i]);
    free(scratch);
    return st;
}

static pmx_status check_momentum(const char *op, float momentum) {
    if (!(momentum >= 0.f && momentum <= 1.f))
        return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: momentum must be 0 to 1, got %g", op, (double)momentum);
    return PMX_STATUS_OK;
}

pmx_status pmx_batchnorm_fwd_training(float *dst, size_t dst_len, float *batch_mean,
        float *batch_variance, size_t stats_len, void *workspace, size_t workspace_bytes,
        pmx_batchnorm bn, const float *src, size_t src_len, const float *gamma, const float *beta,
        size_t params_len, float momentum, float *moving_mean, float *moving_variance) {
    static const char op[] = "pmx_batchnorm_fwd_training";
    pmx_status st = check_live(op, bn);
    if (st) return st;
    size_t c = (size_t)bn->channels;
    if ((st = pmx_check_buffer(op, "dst", dst, dst_len, bn->data_len, "floats"))
            || (st = pmx_check_buffer(op, "batch_mean", batch_mean, stats_len, c, "floats"))
            || (st = pmx_check_buffer(op, "batch_variance", batch_variance, stats_len, c, "floats"))
            || (st = pmx_check_buffer(op, "src", src, src_len, bn->data_len, "floats"))
            || (st = pmx_check_buffer(op, "gamma", gamma, params_len, c, "floats"))
            || (st = pmx_check_buffer(op, "beta", beta, params_len, c, "floats"))
            || (st = pmx_check_buffer(op, "moving_mean", moving_mean, params_len, c, "floats"))
            || (st = pmx_check_buffer(op, "moving_variance", moving_variance, params_len, c, "floats"))
            || (st = check_momentum(op, momentum)))
        return st;
    // Without fused ReLU nothing is kept for backward: a workspace is accepted and ignored.
    if (bn->fuse_relu
            && (st = pmx_check_buffer(op, "workspace", workspace, workspace_bytes, bn->ws_bytes, "bytes")))
        return st;
    pmx_threads_apply_for(bn->serial);
    if ((st = ensure(bn, op, BN_FWD_TRAINING))) return st;
    struct arg args[] = {
        {DNNL_ARG_SRC, bn->data_md, src, "src memory"},
        {DNNL_ARG_DST, bn->data_md, dst, "dst memory"},
        {DNNL_ARG_MEAN, bn->stat_md, batch_mean, "batch_mean memory"},
        {DNNL_ARG_VARIANCE, bn->stat_md, batch_variance, "batch_variance memory"},
        {DNNL_ARG_SCALE, bn->stat_md, gamma, "gamma memory"},
        {DNNL_ARG_SHIFT, bn->stat_md, beta, "beta memory"},
        {DNNL_ARG_WORKSPACE, bn->ws_md, workspace, "workspace memory"},
    };
    if ((st = run(bn, op, BN_FWD_TRAINING, bn->fuse_relu ? 7 : 6, args))) return st;
    // Keras' convention: momentum is the weight of the old value.
    float keep = momentum, take = 1.f - momentum;
    for (size_t i = 0; i < c; i++) {
        moving_mean[i] = moving_mean[i] * keep + batch_mean[i] * take;
        moving_variance[i] = moving_variance[i] * keep + batch_variance[i] * take;
    }
    return PMX_STATUS_OK;
}

pmx_status pmx_batchnorm_fwd_inference(float *dst, size_t dst_len, pmx_batchnorm bn, const float *src,
        size_t src_len, const float *gamma, const float *beta, const float *mean, const float *variance,
        size_t params_len) {
    static const char op[] = "pmx_batchnorm_fwd_inference";
    pmx_status st = check_live(op, bn);
    if (st) return st;
    size_t c = (size_t)bn->channels;
    if ((st = pmx_check_buffer(op, "dst", dst, dst_len, bn->data_len, "floats"))
            || (st = pmx_check_buffer(op, "src", src, src_len, bn->data_len, "floats"))
            || (st = pmx_check_buffer(op, "gamma", gamma, params_len, c, "floats"))
            || (st = pmx_check_buffer(op, "beta", beta, params_len, c, "floats"))
            || (st = pmx_check_buffer(op, "mean", mean, params_len, c, "floats"))
            || (st = pmx_check_buffer(op, "variance", variance, params_len, c, "floats")))
        return st;
    pmx_threads_apply_for(bn->serial);
    if ((st = ensure(bn, op, BN_FWD_INFERENCE))) return st;
    struct arg args[] = {
        {DNNL_ARG_SRC, bn->data_md, src, "src memory"},
        {DNNL_ARG_DST, bn->data_md, dst, "dst memory"},
        {DNNL_ARG_MEAN, bn->stat_md, mean, "mean memory"},
        {DNNL_ARG_VARIANCE, bn->stat_md, variance, "variance memory"},
        {DNNL_ARG_SCALE, bn->stat_md, gamma, "gamma memory"},
        {DNNL_ARG_SHIFT, bn->stat_md, beta, "beta memory"},
    };
    return run(bn, op, BN_FWD_INFERENCE, 6, args);
}

pmx_status pmx_batchnorm_bwd(float *diff_src, size_t diff_src_len, float *diff_gamma, float *diff_beta,
        size_t params_len, pmx_batchnorm bn, const float *src, size_t src_len, const float *diff_dst,
        size_t diff_dst_len, const float *gamma, const float *mean, const float *variance,
        const void *workspace, size_t workspace_bytes) {
    static const char op[] = "pmx_batchnorm_bwd";
    pmx_status st = check_live(op, bn);
    if (st) return st;
    size_t c = (size_t)bn->channels;
    if ((st = pmx_check_buffer(op, "diff_src", diff_src, diff_src_len, bn->data_len, "floats"))
            || (st = pmx_check_buffer(op, "diff_gamma", diff_gamma, params_len, c, "floats"))
            || (st = pmx_check_buffer(op, "diff_beta", diff_beta, params_len, c, "floats"))
            || (st = pmx_check_buffer(op, "src", src, src_len, bn->data_len, "floats"))
            || (st = pmx_check_buffer(op, "diff_dst", diff_dst, diff_dst_len, bn->data_len, "floats"))
            || (st = pmx_check_buffer(op, "gamma", gamma, params_len, c, "floats"))
            || (st = pmx_check_buffer(op, "mean", mean, params_len, c, "floats"))
            || (st = pmx_check_buffer(op, "variance", variance, params_len, c, "floats")))
        return st;
    // Without fused ReLU the forward pass kept nothing: a workspace is accepted and ignored.
    if (bn->fuse_relu
            && (st = pmx_check_buffer(op, "workspace", workspace, workspace_bytes, bn->ws_bytes, "bytes")))
        return st;
    pmx_threads_apply_for(bn->serial);
    if ((st = ensure(bn, op, BN_BWD))) return st;
    struct arg args[] = {
        {DNNL_ARG_SRC, bn->data_md, src, "src memory"},
        {DNNL_ARG_DIFF_DST, bn->data_md, diff_dst, "diff_dst memory"},
        {DNNL_ARG_DIFF_SRC, bn->data_md, diff_src, "diff_src memory"},
        {DNNL_ARG_MEAN, bn->stat_md, mean, "mean memory"},
        {DNNL_ARG_VARIANCE, bn->stat_md, variance, "variance memory"},
        {DNNL_ARG_SCALE, bn->stat_md, gamma, "gamma memory"},
        {DNNL_ARG_DIFF_SCALE, bn->stat_md, diff_gamma, "diff_gamma memory"},
        {DNNL_ARG_DIFF_SHIFT, bn->stat_md, diff_beta, "diff_beta memory"},
        {DNNL_ARG_WORKSPACE, bn->ws_md, workspace, "workspace memory"},
    };
    return run(bn, op, BN_BWD, bn->fuse_relu ? 9 : 8, args);
}
