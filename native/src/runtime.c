// Process-wide state: the oneDNN engine, per-thread streams, thread settings,
// counters and the runtime report.
#include "internal.h"

#include <cblas.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#ifndef PMX_VERSION
#define PMX_VERSION "unknown"
#endif

// libgomp's API; declared here so the build needs no omp.h.
extern int omp_get_max_threads(void);
extern void omp_set_num_threads(int);

static pthread_once_t engine_once = PTHREAD_ONCE_INIT;
static dnnl_engine_t engine;
static dnnl_status_t engine_status = dnnl_success;

static pthread_key_t stream_key;
static int stream_key_ok;

// 0 until pmx_threads_set(): OpenMP and OpenBLAS keep their own defaults.
static atomic_int compute_threads;

static atomic_llong primitive_creations;
static atomic_llong weight_reorders;
static atomic_llong activation_reorders;

static void stream_free(void *stream) { dnnl_stream_destroy((dnnl_stream_t)stream); }

static void engine_init(void) {
    engine_status = dnnl_engine_create(&engine, dnnl_cpu, 0);
    stream_key_ok = pthread_key_create(&stream_key, stream_free) == 0;
}

dnnl_engine_t pmx_engine(const char *op) {
    pthread_once(&engine_once, engine_init);
    if (engine_status != dnnl_success) {
        pmx_fail_dnnl(engine_status, op, "engine creation");
        return NULL;
    }
    if (!stream_key_ok) {
        pmx_fail(PMX_STATUS_BACKEND_ERROR, "%s: cannot create the thread-local stream key", op);
        return NULL;
    }
    return engine;
}

dnnl_stream_t pmx_stream(const char *op) {
    dnnl_engine_t eng = pmx_engine(op);
    if (eng == NULL) return NULL;
    dnnl_stream_t stream = pthread_getspecific(stream_key);
    if (stream != NULL) return stream;
    dnnl_status_t st = dnnl_stream_create(&stream, eng, dnnl_stream_default_flags);
    if (st != dnnl_success) {
        pmx_fail_dnnl(st, op, "stream creation");
        return NULL;
    }
    if (pthread_setspecific(stream_key, stream) != 0) {
        dnnl_stream_destroy(stream);
        pmx_fail(PMX_STATUS_OUT_OF_MEMORY, "%s: cannot store the thread's stream", op);
        return NULL;
    }
    return stream;
}

void pmx_threads_apply(void) {
    int n = atomic_load_explicit(&compute_threads, memory_order_relaxed);
    if (n > 0 && omp_get_max_threads() != n) omp_set_num_threads(n);
}

void pmx_threads_apply_for(int serial) {
    if (!serial) {
        pmx_threads_apply();
    } else if (omp_get_max_threads() != 1) {
        omp_set_num_threads(1);
    }
}

void pmx_count_primitive_creation(void) { atomic_fetch_add(&primitive_creations, 1); }
void pmx_count_weight_reorder(void) { atomic_fetch_add(&weight_reorders, 1); }
void pmx_count_activation_reorder(void) { atomic_fetch_add(&activation_reorders, 1); }

pmx_status pmx_noop(void) { return PMX_STATUS_OK; }

pmx_status pmx_threads_set(int32_t threads) {
    if (threads < 1 || threads > 4096)
        return pmx_fail(PMX_STATUS_INVALID_ARGUMENT,
                "pmx_threads_set: threads must be 1 to 4096, got %d", threads);
    atomic_store(&compute_threads, threads);
    openblas_set_num_threads(threads);
    pmx_threads_apply();
    return PMX_STATUS_OK;
}

pmx_status pmx_threads_get(int32_t *dst) {
    if (dst == NULL) return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "pmx_threads_get: dst is NULL");
    int n = atomic_load(&compute_threads);
    *dst = n > 0 ? n : omp_get_max_threads();
    return PMX_STATUS_OK;
}

pmx_status pmx_stats_get(pmx_stats *dst) {
    if (dst == NULL) return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "pmx_stats_get: dst is NULL");
    dst->primitive_creations = atomic_load(&primitive_creations);
    dst->weight_reorders = atomic_load(&weight_reorders);
    dst->activation_reorders = atomic_load(&activation_reorders);
    return PMX_STATUS_OK;
}

static const char *isa_name(dnnl_cpu_isa_t isa) {
    switch (isa) {
        case dnnl_cpu_isa_sse41: return "sse41";
        case dnnl_cpu_isa_avx: return "avx";
        case dnnl_cpu_isa_avx2: return "avx2";
        case dnnl_cpu_isa_avx2_vnni: return "avx2_vnni";
        case dnnl_cpu_isa_avx2_vnni_2: return "avx2_vnni_2";
        case dnnl_cpu_isa_avx512_core: return "avx512_core";
        case dnnl_cpu_isa_avx512_core_vnni: return "avx512_core_vnni";
        case dnnl_cpu_isa_avx512_core_bf16: return "avx512_core_bf16";
        case dnnl_cpu_isa_avx10_1_512: return "avx10_1_512";
        case dnnl_cpu_isa_avx10_1_512_amx: return "avx10_1_512_amx";
        case dnnl_cpu_isa_avx10_1_512_amx_fp16: return "avx10_1_512_amx_fp16";
        case dnnl_cpu_isa_avx10_2_512: return "avx10_2_512";
        case dnnl_cpu_isa_avx10_2_512_amx_2: return "avx10_2_512_amx_2";
        default: return "default";
    }
}

static void copy_text(char *dst, const char *src) {
    snprintf(dst, PMX_INFO_TEXT_CAPACITY, "%s", src != NULL ? src : "");
}

pmx_status pmx_runtime_info_get(pmx_runtime_info *dst) {
    if (dst == NULL) return pmx_fail(PMX_STATUS_INVALID_ARGUMENT, "pmx_runtime_info_get: dst is NULL");
    memset(dst, 0, sizeof *dst);
    copy_text(dst->panamax_version, PMX_VERSION);
    const dnnl_version_t *v = dnnl_version();
    int has_hash = v->hash != NULL && strlen(v->hash) >= 7 && strcmp(v->hash, "N/A") != 0;
    if (has_hash)
        snprintf(dst->dnnl_version, PMX_INFO_TEXT_CAPACITY, "%d.%d.%d (%.7s)", v->major, v->minor, v->patch, v->hash);
    else
        snprintf(dst->dnnl_version, PMX_INFO_TEXT_CAPACITY, "%d.%d.%d", v->major, v->minor, v->patch);
    copy_text(dst->dnnl_cpu_isa, isa_name(dnnl_get_effective_cpu_isa()));
    copy_text(dst->blas_config, openblas_get_config());
    copy_text(dst->blas_core, openblas_get_corename());
    int32_t threads = 0;
    pmx_threads_get(&threads);
    dst->compute_threads = threads;
    dst->blas_threads = openblas_get_num_threads();
    dst->cpu_count = openblas_get_num_procs();
    return PMX_STATUS_OK;
}
