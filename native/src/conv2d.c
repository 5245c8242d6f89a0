// Forward 2-D convolution over NHWC activations. oneDNN picks the weight layout
// (format `any`): forcing plain OIHW would select its reference kernel, ~400x slower.
#include "internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define CONV2D_MAGIC 0x70634f4eu
#define CONV2D_DEAD 0xdeadc0deu

// Below this many flops (each pass) a convolution runs on the calling thread: a parallel region
// costs microseconds when cores are free, up to a scheduler time slice when they are not.
#define CONV_SERIAL_MAX_FLOPS (2.0 * 1024 * 1024)

struct pmx_conv2d_s {
    uint32_t magic;
    pmx_conv2d_desc desc;
    int serial;                     // 1: every pass on one thread (see CONV_SERIAL_MAX_FLOPS)
    int64_t out_height, out_width;
    dnnl_primitive_desc_t pd;
    dnnl_primitive_t conv;
    dnnl_primitive_t wei_reorder;   // user HWIO -> packed layout
    dnnl_memory_desc_t src_md, dst_md, bia_md, wei_user_md;
    const_dnnl_memory_desc_t wei_md; // owned by pd
    size_t wei_packed_bytes, scratchpad_bytes;
    size_t src_len, dst_len, wei_len;

    // Backward primitives, created on first use under bwd_lock.
    pthread_mutex_t bwd_lock;
    int bwd_ready;
    dnnl_primitive_desc_t hint_pd;       // forward without post-ops
    dnnl_primitive_desc_t bwd_data_pd, bwd_wei_pd;
    dnnl_primitive_t bwd_data, bwd_wei;
    dnnl_primitive_t bwd_data_wei_reorder; // user HWIO -> bwd-data weights layout
    dnnl_primitive_t bwd_wei_reorder;      // bwd-weights diff layout -> user HWIO
    const_dnnl_memory_desc_t bwd_data_wei_md, bwd_diff_wei_md; // owned by their pds
    size_t bwd_data_wei_bytes, bwd_diff_wei_bytes, bwd_data_scratch_bytes, bwd_wei_scratch_bytes;
};

static pmx_status check_desc(const char *op, const pmx_conv2d_desc *d, int64_t *oh, int64_t *ow) {
    const struct { const char *name; int64_t value; int64_t min; } fields[] = {
        {"batch", d->batch, 1}, {"in_height", d->in_height, 1}, {"in_width", d->in_width, 1},
        {"in_channels", d->in_channels, 1}, {"out_channels", d->out_channels, 1},
        {"kernel_height", d->kernel_height, 1}, {"kernel_width", d->kernel_width, 1},
        {"stride_height", d->stride_height, 1}, {"stride_width", d->stride_width, 1},
        {"pad_top", d->pad_top, 0}, {"pad_left", d->pad_left, 0},
        {"pad_bottom", d->pad_bottom, 0}, {"pad_right", d->pad_right, 0},
        {"dilation_height", d->dilation_height, 1}, {"dilation_width", d->dilation_width, 1},
        {"groups", d->groups, 1},
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        if (fields[i].value < fields[i].min || fields[i].value > PMX_MAX_BLAS_DIM)
            return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: %s must be %lld to 2147483647, got %lld",
                    op, fields[i].name, (long long)fields[i].min, (long long)fields[i].value);
    }
    if (d->activation < PMX_ACTIVATION_LINEAR || d->activation > PMX_ACTIVATION_SWISH)
        return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: activation must be 0 to 7, got %d", op, d->activation);
    if (d->in_channels % d->groups != 0 || d->out_channels % d->groups != 0)
        return pmx_fail(PMX_STATUS_INVALID_ARGUMENT,
                "%s: in_channels %lld and out_channels %lld must both be divisible by groups %lld",
                op, (long long)d->in_channels, (long long)d->out_channels, (long long)d->groups);
    int64_t ekh = (d->kernel_height - 1) * d->dilation_height + 1;
    int64_t ekw = (d->kernel_width - 1) * d->dilation_width + 1;
    int64_t ph = d->in_height + d->pad_top + d->pad_bottom, pw = d->in_width + d->pad_left + d->pad_right;
    if (ph < ekh || pw < ekw)
        return pmx_fail(PMX_STATUS_INVALID_ARGUMENT,
                "%s: padded input %lldx%lld is smaller than the dilated kernel %lldx%lld",
                op, (long long)ph, (long long)pw, (long long)ekh, (long long)ekw);
    *oh = (ph - ekh) / d->stride_height + 1;
    *ow = (pw - ekw) / d->stride_width + 1;
    return PMX_STATUS_OK;
}

static pmx_status check_live(const char *op, pmx_conv2d conv) {
    if (conv == NULL) return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: conv is NULL", op);
    if (conv->magic != CONV2D_MAGIC)
        return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: conv is not a live convolution handle", op);
    return PMX_STATUS_OK;
}

static void conv_free(pmx_conv2d c) {
    if (c->bwd_data_wei_reorder) dnnl_primitive_destroy(c->bwd_data_wei_reorder);
    if (c->bwd_wei_reorder) dnnl_primitive_destroy(c->bwd_wei_reorder);
    if (c->bwd_data) dnnl_primitive_destroy(c->bwd_data);
    if (c->bwd_wei) dnnl_primitive_destroy(c->bwd_wei);
    if (c->bwd_data_pd) dnnl_primitive_desc_destroy(c->bwd_data_pd);
    if (c->bwd_wei_pd) dnnl_primitive_desc_destroy(c->bwd_wei_pd);
    if (c->hint_pd) dnnl_primitive_desc_destroy(c->hint_pd);
    pthread_mutex_destroy(&c->bwd_lock);
    if (c->wei_reorder) dnnl_primitive_destroy(c->wei_reorder);
    if (c->conv) dnnl_primitive_destroy(c->conv);
    if (c->pd) dnnl_primitive_desc_destroy(c->pd);
    if (c->src_md) dnnl_memory_desc_destroy(c->src_md);
    if (c->dst_md) dnnl_memory_desc_destroy(c->dst_md);
    if (c->bia_md) dnnl_memory_desc_destroy(c->bia_md);
    if (c->wei_user_md) dnnl_memory_desc_destroy(c->wei_user_md);
    c->magic = CONV2D_DEAD;
    free(c);
}

// Keras' HWIO layout as strides over oneDNN's logical weight dimensions:
// (oc, ic, kh, kw), or (g, oc/g, ic/g, kh, kw) with groups.
static dnnl_status_t user_weights_md(dnnl_memory_desc_t *md, const pmx_conv2d_desc *d) {
    int64_t g = d->groups, ocg = d->out_channels / g, icg = d->in_channels / g;
    int64_t oc = d->out_channels, kw = d->kernel_width;
    if (g == 1) {
        dnnl_dims_t dims = {oc, icg, d->kernel_height, kw};
        dnnl_dims_t strides = {1, oc, kw * icg * oc, icg * oc};
        return dnnl_memory_desc_create_with_strides(md, 4, dims, dnnl_f32, strides);
    }
    dnnl_dims_t dims = {g, ocg, icg, d->kernel_height, kw};
    dnnl_dims_t strides = {ocg, 1, oc, kw * icg * oc, icg * oc};
    return dnnl_memory_desc_create_with_strides(md, 5, dims, dnnl_f32, strides);
}

static pmx_status build(pmx_conv2d c, const char *op) {
    const pmx_conv2d_desc *d = &c->desc;
    dnnl_engine_t eng = pmx_engine(op);
    if (eng == NULL) return PMX_STATUS_BACKEND_ERROR;
    dnnl_status_t st;
    dnnl_dims_t src_dims = {d->batch, d->in_channels, d->in_height, d->in_width};
    dnnl_dims_t dst_dims = {d->batch, d->out_channels, c->out_height, c->out_width};
    dnnl_dims_t bia_dims = {d->out_channels};
    if ((st = dnnl_memory_desc_create_with_tag(&c->src_md, 4, src_dims, dnnl_f32, dnnl_nhwc))
            || (st = dnnl_memory_desc_create_with_tag(&c->dst_md, 4, dst_dims, dnnl_f32, dnnl_nhwc))
            || (st = dnnl_memory_desc_create_with_tag(&c->bia_md, 1, bia_dims, dnnl_f32, dnnl_a))
            || (st = user_weights_md(&c->wei_user_md, d)))
        return pmx_fail_dnnl(st, op, "memory descriptor creation");

    int wei_ndims = d->groups == 1 ? 4 : 5;
    dnnl_dims_t wei_dims;
    if (d->groups == 1) {
        int64_t v[] = {d->out_channels, d->in_channels, d->kernel_height, d->kernel_width};
        memcpy(wei_dims, v, sizeof v);
    } else {
        int64_t v[] = {d->groups, d->out_channels / d->groups, d->in_channels / d->groups,
                d->kernel_height, d->kernel_width};
        memcpy(wei_dims, v, sizeof v);
    }
    dnnl_memory_desc_t wei_any;
    if ((st = dnnl_memory_desc_create_with_tag(&wei_any, wei_ndims, wei_dims, dnnl_f32, dnnl_format_tag_any)))
        return pmx_fail_dnnl(st, op, "weights descriptor creation");

    dnnl_primitive_attr_t attr;
    if ((st = dnnl_primitive_attr_create(&attr))) {
        dnnl_memory_desc_destroy(wei_any);
        return pmx_fail_dnnl(st, op, "attribute creation");
    }
    // The caller's thread owns the scratchpad, so one primitive can run on many threads at once.
    st = dnnl_primitive_attr_set_scratchpad_mode(attr, dnnl_scratchpad_mode_user);
    if (st == dnnl_success && (d->sum_dst || d->activation != PMX_ACTIVATION_LINEAR)) {
        dnnl_alg_kind_t alg;
        float alpha, beta;
        pmx_status ps = pmx_activation_alg(op, d->activation, d->activation_alpha, &alg, &alpha, &beta);
        if (ps) {
            dnnl_primitive_attr_destroy(attr);
            dnnl_memory_desc_destroy(wei_any);
            return ps;
        }
        dnnl_post_ops_t post_ops;
        st = dnnl_post_ops_create(&post_ops);
        if (st == dnnl_success) {
            if (d->sum_dst) st = dnnl_post_ops_append_sum(post_ops, 1.f, 0, dnnl_data_type_undef);
            if (st == dnnl_success && d->activation != PMX_ACTIVATION_LINEAR)
                st = dnnl_post_ops_append_eltwise(post_ops, alg, alpha, beta);
            if (st == dnnl_success) st = dnnl_primitive_attr_set_post_ops(attr, post_ops);
            dnnl_post_ops_destroy(post_ops);
        }
    }
    dnnl_dims_t strides = {d->stride_height, d->stride_width};
    dnnl_dims_t dilates = {d->dilation_height - 1, d->dilation_width - 1};
    dnnl_dims_t pad_l = {d->pad_top, d->pad_left};
    dnnl_dims_t pad_r = {d->pad_bottom, d->pad_right};
    if (st == dnnl_success)
        st = dnnl_convolution_forward_primitive_desc_create(&c->pd, eng, dnnl_forward_training,
                dnnl_convolution_direct, c->src_md, wei_any, d->has_bias ? c->bia_md : NULL,
                c->dst_md, strides, dilates, pad_l, pad_r, attr);
    dnnl_primitive_attr_destroy(attr);
    dnnl_memory_desc_destroy(wei_any);
    if (st) return pmx_fail_dnnl(st, op, "convolution descriptor creation");

    c->wei_md = dnnl_primitive_desc_query_md(c->pd, dnnl_query_weights_md, 0);
    c->wei_packed_bytes = dnnl_memory_desc_get_size(c->wei_md);
    c->scratchpad_bytes = dnnl_memory_desc_get_size(
            dnnl_primitive_desc_query_md(c->pd, dnnl_query_scratchpad_md, 0));
    pmx_status ps = pmx_primitive_create(&c->conv, op, "convolution primitive creation", c->pd);
    if (ps) return ps;

    dnnl_primitive_desc_t rpd;
    if ((st = dnnl_reorder_primitive_desc_create(&rpd, c->wei_user_md, eng, c->wei_md, eng, NULL)))
        return pmx_fail_dnnl(st, op, "weights reorder descriptor creation");
    ps = pmx_primitive_create(&c->wei_reorder, op, "weights reorder creation", rpd);
    dnnl_primitive_desc_destroy(rpd);
    return ps;
}

pmx_status pmx_conv2d_create(pmx_conv2d *dst, const pmx_conv2d_desc *desc) {
    static const char op[] = "pmx_conv2d_create";
    if (dst == NULL) return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: dst is NULL", op);
    *dst = NULL;
    if (desc == NULL) return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: desc is NULL", op);
    int64_t oh = 0, ow = 0;
    pmx_status st = check_desc(op, desc, &oh, &ow);
    if (st) return st;
    size_t src_len, dst_len, wei_len, t;
    if (!pmx_mul_sizes(op, &t, (size_t)desc->batch, (size_t)desc->in_height)
            || !pmx_mul_sizes(op, &t, t, (size_t)desc->in_width)
            || !pmx_mul_sizes(op, &src_len, t, (size_t)desc->in_channels)
            || !pmx_mul_sizes(op, &t, (size_t)desc->batch, (size_t)oh)
            || !pmx_mul_sizes(op, &t, t, (size_t)ow)
            || !pmx_mul_sizes(op, &dst_len, t, (size_t)desc->out_channels)
            || !pmx_mul_sizes(op, &t, (size_t)desc->kernel_height, (size_t)desc->kernel_width)
            || !pmx_mul_sizes(op, &t, t, (size_t)(desc->in_channels / desc->groups))
            || !pmx_mul_sizes(op, &wei_len, t, (size_t)desc->out_channels))
        return PMX_STATUS_INVALID_ARGUMENT;

    pmx_conv2d c = calloc(1, sizeof *c);
    if (c == NULL) return pmx_fail(PMX_STATUS_OUT_OF_MEMORY, "%s: cannot allocate the handle", op);
    c->magic = CONV2D_MAGIC;
    c->desc = *desc;
    pthread_mutex_init(&c->bwd_lock, NULL);
    c->out_height = oh;
    c->out_width = ow;
    c->src_len = src_len;
    c->dst_len = dst_len;
    c->wei_len = wei_len;
    c->serial = 2.0 * (double)dst_len * (double)desc->kernel_height * (double)desc->kernel_width
            * (double)(desc->in_channels / desc->groups) <= CONV_SERIAL_MAX_FLOPS;
    pmx_threads_apply_for(c->serial); // oneDNN fixes the thread count when the primitive is created
    st = build(c, op);
    if (st) {
        conv_free(c);
        return st;
    }
    *dst = c;
    return PMX_STATUS_OK;
}

pmx_status pmx_conv2d_destroy(pmx_conv2d conv) {
    if (conv == NULL) return PMX_STATUS_OK;
    pmx_status st = check_live("pmx_conv2d_destroy", conv);
    if (st) return st;
    conv_free(conv);
    return PMX_STATUS_OK;
}

pmx_status pmx_conv2d_dst_dims(int64_t *dst, pmx_conv2d conv) {
    static const char op[] = "pmx_conv2d_dst_dims";
    pmx_status st = check_live(op, conv);
    if (st) return st;
    if (dst == NULL) return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: dst is NULL", op);
    dst[0] = conv->desc.batch;
    dst[1] = conv->out_height;
    dst[2] = conv->out_width;
    dst[3] = conv->desc.out_channels;
    return PMX_STATUS_OK;
}

pmx_status pmx_conv2d_impl_name(char *dst, size_t dst_capacity, pmx_conv2d conv) {
    static const char op[] = "pmx_conv2d_impl_name";
    pmx_status st = check_live(op, conv);
    if (st) return st;
    if ((st = pmx_check_buffer(op, "dst", dst, dst_capacity, 1, "bytes"))) return st;
    const char *name = NULL;
    dnnl_status_t ds = dnnl_primitive_desc_query(conv->pd, dnnl_query_impl_info_str, 0, &name);
    if (ds) return pmx_fail_dnnl(ds, op, "implementation query");
    size_t n = strlen(name);
    if (n >= dst_capacity) n = dst_capacity - 1;
    memcpy(dst, name, n);
    dst[n] = '\0';
    return PMX_STATUS_OK;
}

pmx_status pmx_conv2d_weights_packed_size(size_t *dst, pmx_conv2d conv) {
    static const char op[] = "pmx_conv2d_weights_packed_size";
    pmx_status st = check_live(op, conv);
    if (st) return st;
    if (dst == NULL) return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: dst is NULL", op);
    *dst = conv->wei_packed_bytes;
    return PMX_STATUS_OK;
}

pmx_status pmx_conv2d_weights_pack(void *dst, size_t dst_bytes, pmx_conv2d conv,
        const float *wei, size_t wei_len) {
    static const char op[] = "pmx_conv2d_weights_pack";
    pmx_status st = check_live(op, conv);
    if (st) return st;
    if ((st = pmx_check_buffer(op, "dst", dst, dst_bytes, conv->wei_packed_bytes, "bytes"))
            || (st = pmx_check_buffer(op, "wei", wei, wei_len, conv->wei_len, "floats")))
        return st;
    pmx_threads_apply_for(conv->serial);
    dnnl_memory_t from = NULL, to = NULL;
    if (!(st = pmx_wrap(&from, op, "user weights memory", conv->wei_user_md, wei))
            && !(st = pmx_wrap(&to, op, "packed weights memory", conv->wei_md, dst))) {
        dnnl_exec_arg_t args[] = {{DNNL_ARG_FROM, from}, {DNNL_ARG_TO, to}};
        st = pmx_execute(op, conv->wei_reorder, 2, args);
        if (!st) pmx_count_weight_reorder();
    }
    if (from) dnnl_memory_destroy(from);
    if (to) dnnl_memory_destroy(to);
    return st;
}

pmx_status pmx_conv2d_fwd(float *dst, size_t dst_len, pmx_conv2d conv, const float *src,
        size_t src_len, const void *wei_packed, size_t wei_packed_bytes, const float *bia,
        size_t bia_len) {
    static const char op[] = "pmx_conv2d_fwd";
    pmx_status st = check_live(op, conv);
    if (st) return st;
    if ((st = pmx_check_buffer(op, "dst", dst, dst_len, conv->dst_len, "floats"))
            || (st = pmx_check_buffer(op, "src", src, src_len, conv->src_len, "floats"))
            || (st = pmx_check_buffer(op, "wei_packed", wei_packed, wei_packed_bytes,
                        conv->wei_packed_bytes, "bytes")))
        return st;
    if (conv->desc.has_bias) {
        if ((st = pmx_check_buffer(op, "bia", bia, bia_len, (size_t)conv->desc.out_channels, "floats")))
            return st;
    } else if (bia != NULL) {
        return pmx_fail(PMX_STATUS_INVALID_ARGUMENT,
                "%s: bia is given but the convolution was created without bias", op);
    }
    pmx_threads_apply_for(conv->serial);
    void *scratch = NULL;
    if (conv->scratchpad_bytes > 0) {
        scratch = aligned_alloc(64, (conv->scratchpad_bytes + 63) / 64 * 64);
        if (scratch == NULL)
            return pmx_fail(PMX_STATUS_OUT_OF_MEMORY, "%s: cannot allocate %zu bytes of scratchpad",
                    op, conv->scratchpad_bytes);
    }
    dnnl_memory_t m_src = NULL, m_wei = NULL, m_bia = NULL, m_dst = NULL, m_scr = NULL;
    const_dnnl_memory_desc_t scr_md = dnnl_primitive_desc_query_md(conv->pd, dnnl_query_scratchpad_md, 0);
    if (!(st = pmx_wrap(&m_src, op, "src memory", conv->src_md, src))
            && !(st = pmx_wrap(&m_wei, op, "weights memory", conv->wei_md, wei_packed))
            && !(st = pmx_wrap(&m_dst, op, "dst memory", conv->dst_md, dst))
            && !(st = pmx_wrap(&m_scr, op, "scratchpad memory", scr_md, scratch))
            && !(conv->desc.has_bias && (st = pmx_wrap(&m_bia, op, "bias memory", conv->bia_md, bia)))) {
        dnnl_exec_arg_t args[5] = {{DNNL_ARG_SRC, m_src}, {DNNL_ARG_WEIGHTS, m_wei},
                {DNNL_ARG_DST, m_dst}, {DNNL_ARG_SCRATCHPAD, m_scr}, {DNNL_ARG_BIAS, m_bia}};
        st = pmx_execute(op, conv->conv, conv->desc.has_bias ? 5 : 4, args);
    }
    if (m_src) dnnl_memory_destroy(m_src);
    if (m_wei) dnnl_memory_destroy(m_wei);
    if (m_dst) dnnl_memory_destroy(m_dst);
    if (m_scr) dnnl_memory_destroy(m_scr);
    if (m_bia) dnnl_memory_destroy(m_bia);
    free(scratch);
    return st;
}

// ---- backward -------------------------------------------------------------

static size_t round64(size_t n) { return (n + 63) / 64 * 64; }

static void geometry(const pmx_conv2d_desc *d, dnnl_dims_t strides, dnnl_dims_t dilates,
        dnnl_dims_t pad_l, dnnl_dims_t pad_r) {
    strides[0] = d->stride_height;
    strides[1] = d->stride_width;
    dilates[0] = d->dilation_height - 1;
    dilates[1] = d->dilation_width - 1;
    pad_l[0] = d->pad_top;
    pad_l[1] = d->pad_left;
    pad_r[0] = d->pad_bottom;
    pad_r[1] = d->pad_right;
}

static pmx_status reorder_create(dnnl_primitive_t *prim, const char *op, const char *what,
        const_dnnl_memory_desc_t from, const_dnnl_memory_desc_t to) {
    dnnl_engine_t eng = pmx_engine(op);
    if (eng == NULL) return PMX_STATUS_BACKEND_ERROR;
    dnnl_primitive_desc_t rpd;
    dnnl_status_t st = dnnl_reorder_primitive_desc_create(&rpd, from, eng, to, eng, NULL);
    if (st) return pmx_fail_dnnl(st, op, what);
    pmx_status ps = pmx_primitive_create(prim, op, what, rpd);
    dnnl_primitive_desc_destroy(rpd);
    return ps;
}

static pmx_status build_bwd(pmx_conv2d c, const char *op) {
    const pmx_conv2d_desc *d = &c->desc;
    dnnl_engine_t eng = pmx_engine(op);
    if (eng == NULL) return PMX_STATUS_BACKEND_ERROR;
    dnnl_dims_t strides, dilates, pad_l, pad_r;
    geometry(d, strides, dilates, pad_l, pad_r);
    dnnl_memory_desc_t any;
    // Weights "any" again: backward passes may prefer other blocked layouts than forward.
    int ndims = d->groups == 1 ? 4 : 5;
    dnnl_dims_t dims;
    if (d->groups == 1) {
        int64_t v[] = {d->out_channels, d->in_channels, d->kernel_height, d->kernel_width};
        memcpy(dims, v, sizeof v);
    } else {
        int64_t v[] = {d->groups, d->out_channels / d->groups, d->in_channels / d->groups,
                d->kernel_height, d->kernel_width};
        memcpy(dims, v, sizeof v);
    }
    dnnl_status_t st = dnnl_memory_desc_create_with_tag(&any, ndims, dims, dnnl_f32, dnnl_format_tag_any);
    if (st) return pmx_fail_dnnl(st, op, "weights descriptor creation");
    dnnl_primitive_attr_t attr = NULL;
    if (!st) st = dnnl_primitive_attr_create(&attr);
    if (!st) st = dnnl_primitive_attr_set_scratchpad_mode(attr, dnnl_scratchpad_mode_user);
    if (!st)
        st = dnnl_convolution_forward_primitive_desc_create(&c->hint_pd, eng, dnnl_forward_training,
                dnnl_convolution_direct, c->src_md, any, d->has_bias ? c->bia_md : NULL, c->dst_md,
                strides, dilates, pad_l, pad_r, NULL);
    if (!st)
        st = dnnl_convolution_backward_data_primitive_desc_create(&c->bwd_data_pd, eng,
                dnnl_convolution_direct, c->src_md, any, c->dst_md, strides, dilates, pad_l, pad_r,
                c->hint_pd, attr);
    if (!st)
        st = dnnl_convolution_backward_weights_primitive_desc_create(&c->bwd_wei_pd, eng,
                dnnl_convolution_direct, c->src_md, any, d->has_bias ? c->bia_md : NULL, c->dst_md,
                strides, dilates, pad_l, pad_r, c->hint_pd, attr);
    if (attr) dnnl_primitive_attr_destroy(attr);
    dnnl_memory_desc_destroy(any);
    if (st) return pmx_fail_dnnl(st, op, "backward descriptor creation");

    c->bwd_data_wei_md = dnnl_primitive_desc_query_md(c->bwd_data_pd, dnnl_query_weights_md, 0);
    c->bwd_diff_wei_md = dnnl_primitive_desc_query_md(c->bwd_wei_pd, dnnl_query_diff_weights_md, 0);
    c->bwd_data_wei_bytes = dnnl_memory_desc_get_size(c->bwd_data_wei_md);
    c->bwd_diff_wei_bytes = dnnl_memory_desc_get_size(c->bwd_diff_wei_md);
    c->bwd_data_scratch_bytes = dnnl_memory_desc_get_size(
            dnnl_primitive_desc_query_md(c->bwd_data_pd, dnnl_query_scratchpad_md, 0));
    c->bwd_wei_scratch_bytes = dnnl_memory_desc_get_size(
            dnnl_primitive_desc_query_md(c->bwd_wei_pd, dnnl_query_scratchpad_md, 0));
    pmx_status ps;
    if ((ps = pmx_primitive_create(&c->bwd_data, op, "backward-data primitive creation", c->bwd_data_pd))
            || (ps = pmx_primitive_create(&c->bwd_wei, op, "backward-weights primitive creation", c->bwd_wei_pd))
            || (ps = reorder_create(&c->bwd_data_wei_reorder, op, "weights reorder creation",
                        c->wei_user_md, c->bwd_data_wei_md))
            || (ps = reorder_create(&c->bwd_wei_reorder, op, "weight-gradient reorder creation",
                        c->bwd_diff_wei_md, c->wei_user_md)))
        return ps;
    return PMX_STATUS_OK;
}

static pmx_status ensure_bwd(pmx_conv2d c, const char *op) {
    pthread_mutex_lock(&c->bwd_lock);
    pmx_status st = PMX_STATUS_OK;
    if (!c->bwd_ready) {
        st = build_bwd(c, op);
        if (st == PMX_STATUS_OK) c->bwd_ready = 1;
    }
    pthread_mutex_unlock(&c->bwd_lock);
    return st;
}

pmx_status pmx_conv2d_bwd_data(float *diff_src, size_t diff_src_len, pmx_conv2d conv,
        const float *diff_dst, size_t diff_dst_len, const float *wei, size_t wei_len) {
    static const char op[] = "pmx_conv2d_bwd_data";
    pmx_status st = check_live(op, conv);
    if (st) return st;
    if ((st = pmx_check_buffer(op, "diff_src", diff_src, diff_src_len, conv->src_len, "floats"))
            || (st = pmx_check_buffer(op, "diff_dst", diff_dst, diff_dst_len, conv->dst_len, "floats"))
            || (st = pmx_check_buffer(op, "wei", wei, wei_len, conv->wei_len, "floats")))
        return st;
    pmx_threads_apply_for(conv->serial);
    if ((st = ensure_bwd(conv, op))) return st;
    size_t wei_bytes = round64(conv->bwd_data_wei_bytes);
    char *buf = aligned_alloc(64, wei_bytes + round64(conv->bwd_data_scratch_bytes) + 64);
    if (buf == NULL) return pmx_fail(PMX_STATUS_OUT_OF_MEMORY, "%s: cannot allocate working memory", op);
    dnnl_memory_t m_wei_user = NULL, m_wei = NULL, m_dd = NULL, m_ds = NULL, m_scr = NULL;
    const_dnnl_memory_desc_t scr_md = dnnl_primitive_desc_query_md(conv->bwd_data_pd, dnnl_query_scratchpad_md, 0);
    if (!(st = pmx_wrap(&m_wei_user, op, "weights memory", conv->wei_user_md, wei))
            && !(st = pmx_wrap(&m_wei, op, "packed weights memory", conv->bwd_data_wei_md, buf))
            && !(st = pmx_wrap(&m_dd, op, "diff_dst memory", conv->dst_md, diff_dst))
            && !(st = pmx_wrap(&m_ds, op, "diff_src memory", conv->src_md, diff_src))
            && !(st = pmx_wrap(&m_scr, op, "scratchpad memory", scr_md, buf + wei_bytes))) {
        dnnl_exec_arg_t reorder_args[] = {{DNNL_ARG_FROM, m_wei_user}, {DNNL_ARG_TO, m_wei}};
        st = pmx_execute(op, conv->bwd_data_wei_reorder, 2, reorder_args);
        if (!st) {
            pmx_count_weight_reorder();
            dnnl_exec_arg_t args[] = {{DNNL_ARG_DIFF_DST, m_dd}, {DNNL_ARG_WEIGHTS, m_wei},
                    {DNNL_ARG_DIFF_SRC, m_ds}, {DNNL_ARG_SCRATCHPAD, m_scr}};
            st = pmx_execute(op, conv->bwd_data, 4, args);
        }
    }
    dnnl_memory_t mems[] = {m_wei_user, m_wei, m_dd, m_ds, m_scr};
    for (size_t i = 0; i < sizeof mems / sizeof mems[0]; i++)
        if (mems[i]) dnnl_memory_destroy(mems[i]);
    free(buf);
    return st;
}

pmx_status pmx_conv2d_bwd_weights(float *diff_wei, size_t diff_wei_len, float *diff_bia,
        size_t diff_bia_len, pmx_conv2d conv, const float *src, size_t src_len,
        const float *diff_dst, size_t diff_dst_len) {
    static const char op[] = "pmx_conv2d_bwd_weights";
    pmx_status st = check_live(op, conv);
    if (st) return st;
    if ((st = pmx_check_buffer(op, "diff_wei", diff_wei, diff_wei_len, conv->wei_len, "floats"))
            || (st = pmx_check_buffer(op, "src", src, src_len, conv->src_len, "floats"))
            || (st = pmx_check_buffer(op, "diff_dst", diff_dst, diff_dst_len, conv->dst_len, "floats")))
        return st;
    if (conv->desc.has_bias) {
        if ((st = pmx_check_buffer(op, "diff_bia", diff_bia, diff_bia_len, (size_t)conv->desc.out_channels, "floats")))
            return st;
    } else if (diff_bia != NULL) {
        return pmx_fail(PMX_STATUS_INVALID_ARGUMENT,
                "%s: diff_bia is given but the convolution was created without bias", op);
    }
    pmx_threads_apply_for(conv->serial);
    if ((st = ensure_bwd(conv, op))) return st;
    size_t wei_bytes = round64(conv->bwd_diff_wei_bytes);
    char *buf = aligned_alloc(64, wei_bytes + round64(conv->bwd_wei_scratch_bytes) + 64);
    if (buf == NULL) return pmx_fail(PMX_STATUS_OUT_OF_MEMORY, "%s: cannot allocate working memory", op);
    dnnl_memory_t m_src = NULL, m_dd = NULL, m_dw = NULL, m_dw_user = NULL, m_db = NULL, m_scr = NULL;
    const_dnnl_memory_desc_t scr_md = dnnl_primitive_desc_query_md(conv->bwd_wei_pd, dnnl_query_scratchpad_md, 0);
    if (!(st = pmx_wrap(&m_src, op, "src memory", conv->src_md, src))
            && !(st = pmx_wrap(&m_dd, op, "diff_dst memory", conv->dst_md, diff_dst))
            && !(st = pmx_wrap(&m_dw, op, "weight-gradient memory", conv->bwd_diff_wei_md, buf))
            && !(st = pmx_wrap(&m_dw_user, op, "diff_wei memory", conv->wei_user_md, diff_wei))
            && !(st = pmx_wrap(&m_scr, op, "scratchpad memory", scr_md, buf + wei_bytes))
            && !(conv->desc.has_bias && (st = pmx_wrap(&m_db, op, "diff_bia memory", conv->bia_md, diff_bia)))) {
        dnnl_exec_arg_t args[] = {{DNNL_ARG_SRC, m_src}, {DNNL_ARG_DIFF_DST, m_dd},
                {DNNL_ARG_DIFF_WEIGHTS, m_dw}, {DNNL_ARG_SCRATCHPAD, m_scr}, {DNNL_ARG_DIFF_BIAS, m_db}};
        st = pmx_execute(op, conv->bwd_wei, conv->desc.has_bias ? 5 : 4, args);
        if (!st) {
            dnnl_exec_arg_t reorder_args[] = {{DNNL_ARG_FROM, m_dw}, {DNNL_ARG_TO, m_dw_user}};
            st = pmx_execute(op, conv->bwd_wei_reorder, 2, reorder_args);
            if (!st) pmx_count_weight_reorder();
        }
    }
    dnnl_memory_t mems[] = {m_src, m_dd, m_dw, m_dw_user, m_db, m_scr};
    for (size_t i = 0; i < sizeof mems / sizeof mems[0]; i++)
        if (mems[i]) dnnl_memory_destroy(mems[i]);
    free(buf);
    return st;
}
