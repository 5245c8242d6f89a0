/// @file panamax.h
/// The public C interface of the Panamax shim over oneDNN and OpenBLAS.
///
/// This is the only header jextract reads. Conventions (after oneDNN's C API):
/// - every function returns a #pmx_status; results come through the first
///   (output) parameters;
/// - on failure, the calling thread can read a message naming the function and
///   the values at fault with pmx_last_error_get(), right after the call;
/// - every argument is validated before any work; nothing here exits or aborts;
/// - objects are opaque handles with create/destroy pairs;
/// - tensors are plain row-major float32 buffers passed with their length in
///   elements, so the shim can refuse a buffer that is too small.
#ifndef PANAMAX_H
#define PANAMAX_H

#include <stddef.h>
#include <stdint.h>

#if defined(PMX_BUILDING_SHIM)
#define PMX_API __attribute__((visibility("default")))
#else
#define PMX_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/// Result of every call.
typedef enum pmx_status {
    /// The call succeeded.
    PMX_STATUS_OK = 0,
    /// An argument was NULL, out of range or inconsistent with the others.
    PMX_STATUS_INVALID_ARGUMENT = 1,
    /// The combination of arguments is valid but not supported.
    PMX_STATUS_UNIMPLEMENTED = 2,
    /// A native allocation failed.
    PMX_STATUS_OUT_OF_MEMORY = 3,
    /// oneDNN or OpenBLAS reported an error.
    PMX_STATUS_BACKEND_ERROR = 4,
} pmx_status;

/// Capacity of the text fields of #pmx_runtime_info.
#define PMX_INFO_TEXT_CAPACITY 256

/// Versions and settings of the native runtime, for `panamax info`.
typedef struct pmx_runtime_info {
    /// Version of this shim, e.g. "0.1.0".
    char panamax_version[PMX_INFO_TEXT_CAPACITY];
    /// oneDNN version and commit, e.g. "3.11.0 (abcdef0)".
    char dnnl_version[PMX_INFO_TEXT_CAPACITY];
    /// The instruction set oneDNN dispatches to on this CPU, e.g. "avx512_core_bf16".
    char dnnl_cpu_isa[PMX_INFO_TEXT_CAPACITY];
    /// OpenBLAS build configuration string.
    char blas_config[PMX_INFO_TEXT_CAPACITY];
    /// The OpenBLAS kernel family in use, e.g. "Haswell" or "SkylakeX".
    char blas_core[PMX_INFO_TEXT_CAPACITY];
    /// Compute threads the shim applies to oneDNN (OpenMP) and OpenBLAS.
    int32_t compute_threads;
    /// Threads OpenBLAS reports it will use.
    int32_t blas_threads;
    /// Logical processors OpenBLAS detected.
    int32_t cpu_count;
} pmx_runtime_info;

/// Counters of expensive native events, for tests that check steady state.
typedef struct pmx_stats {
    /// oneDNN primitives created (compute and reorder) since the library loaded.
    int64_t primitive_creations;
    /// Reorders executed (layout conversions of weights or activations).
    int64_t reorders;
} pmx_stats;

/// Activation functions, fused as post-ops or run alone (Keras names).
typedef enum pmx_activation {
    /// f(x) = x.
    PMX_ACTIVATION_LINEAR = 0,
    /// f(x) = max(x, 0).
    PMX_ACTIVATION_RELU = 1,
    /// f(x) = x for x > 0, alpha * x otherwise.
    PMX_ACTIVATION_LEAKY_RELU = 2,
    /// f(x) = x for x > 0, alpha * (exp(x) - 1) otherwise.
    PMX_ACTIVATION_ELU = 3,
    /// f(x) = x * Phi(x), the exact (erf) form, Keras' default.
    PMX_ACTIVATION_GELU = 4,
    /// f(x) = 1 / (1 + exp(-x)).
    PMX_ACTIVATION_SIGMOID = 5,
    /// f(x) = tanh(x).
    PMX_ACTIVATION_TANH = 6,
    /// f(x) = x * sigmoid(x).
    PMX_ACTIVATION_SWISH = 7,
} pmx_activation;

/// Description of a 2-D convolution over NHWC activations.
///
/// Weights are given in Keras' HWIO layout `[kernel_h, kernel_w, in_channels / groups,
/// out_channels]`; output channel `o` belongs to group `o / (out_channels / groups)`.
typedef struct pmx_conv2d_desc {
    int64_t batch;
    int64_t in_height;
    int64_t in_width;
    int64_t in_channels;
    int64_t out_channels;
    int64_t kernel_height;
    int64_t kernel_width;
    int64_t stride_height;
    int64_t stride_width;
    int64_t pad_top;
    int64_t pad_left;
    int64_t pad_bottom;
    int64_t pad_right;
    /// Dilation rate as in Keras: 1 means a dense kernel.
    int64_t dilation_height;
    int64_t dilation_width;
    int64_t groups;
    /// Non-zero when the convolution adds a bias of out_channels values.
    int32_t has_bias;
    /// Fused post-op: a #pmx_activation applied last.
    int32_t activation;
    /// Parameter of the activation (negative slope of leaky ReLU, alpha of ELU); ignored by others.
    float activation_alpha;
    /// Non-zero to add the previous content of dst before the activation (a residual sum).
    int32_t sum_dst;
} pmx_conv2d_desc;

/// A convolution primitive created once for one description and executed many times.
typedef struct pmx_conv2d_s *pmx_conv2d;

/// Copies the message of the calling thread's last failed call.
///
/// @param dst Buffer for the NUL-terminated message (truncated to fit).
/// @param dst_capacity Size of @p dst in bytes; at least 1.
/// @returns #PMX_STATUS_OK, or #PMX_STATUS_INVALID_ARGUMENT for a NULL or empty buffer.
PMX_API pmx_status pmx_last_error_get(char *dst, size_t dst_capacity);

/// Does nothing; measures the cost of one call into the shim.
/// @returns #PMX_STATUS_OK.
PMX_API pmx_status pmx_noop(void);

/// Fills @p dst with versions, CPU dispatch and thread settings.
/// @param dst Output structure.
/// @returns #PMX_STATUS_OK or #PMX_STATUS_INVALID_ARGUMENT.
PMX_API pmx_status pmx_runtime_info_get(pmx_runtime_info *dst);

/// Sets the number of compute threads for oneDNN (OpenMP) and OpenBLAS.
///
/// Applies to every later call on every thread: each compute call sets the
/// OpenMP thread count of its calling thread before oneDNN creates or runs a primitive.
/// @param threads Number of threads, 1 to 4096.
/// @returns #PMX_STATUS_OK or #PMX_STATUS_INVALID_ARGUMENT.
PMX_API pmx_status pmx_threads_set(int32_t threads);

/// Reads the number of compute threads set by pmx_threads_set().
/// @param dst Output thread count.
/// @returns #PMX_STATUS_OK or #PMX_STATUS_INVALID_ARGUMENT.
PMX_API pmx_status pmx_threads_get(int32_t *dst);

/// Reads the counters of primitive creations and reorders.
/// @param dst Output counters.
/// @returns #PMX_STATUS_OK or #PMX_STATUS_INVALID_ARGUMENT.
PMX_API pmx_status pmx_stats_get(pmx_stats *dst);

/// Matrix product `dst = alpha * op(a) * op(b) + beta * dst`, row-major, float32.
///
/// `op(a)` is `m x k` (a is stored `k x m` when @p trans_a is non-zero),
/// `op(b)` is `k x n` (b is stored `n x k` when @p trans_b is non-zero).
/// @param dst Output, `m x n`.
/// @param dst_len Elements available at @p dst; at least m * n.
/// @param a Left operand.
/// @param a_len Elements available at @p a; at least m * k.
/// @param b Right operand.
/// @param b_len Elements available at @p b; at least k * n.
/// @param m Rows of the result, 1 to 2^31-1.
/// @param n Columns of the result, 1 to 2^31-1.
/// @param k Inner dimension, 1 to 2^31-1.
/// @param trans_a Non-zero to transpose a.
/// @param trans_b Non-zero to transpose b.
/// @param alpha Scale of the product.
/// @param beta Scale of the previous content of dst (0 ignores it, NaN included).
/// @returns #PMX_STATUS_OK, #PMX_STATUS_INVALID_ARGUMENT or #PMX_STATUS_BACKEND_ERROR.
PMX_API pmx_status pmx_matmul_f32(float *dst, size_t dst_len, const float *a,
        size_t a_len, const float *b, size_t b_len, int64_t m, int64_t n,
        int64_t k, int32_t trans_a, int32_t trans_b, float alpha, float beta);

/// Creates a forward convolution primitive for @p desc.
///
/// oneDNN chooses the weight layout (format `any`); pack weights into it with
/// pmx_conv2d_weights_pack() once and reuse them for every execution.
/// @param dst Output handle; destroy it with pmx_conv2d_destroy().
/// @param desc Problem description; every size positive, padding non-negative,
///     channels divisible by groups, and the output at least 1x1.
/// @returns #PMX_STATUS_OK, #PMX_STATUS_INVALID_ARGUMENT,
///     #PMX_STATUS_UNIMPLEMENTED, #PMX_STATUS_OUT_OF_MEMORY or #PMX_STATUS_BACKEND_ERROR.
PMX_API pmx_status pmx_conv2d_create(pmx_conv2d *dst, const pmx_conv2d_desc *desc);

/// Destroys a convolution created by pmx_conv2d_create().
/// @param conv The handle; NULL is accepted and ignored.
/// @returns #PMX_STATUS_OK, or #PMX_STATUS_INVALID_ARGUMENT for a handle that is not live.
PMX_API pmx_status pmx_conv2d_destroy(pmx_conv2d conv);

/// Reads the output dimensions `[batch, out_height, out_width, out_channels]`.
/// @param dst Four output values.
/// @param conv A live convolution.
/// @returns #PMX_STATUS_OK or #PMX_STATUS_INVALID_ARGUMENT.
PMX_API pmx_status pmx_conv2d_dst_dims(int64_t *dst, pmx_conv2d conv);

/// Reads the name of the oneDNN implementation chosen, e.g. "brg_conv_fwd:avx512_core".
/// @param dst Buffer for the NUL-terminated name.
/// @param dst_capacity Size of @p dst in bytes.
/// @param conv A live convolution.
/// @returns #PMX_STATUS_OK or #PMX_STATUS_INVALID_ARGUMENT.
PMX_API pmx_status pmx_conv2d_impl_name(char *dst, size_t dst_capacity, pmx_conv2d conv);

/// Reads how many bytes the packed weights of @p conv take.
/// @param dst Output size in bytes.
/// @param conv A live convolution.
/// @returns #PMX_STATUS_OK or #PMX_STATUS_INVALID_ARGUMENT.
PMX_API pmx_status pmx_conv2d_weights_packed_size(size_t *dst, pmx_conv2d conv);

/// Packs HWIO weights into the layout @p conv executes with (one reorder).
/// @param dst Packed output; 64-byte alignment recommended.
/// @param dst_bytes Bytes available at @p dst; at least pmx_conv2d_weights_packed_size().
/// @param conv A live convolution.
/// @param wei Weights, HWIO `[kernel_h, kernel_w, in_channels / groups, out_channels]`.
/// @param wei_len Elements available at @p wei.
/// @returns #PMX_STATUS_OK, #PMX_STATUS_INVALID_ARGUMENT or #PMX_STATUS_BACKEND_ERROR.
PMX_API pmx_status pmx_conv2d_weights_pack(void *dst, size_t dst_bytes,
        pmx_conv2d conv, const float *wei, size_t wei_len);

/// Runs the convolution forward: `dst = act(conv(src, wei) + bia [+ dst])`.
/// @param dst Output, NHWC `[batch, out_height, out_width, out_channels]`.
/// @param dst_len Elements available at @p dst.
/// @param conv A live convolution.
/// @param src Input, NHWC `[batch, in_height, in_width, in_channels]`.
/// @param src_len Elements available at @p src.
/// @param wei_packed Weights packed by pmx_conv2d_weights_pack() for this @p conv.
/// @param wei_packed_bytes Bytes available at @p wei_packed.
/// @param bia Bias of out_channels values; NULL when the description has no bias.
/// @param bia_len Elements available at @p bia.
/// @returns #PMX_STATUS_OK, #PMX_STATUS_INVALID_ARGUMENT,
///     #PMX_STATUS_OUT_OF_MEMORY or #PMX_STATUS_BACKEND_ERROR.
PMX_API pmx_status pmx_conv2d_fwd(float *dst, size_t dst_len, pmx_conv2d conv,
        const float *src, size_t src_len, const void *wei_packed,
        size_t wei_packed_bytes, const float *bia, size_t bia_len);

/// Gradient with respect to the input: `diff_src = conv_bwd_data(diff_dst, wei)`.
///
/// @p diff_dst is the gradient at the convolution's output before any fused post-op.
/// @param diff_src Output, NHWC `[batch, in_height, in_width, in_channels]`.
/// @param diff_src_len Elements available at @p diff_src.
/// @param conv A live convolution.
/// @param diff_dst Gradient of the output, NHWC.
/// @param diff_dst_len Elements available at @p diff_dst.
/// @param wei Weights in HWIO layout (not packed).
/// @param wei_len Elements available at @p wei.
/// @returns #PMX_STATUS_OK, #PMX_STATUS_INVALID_ARGUMENT, #PMX_STATUS_UNIMPLEMENTED,
///     #PMX_STATUS_OUT_OF_MEMORY or #PMX_STATUS_BACKEND_ERROR.
PMX_API pmx_status pmx_conv2d_bwd_data(float *diff_src, size_t diff_src_len, pmx_conv2d conv,
        const float *diff_dst, size_t diff_dst_len, const float *wei, size_t wei_len);

/// Gradients with respect to the weights and the bias.
/// @param diff_wei Output weight gradient, HWIO.
/// @param diff_wei_len Elements available at @p diff_wei.
/// @param diff_bia Output bias gradient of out_channels values; NULL when the convolution has no bias.
/// @param diff_bia_len Elements available at @p diff_bia.
/// @param conv A live convolution.
/// @param src The forward input, NHWC.
/// @param src_len Elements available at @p src.
/// @param diff_dst Gradient of the output (before post-ops), NHWC.
/// @param diff_dst_len Elements available at @p diff_dst.
/// @returns #PMX_STATUS_OK, #PMX_STATUS_INVALID_ARGUMENT, #PMX_STATUS_UNIMPLEMENTED,
///     #PMX_STATUS_OUT_OF_MEMORY or #PMX_STATUS_BACKEND_ERROR.
PMX_API pmx_status pmx_conv2d_bwd_weights(float *diff_wei, size_t diff_wei_len, float *diff_bia,
        size_t diff_bia_len, pmx_conv2d conv, const float *src, size_t src_len,
        const float *diff_dst, size_t diff_dst_len);

// ==== oneDNN primitives: pooling, batch normalization, dense (section end) ====

// ==== element-wise, reductions, softmax, losses, dropout, shape ops, optimizer updates (section end) ====

#ifdef __cplusplus
}
#endif

#endif // PANAMAX_H
