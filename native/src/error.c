// Thread-local error text behind pmx_last_error_get().
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define PMX_ERROR_CAPACITY 1024

static _Thread_local char last_error[PMX_ERROR_CAPACITY];

pmx_status pmx_fail(pmx_status status, const char *fmt, ...) {
    va_list args;
    va_start(args, fmt);
    vsnprintf(last_error, sizeof last_error, fmt, args);
    va_end(args);
    return status;
}

static const char *dnnl_status_name(dnnl_status_t st) {
    switch (st) {
        case dnnl_out_of_memory: return "out of memory";
        case dnnl_invalid_arguments: return "invalid arguments";
        case dnnl_unimplemented: return "unimplemented";
        case dnnl_last_impl_reached: return "no implementation";
        case dnnl_runtime_error: return "runtime error";
        case dnnl_not_required: return "not required";
        default: return "unknown error";
    }
}

pmx_status pmx_fail_dnnl(dnnl_status_t st, const char *op, const char *what) {
    pmx_status status = PMX_STATUS_BACKEND_ERROR;
    if (st == dnnl_out_of_memory) status = PMX_STATUS_OUT_OF_MEMORY;
    if (st == dnnl_unimplemented || st == dnnl_last_impl_reached) status = PMX_STATUS_UNIMPLEMENTED;
    return pmx_fail(status, "%s: oneDNN %s failed: %s (status %d)", op, what,
            dnnl_status_name(st), (int)st);
}

pmx_status pmx_check_buffer(const char *op, const char *name, const void *ptr,
        size_t len, size_t need, const char *unit) {
    if (ptr == NULL)
        return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: %s is NULL", op, name);
    if (len < need)
        return pmx_fail(PMX_STATUS_INVALID_ARGUMENT,
                "%s: %s holds %zu %s but %zu are needed", op, name, len, unit, need);
    return PMX_STATUS_OK;
}

int pmx_mul_sizes(const char *op, size_t *dst, size_t a, size_t b) {
    if (__builtin_mul_overflow(a, b, dst)) {
        pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "%s: size %zu x %zu overflows", op, a, b);
        return 0;
    }
    return 1;
}

pmx_status pmx_last_error_get(char *dst, size_t dst_capacity) {
    if (dst == NULL || dst_capacity == 0) return PMX_STATUS_INVALID_ARGUMENT;
    size_t n = strnlen(last_error, sizeof last_error);
    if (n >= dst_capacity) n = dst_capacity - 1;
    memcpy(dst, last_error, n);
    dst[n] = '\0';
    return PMX_STATUS_OK;
}
