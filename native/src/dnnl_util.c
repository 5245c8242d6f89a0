// Small helpers over oneDNN's C API shared by the primitives.
#include "internal.h"

pmx_status pmx_activation_alg(const char *op, int32_t activation, float alpha,
        dnnl_alg_kind_t *alg, float *dnnl_alpha, float *dnnl_beta) {
    *dnnl_alpha = 0.f;
    *dnnl_beta = 0.f;
    switch (activation) {
        case PMX_ACTIVATION_LINEAR: *alg = dnnl_eltwise_linear; *dnnl_alpha = 1.f; return PMX_STATUS_OK;
        case PMX_ACTIVATION_RELU: *alg = dnnl_eltwise_relu; return PMX_STATUS_OK;
        case PMX_ACTIVATION_LEAKY_RELU: *alg = dnnl_eltwise_relu; *dnnl_alpha = alpha; break;
        case PMX_ACTIVATION_ELU: *alg = dnnl_eltwise_elu; *dnnl_alpha = alpha; break;
        case PMX_ACTIVATION_GELU: *alg = dnnl_eltwise_gelu_erf; return PMX_STATUS_OK;
        case PMX_ACTIVATION_SIGMOID: *alg = dnnl_eltwise_logistic; return PMX_STATUS_OK;
        case PMX_ACTIVATION_TANH: *alg = dnnl_eltwise_tanh; return PMX_STATUS_OK;
        case PMX_ACTIVATION_SWISH: *alg = dnnl_eltwise_swish; *dnnl_alpha = 1.f; return PMX_STATUS_OK;
        default:
            return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: activation must be 0 to 7, got %d", op, activation);
    }
    if (!(alpha == alpha) || alpha > 3.4e38f || alpha < -3.4e38f)
        return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: activation alpha must be finite, got %g", op, (double)alpha);
    return PMX_STATUS_OK;
}

pmx_status pmx_wrap(dnnl_memory_t *mem, const char *op, const char *name,
        const_dnnl_memory_desc_t md, const void *ptr) {
    dnnl_engine_t eng = pmx_engine(op);
    if (eng == NULL) {
        *mem = NULL;
        return PMX_STATUS_BACKEND_ERROR;
    }
    dnnl_status_t st = dnnl_memory_create(mem, md, eng, (void *)ptr);
    if (st) {
        *mem = NULL;
        return pmx_fail_dnnl(st, op, name);
    }
    return PMX_STATUS_OK;
}

pmx_status pmx_execute(const char *op, dnnl_primitive_t prim, int nargs, dnnl_exec_arg_t *args) {
    dnnl_stream_t stream = pmx_stream(op);
    if (stream == NULL) return PMX_STATUS_BACKEND_ERROR;
    dnnl_status_t st = dnnl_primitive_execute(prim, stream, nargs, args);
    if (st == dnnl_success) st = dnnl_stream_wait(stream);
    return st ? pmx_fail_dnnl(st, op, "execution") : PMX_STATUS_OK;
}

pmx_status pmx_primitive_create(dnnl_primitive_t *prim, const char *op, const char *what,
        const_dnnl_primitive_desc_t pd) {
    dnnl_status_t st = dnnl_primitive_create(prim, pd);
    if (st) {
        *prim = NULL;
        return pmx_fail_dnnl(st, op, what);
    }
    pmx_count_primitive_creation();
    return PMX_STATUS_OK;
}
