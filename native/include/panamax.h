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

/// The shim's element-wise operations (activations, affine, binary, softmax, layer norm,
/// reductions, shape ops, optimizer updates) on at most this many elements run on the calling
/// thread alone: for them a parallel region would cost more than it saves. Such calls are short
/// leaf calls (no callback, no lock, microseconds at most).
#define PMX_SERIAL_MAX_ELEMENTS 32768

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
    /// Reorders of weights executed: packing them into a primitive's layout, or bringing a
    /// weight gradient back to HWIO.
    int64_t weight_reorders;
    /// Reorders of activations (sources, destinations and their gradients) executed. Every
    /// primitive of the shim reads and writes NHWC directly, so this stays 0 unless a primitive
    /// needs another layout.
    int64_t activation_reorders;
} pmx_stats;

/// Libraries that can run the shim's float32 matrix products.
typedef enum pmx_gemm_engine {
    /// Chosen per product: small ones (m * n * k up to 262144, which OpenBLAS runs on the
    /// calling thread alone) on OpenBLAS, larger ones on oneDNN. This is the default: every
    /// multi-threaded product then runs on oneDNN's OpenMP threads, the same as the convolutions,
    /// so OpenBLAS's spinning thread pool never competes with them for cores.
    PMX_GEMM_ENGINE_AUTO = 0,
    /// oneDNN's sgemm for every product.
    PMX_GEMM_ENGINE_ONEDNN = 1,
    /// OpenBLAS's sgemm for every product (on its own threads when large).
    PMX_GEMM_ENGINE_OPENBLAS = 2,
} pmx_gemm_engine;

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

/// Chooses the library that runs matrix products (matmul, dense, batched matmul) from now on,
/// on every thread.
/// @param engine A #pmx_gemm_engine.
/// @returns #PMX_STATUS_OK or #PMX_STATUS_INVALID_ARGUMENT.
PMX_API pmx_status pmx_gemm_engine_set(int32_t engine);

/// Reads the #pmx_gemm_engine set by pmx_gemm_engine_set() (#PMX_GEMM_ENGINE_AUTO until then).
/// @param dst Output engine.
/// @returns #PMX_STATUS_OK or #PMX_STATUS_INVALID_ARGUMENT.
PMX_API pmx_status pmx_gemm_engine_get(int32_t *dst);

/// Reads the counters of primitive creations and reorders.
/// @param dst Output counters.
/// @returns #PMX_STATUS_OK or #PMX_STATUS_INVALID_ARGUMENT.
PMX_API pmx_status pmx_stats_get(pmx_stats *dst);

/// Matrix product `dst = alpha * op(a) * op(b) + beta * dst`, row-major, float32, on the
/// library pmx_gemm_engine_set() chose.
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

/// Kinds of 2-D pooling.
typedef enum pmx_pool_kind {
    /// Maximum of each window; padding never wins.
    PMX_POOL_MAX = 0,
    /// Average of each window over the input values only (Keras' "same" padding).
    PMX_POOL_AVG_EXCLUDE_PAD = 1,
    /// Average of each window counting padding as zeros, divided by the kernel size.
    PMX_POOL_AVG_INCLUDE_PAD = 2,
} pmx_pool_kind;

/// Description of a 2-D pooling over NHWC activations.
typedef struct pmx_pool2d_desc {
    int64_t batch;
    int64_t in_height;
    int64_t in_width;
    int64_t channels;
    int64_t kernel_height;
    int64_t kernel_width;
    int64_t stride_height;
    int64_t stride_width;
    int64_t pad_top;
    int64_t pad_left;
    int64_t pad_bottom;
    int64_t pad_right;
    /// A #pmx_pool_kind.
    int32_t kind;
} pmx_pool2d_desc;

/// A pooling primitive created once for one description and executed many times.
typedef struct pmx_pool2d_s *pmx_pool2d;

/// Batch normalization over NHWC activations seen as `[rows = N*H*W, channels]`,
/// created once for one shape and executed many times.
typedef struct pmx_batchnorm_s *pmx_batchnorm;

/// Creates a pooling for @p desc.
///
/// The output is `[batch, out_height, out_width, channels]` with
/// `out = (in + pad_before + pad_after - kernel) / stride + 1`.
/// @param dst Output handle; destroy it with pmx_pool2d_destroy().
/// @param desc Problem description: sizes and strides positive, each padding
///     non-negative and smaller than the kernel, the output at least 1x1 and
///     @p kind a #pmx_pool_kind.
/// @returns #PMX_STATUS_OK, #PMX_STATUS_INVALID_ARGUMENT,
///     #PMX_STATUS_UNIMPLEMENTED, #PMX_STATUS_OUT_OF_MEMORY or #PMX_STATUS_BACKEND_ERROR.
PMX_API pmx_status pmx_pool2d_create(pmx_pool2d *dst, const pmx_pool2d_desc *desc);

/// Destroys a pooling created by pmx_pool2d_create().
/// @param pool The handle; NULL is accepted and ignored.
/// @returns #PMX_STATUS_OK, or #PMX_STATUS_INVALID_ARGUMENT for a handle that is not live.
PMX_API pmx_status pmx_pool2d_destroy(pmx_pool2d pool);

/// Reads how many bytes the workspace of a training forward pass takes: what
/// max pooling keeps for backward (the position of each maximum); 0 for average pooling.
/// @param dst_bytes Output size in bytes.
/// @param pool A live pooling.
/// @returns #PMX_STATUS_OK or #PMX_STATUS_INVALID_ARGUMENT.
PMX_API pmx_status pmx_pool2d_workspace_size(size_t *dst_bytes, pmx_pool2d pool);

/// Runs the pooling forward.
///
/// For max pooling, a non-NULL @p workspace selects training: the position of each
/// maximum (the first one of its window) is written there for pmx_pool2d_bwd().
/// NULL selects inference, which keeps nothing. Average pooling ignores @p workspace.
/// @param dst Output, NHWC `[batch, out_height, out_width, channels]`.
/// @param dst_len Elements available at @p dst.
/// @param workspace Output workspace for training max pooling, or NULL.
/// @param workspace_bytes Bytes available at @p workspace; at least pmx_pool2d_workspace_size().
/// @param pool A live pooling.
/// @param src Input, NHWC `[batch, in_height, in_width, channels]`.
/// @param src_len Elements available at @p src.
/// @returns #PMX_STATUS_OK, #PMX_STATUS_INVALID_ARGUMENT,
///     #PMX_STATUS_OUT_OF_MEMORY or #PMX_STATUS_BACKEND_ERROR.
PMX_API pmx_status pmx_pool2d_fwd(float *dst, size_t dst_len, void *workspace, size_t workspace_bytes,
        pmx_pool2d pool, const float *src, size_t src_len);

/// Gradient with respect to the input.
///
/// Max pooling sends each gradient to the maximum recorded in @p workspace (values
/// of overlapping windows add up); average pooling spreads it evenly over its window.
/// Input values in no window get zero.
/// @param diff_src Output, NHWC `[batch, in_height, in_width, channels]`.
/// @param diff_src_len Elements available at @p diff_src.
/// @param pool A live pooling.
/// @param diff_dst Gradient of the output, NHWC `[batch, out_height, out_width, channels]`.
/// @param diff_dst_len Elements available at @p diff_dst.
/// @param workspace For max pooling, the workspace a training pmx_pool2d_fwd() filled;
///     ignored (may be NULL) for average pooling.
/// @param workspace_bytes Bytes available at @p workspace.
/// @returns #PMX_STATUS_OK, #PMX_STATUS_INVALID_ARGUMENT,
///     #PMX_STATUS_OUT_OF_MEMORY or #PMX_STATUS_BACKEND_ERROR.
PMX_API pmx_status pmx_pool2d_bwd(float *diff_src, size_t diff_src_len, pmx_pool2d pool,
        const float *diff_dst, size_t diff_dst_len, const void *workspace, size_t workspace_bytes);

/// Creates a batch normalization over `[rows, channels]` (NHWC with rows = N*H*W):
/// `dst = [relu](gamma * (src - mean) / sqrt(variance + epsilon) + beta)` per channel.
///
/// Its primitives (training forward, inference forward, backward) are created on first use.
/// @param dst Output handle; destroy it with pmx_batchnorm_destroy().
/// @param rows Rows (N*H*W), 1 to 2^31-1.
/// @param channels Channels, 1 to 2^31-1.
/// @param epsilon Added to the variance; finite and not negative.
/// @param fuse_relu Non-zero to apply ReLU to the output (the backward pass then needs a workspace).
/// @returns #PMX_STATUS_OK, #PMX_STATUS_INVALID_ARGUMENT,
///     #PMX_STATUS_UNIMPLEMENTED, #PMX_STATUS_OUT_OF_MEMORY or #PMX_STATUS_BACKEND_ERROR.
PMX_API pmx_status pmx_batchnorm_create(pmx_batchnorm *dst, int64_t rows, int64_t channels, float epsilon,
        int32_t fuse_relu);

/// Destroys a batch normalization created by pmx_batchnorm_create().
/// @param bn The handle; NULL is accepted and ignored.
/// @returns #PMX_STATUS_OK, or #PMX_STATUS_INVALID_ARGUMENT for a handle that is not live.
PMX_API pmx_status pmx_batchnorm_destroy(pmx_batchnorm bn);

/// Reads how many bytes the workspace of the training forward pass takes (what the
/// fused ReLU keeps for backward); 0 without fused ReLU.
/// @param dst_bytes Output size in bytes.
/// @param bn A live batch normalization.
/// @returns #PMX_STATUS_OK or #PMX_STATUS_INVALID_ARGUMENT.
PMX_API pmx_status pmx_batchnorm_workspace_size(size_t *dst_bytes, pmx_batchnorm bn);

/// Runs batch normalization in training mode with the statistics of this batch, then
/// updates the moving statistics in place with Keras' convention
/// `moving = moving * momentum + batch * (1 - momentum)`.
/// @param dst Output, `[rows, channels]`.
/// @param dst_len Elements available at @p dst.
/// @param batch_mean Output mean of each channel.
/// @param batch_variance Output biased (divided by rows) variance of each channel.
/// @param stats_len Elements available at @p batch_mean and at @p batch_variance; at least channels.
/// @param workspace Output workspace with fused ReLU; ignored (may be NULL) without.
/// @param workspace_bytes Bytes available at @p workspace; at least pmx_batchnorm_workspace_size().
/// @param bn A live batch normalization.
/// @param src Input, `[rows, channels]`.
/// @param src_len Elements available at @p src.
/// @param gamma Scale of each channel.
/// @param beta Shift of each channel.
/// @param params_len Elements available at @p gamma, @p beta, @p moving_mean and
///     @p moving_variance; at least channels.
/// @param momentum Weight of the old moving value, 0 to 1.
/// @param moving_mean Moving mean, updated in place.
/// @param moving_variance Moving variance, updated in place.
/// @returns #PMX_STATUS_OK, #PMX_STATUS_INVALID_ARGUMENT, #PMX_STATUS_UNIMPLEMENTED,
///     #PMX_STATUS_OUT_OF_MEMORY or #PMX_STATUS_BACKEND_ERROR.
PMX_API pmx_status pmx_batchnorm_fwd_training(float *dst, size_t dst_len, float *batch_mean,
        float *batch_variance, size_t stats_len, void *workspace, size_t workspace_bytes,
        pmx_batchnorm bn, const float *src, size_t src_len, const float *gamma, const float *beta,
        size_t params_len, float momentum, float *moving_mean, float *moving_variance);

/// Runs batch normalization in inference mode with the given (moving) statistics.
/// @param dst Output, `[rows, channels]`.
/// @param dst_len Elements available at @p dst.
/// @param bn A live batch normalization.
/// @param src Input, `[rows, channels]`.
/// @param src_len Elements available at @p src.
/// @param gamma Scale of each channel.
/// @param beta Shift of each channel.
/// @param mean Mean of each channel.
/// @param variance Variance of each channel.
/// @param params_len Elements available at @p gamma, @p beta, @p mean and @p variance; at least channels.
/// @returns #PMX_STATUS_OK, #PMX_STATUS_INVALID_ARGUMENT, #PMX_STATUS_UNIMPLEMENTED,
///     #PMX_STATUS_OUT_OF_MEMORY or #PMX_STATUS_BACKEND_ERROR.
PMX_API pmx_status pmx_batchnorm_fwd_inference(float *dst, size_t dst_len, pmx_batchnorm bn,
        const float *src, size_t src_len, const float *gamma, const float *beta, const float *mean,
        const float *variance, size_t params_len);

/// Gradients of a training-mode batch normalization: diff_src, diff_gamma and diff_beta.
/// @param diff_src Output gradient of the input, `[rows, channels]`.
/// @param diff_src_len Elements available at @p diff_src.
/// @param diff_gamma Output gradient of gamma.
/// @param diff_beta Output gradient of beta.
/// @param params_len Elements available at @p diff_gamma, @p diff_beta, @p gamma,
///     @p mean and @p variance; at least channels.
/// @param bn A live batch normalization.
/// @param src The forward input, `[rows, channels]`.
/// @param src_len Elements available at @p src.
/// @param diff_dst Gradient of the output (after the fused ReLU, if any), `[rows, channels]`.
/// @param diff_dst_len Elements available at @p diff_dst.
/// @param gamma Scale of each channel.
/// @param mean The batch mean pmx_batchnorm_fwd_training() wrote.
/// @param variance The batch variance pmx_batchnorm_fwd_training() wrote.
/// @param workspace With fused ReLU, the workspace pmx_batchnorm_fwd_training() filled;
///     ignored (may be NULL) without.
/// @param workspace_bytes Bytes available at @p workspace.
/// @returns #PMX_STATUS_OK, #PMX_STATUS_INVALID_ARGUMENT, #PMX_STATUS_UNIMPLEMENTED,
///     #PMX_STATUS_OUT_OF_MEMORY or #PMX_STATUS_BACKEND_ERROR.
PMX_API pmx_status pmx_batchnorm_bwd(float *diff_src, size_t diff_src_len, float *diff_gamma,
        float *diff_beta, size_t params_len, pmx_batchnorm bn, const float *src, size_t src_len,
        const float *diff_dst, size_t diff_dst_len, const float *gamma, const float *mean,
        const float *variance, const void *workspace, size_t workspace_bytes);

/// Dense layer forward: `dst = act(x * kernel + bias)`, row-major, float32.
/// @param dst Output, `[rows, out_features]`.
/// @param dst_len Elements available at @p dst.
/// @param x Input, `[rows, in_features]`.
/// @param x_len Elements available at @p x.
/// @param kernel Weights in Keras' layout `[in_features, out_features]`.
/// @param kernel_len Elements available at @p kernel.
/// @param bias Bias of out_features values, or NULL for none.
/// @param bias_len Elements available at @p bias.
/// @param rows Rows of @p x, 1 to 2^31-1.
/// @param in_features Columns of @p x, 1 to 2^31-1.
/// @param out_features Columns of @p dst, 1 to 2^31-1.
/// @param activation A #pmx_activation.
/// @param activation_alpha Parameter of leaky ReLU and ELU (finite); ignored by the others.
/// @returns #PMX_STATUS_OK or #PMX_STATUS_INVALID_ARGUMENT.
PMX_API pmx_status pmx_dense_fwd(float *dst, size_t dst_len, const float *x, size_t x_len,
        const float *kernel, size_t kernel_len, const float *bias, size_t bias_len, int64_t rows,
        int64_t in_features, int64_t out_features, int32_t activation, float activation_alpha);

/// Batched matrix product `dst[i] = op(a[i]) * op(b[i])` for i < batch, row-major, float32.
///
/// `op(a[i])` is `m x k` (a is stored `[batch, k, m]` when @p trans_a is non-zero,
/// else `[batch, m, k]`); `op(b[i])` is `k x n` (b is stored `[batch, n, k]` when
/// @p trans_b is non-zero, else `[batch, k, n]`).
/// @param dst Output, `[batch, m, n]`.
/// @param dst_len Elements available at @p dst; at least batch * m * n.
/// @param a Left operands.
/// @param a_len Elements available at @p a; at least batch * m * k.
/// @param b Right operands.
/// @param b_len Elements available at @p b; at least batch * k * n.
/// @param batch Number of products, 1 to 2^31-1.
/// @param m Rows of each result, 1 to 2^31-1.
/// @param n Columns of each result, 1 to 2^31-1.
/// @param k Inner dimension, 1 to 2^31-1.
/// @param trans_a Non-zero to transpose each a[i].
/// @param trans_b Non-zero to transpose each b[i].
/// @returns #PMX_STATUS_OK or #PMX_STATUS_INVALID_ARGUMENT.
PMX_API pmx_status pmx_batched_matmul_f32(float *dst, size_t dst_len, const float *a, size_t a_len,
        const float *b, size_t b_len, int64_t batch, int64_t m, int64_t n, int64_t k,
        int32_t trans_a, int32_t trans_b);

// ==== oneDNN primitives: pooling, batch normalization, dense (section end) ====

/// Element-wise binary operations of pmx_binary().
typedef enum pmx_binary_op {
    /// a + b.
    PMX_BINARY_ADD = 0,
    /// a - b.
    PMX_BINARY_SUB = 1,
    /// a * b.
    PMX_BINARY_MUL = 2,
    /// a / b.
    PMX_BINARY_DIV = 3,
    /// max(a, b); NaN if either is NaN (Java's Math.max).
    PMX_BINARY_MAX = 4,
    /// min(a, b); NaN if either is NaN (Java's Math.min).
    PMX_BINARY_MIN = 5,
} pmx_binary_op;

/// Reductions of pmx_reduce().
typedef enum pmx_reduce_op {
    /// Sum, accumulated in double.
    PMX_REDUCE_SUM = 0,
    /// Mean, accumulated in double.
    PMX_REDUCE_MEAN = 1,
    /// Maximum; NaN if any element is NaN.
    PMX_REDUCE_MAX = 2,
} pmx_reduce_op;

/// Applies an activation element-wise: `dst = act(src)`.
///
/// @param dst Output of src_len elements; may be @p src (in place).
/// @param dst_len Elements available at @p dst; at least src_len.
/// @param src Input.
/// @param src_len Elements of @p src; 0 does nothing.
/// @param activation A #pmx_activation.
/// @param alpha Negative slope of leaky ReLU, alpha of ELU (finite); ignored by the others.
/// @returns #PMX_STATUS_OK or #PMX_STATUS_INVALID_ARGUMENT.
PMX_API pmx_status pmx_activation_fwd(float *dst, size_t dst_len, const float *src, size_t src_len,
        int32_t activation, float alpha);

/// Gradient of an activation: `diff_src = diff_dst * act'(src)` (ReLU'(0) = 0).
///
/// @param diff_src Output of src_len elements; may be @p diff_dst (in place).
/// @param diff_src_len Elements available at @p diff_src; at least src_len.
/// @param src The forward input.
/// @param src_len Elements of @p src; 0 does nothing.
/// @param diff_dst Gradient of the output.
/// @param diff_dst_len Elements available at @p diff_dst; at least src_len.
/// @param activation A #pmx_activation.
/// @param alpha As in pmx_activation_fwd().
/// @returns #PMX_STATUS_OK or #PMX_STATUS_INVALID_ARGUMENT.
PMX_API pmx_status pmx_activation_bwd(float *diff_src, size_t diff_src_len, const float *src, size_t src_len,
        const float *diff_dst, size_t diff_dst_len, int32_t activation, float alpha);

/// Element-wise `dst = a op b` with NumPy broadcasting: shapes aligned from the right, a
/// size-1 or missing axis repeats. The dims are the size check: the caller guarantees
/// buffers of that many elements.
///
/// @param dst Output of the broadcast shape; may be @p a or @p b when it has that one's shape.
/// @param dst_dims Dims of @p dst: exactly the broadcast shape of a and b.
/// @param dst_rank Rank of @p dst, the larger of a_rank and b_rank.
/// @param a Left operand.
/// @param a_dims Dims of @p a, each at least 1.
/// @param a_rank Rank of @p a, 1 to 8.
/// @param b Right operand.
/// @param b_dims Dims of @p b, each at least 1.
/// @param b_rank Rank of @p b, 1 to 8.
/// @param op A #pmx_binary_op.
/// @returns #PMX_STATUS_OK or #PMX_STATUS_INVALID_ARGUMENT.
PMX_API pmx_status pmx_binary(float *dst, const int64_t *dst_dims, int32_t dst_rank, const float *a,
        const int64_t *a_dims, int32_t a_rank, const float *b, const int64_t *b_dims, int32_t b_rank,
        int32_t op);

/// Element-wise `dst = alpha * src + beta`.
///
/// @param dst Output of src_len elements; may be @p src (in place).
/// @param dst_len Elements available at @p dst; at least src_len.
/// @param src Input.
/// @param src_len Elements of @p src; 0 does nothing.
/// @param alpha Scale.
/// @param beta Offset.
/// @returns #PMX_STATUS_OK or #PMX_STATUS_INVALID_ARGUMENT.
PMX_API pmx_status pmx_affine(float *dst, size_t dst_len, const float *src, size_t src_len, float alpha,
        float beta);

/// Reduces @p src over @p axes (sums in double). The dims are the size check of @p src.
///
/// @param dst Output: src's shape without the reduced axes, row-major.
/// @param dst_len Elements of @p dst; exactly the product of the kept dims.
/// @param src Input.
/// @param src_dims Dims of @p src, each at least 1.
/// @param rank Rank of @p src, 1 to 8.
/// @param axes Distinct axes to reduce, each 0 to rank-1; may be NULL when naxes is 0.
/// @param naxes Number of axes, 0 (a copy) to rank.
/// @param op A #pmx_reduce_op.
/// @returns #PMX_STATUS_OK, #PMX_STATUS_INVALID_ARGUMENT or #PMX_STATUS_OUT_OF_MEMORY.
PMX_API pmx_status pmx_reduce(float *dst, size_t dst_len, const float *src, const int64_t *src_dims,
        int32_t rank, const int32_t *axes, int32_t naxes, int32_t op);

/// Softmax (or log-softmax) over each row of a `[rows, cols]` view, numerically stable.
///
/// @param dst Output, `[rows, cols]`; must not overlap @p src.
/// @param dst_len Elements available at @p dst; at least rows * cols.
/// @param src Input, `[rows, cols]`.
/// @param src_len Elements available at @p src; at least rows * cols.
/// @param rows Rows, at least 1.
/// @param cols Columns (the softmax axis), at least 1.
/// @param log Non-zero for log-softmax.
/// @returns #PMX_STATUS_OK or #PMX_STATUS_INVALID_ARGUMENT.
PMX_API pmx_status pmx_softmax_fwd(float *dst, size_t dst_len, const float *src, size_t src_len, int64_t rows,
        int64_t cols, int32_t log);

/// Softmax backward from the forward output y: softmax `diff_src = y * (dy - sum(dy * y))`,
/// log-softmax `diff_src = dy - exp(y) * sum(dy)`, per row.
///
/// @param diff_src Output, `[rows, cols]`; must not overlap the inputs.
/// @param diff_src_len Elements available at @p diff_src; at least rows * cols.
/// @param dst The forward output y.
/// @param dst_len Elements available at @p dst; at least rows * cols.
/// @param diff_dst Gradient of the output dy.
/// @param diff_dst_len Elements available at @p diff_dst; at least rows * cols.
/// @param rows Rows, at least 1.
/// @param cols Columns, at least 1.
/// @param log Non-zero for log-softmax.
/// @returns #PMX_STATUS_OK or #PMX_STATUS_INVALID_ARGUMENT.
PMX_API pmx_status pmx_softmax_bwd(float *diff_src, size_t diff_src_len, const float *dst, size_t dst_len,
        const float *diff_dst, size_t diff_dst_len, int64_t rows, int64_t cols, int32_t log);

/// Softmax cross-entropy from logits with probability labels: per row
/// `loss = -sum(labels * log_softmax(logits))` and `diff_logits = grad_scale * (softmax(logits) - labels)`.
///
/// @param losses Output, one loss per row.
/// @param losses_len Elements available at @p losses; at least rows.
/// @param diff_logits Output gradient `[rows, cols]`, or NULL to skip it.
/// @param diff_len Elements available at @p diff_logits; at least rows * cols unless it is NULL.
/// @param logits Input `[rows, cols]`.
/// @param logits_len Elements available at @p logits; at least rows * cols.
/// @param labels Probabilities `[rows, cols]`.
/// @param labels_len Elements available at @p labels; at least rows * cols.
/// @param rows Rows, at least 1.
/// @param cols Classes, at least 1.
/// @param grad_scale Finite scale of the gradient (e.g. 1 / rows for a mean loss).
/// @returns #PMX_STATUS_OK or #PMX_STATUS_INVALID_ARGUMENT.
PMX_API pmx_status pmx_softmax_xent(float *losses, size_t losses_len, float *diff_logits, size_t diff_len,
        const float *logits, size_t logits_len, const float *labels, size_t labels_len, int64_t rows,
        int64_t cols, float grad_scale);

/// Softmax cross-entropy from logits with class-index labels: per row
/// `loss = logsumexp(logits) - logits[label]`, `diff_logits = grad_scale * (softmax(logits) - onehot(label))`.
/// Every label is checked before anything is written.
///
/// @param losses Output, one loss per row.
/// @param losses_len Elements available at @p losses; at least rows.
/// @param diff_logits Output gradient `[rows, cols]`, or NULL to skip it.
/// @param diff_len Elements available at @p diff_logits; at least rows * cols unless it is NULL.
/// @param logits Input `[rows, cols]`.
/// @param logits_len Elements available at @p logits; at least rows * cols.
/// @param labels Class indices, each in [0, cols).
/// @param labels_len Elements available at @p labels; at least rows.
/// @param rows Rows, at least 1.
/// @param cols Classes, at least 1.
/// @param grad_scale Finite scale of the gradient.
/// @returns #PMX_STATUS_OK or #PMX_STATUS_INVALID_ARGUMENT.
PMX_API pmx_status pmx_softmax_xent_sparse(float *losses, size_t losses_len, float *diff_logits,
        size_t diff_len, const float *logits, size_t logits_len, const int32_t *labels, size_t labels_len,
        int64_t rows, int64_t cols, float grad_scale);

/// Layer normalization over each row of a `[rows, cols]` view:
/// `dst = gamma * (src - mean) / sqrt(variance + epsilon) + beta`, with the row mean and
/// biased variance computed in double.
///
/// @param dst Output `[rows, cols]`.
/// @param dst_len Elements available at @p dst; at least rows * cols.
/// @param mean Output row means.
/// @param variance Output row variances (biased).
/// @param stats_len Elements available at @p mean and at @p variance; at least rows.
/// @param src Input `[rows, cols]`.
/// @param src_len Elements available at @p src; at least rows * cols.
/// @param gamma Scale, cols values.
/// @param beta Offset, cols values.
/// @param params_len Elements available at @p gamma and at @p beta; at least cols.
/// @param rows Rows, at least 1.
/// @param cols Normalized axis, at least 1.
/// @param epsilon Finite, >= 0.
/// @returns #PMX_STATUS_OK or #PMX_STATUS_INVALID_ARGUMENT.
PMX_API pmx_status pmx_layernorm_fwd(float *dst, size_t dst_len, float *mean, float *variance, size_t stats_len,
        const float *src, size_t src_len, const float *gamma, const float *beta, size_t params_len,
        int64_t rows, int64_t cols, float epsilon);

/// Layer normalization backward: diff_src, diff_gamma (sum over rows of diff_dst * xhat)
/// and diff_beta (sum over rows of diff_dst), from the forward statistics.
///
/// @param diff_src Output `[rows, cols]`; may be @p diff_dst.
/// @param diff_src_len Elements available at @p diff_src; at least rows * cols.
/// @param diff_gamma Output, cols values.
/// @param diff_beta Output, cols values.
/// @param params_len Elements available at @p diff_gamma, @p diff_beta and @p gamma; at least cols.
/// @param src The forward input.
/// @param src_len Elements available at @p src; at least rows * cols.
/// @param diff_dst Gradient of the output.
/// @param diff_dst_len Elements available at @p diff_dst; at least rows * cols.
/// @param gamma The forward scale.
/// @param mean Row means from pmx_layernorm_fwd().
/// @param variance Row variances from pmx_layernorm_fwd().
/// @param stats_len Elements available at @p mean and at @p variance; at least rows.
/// @param rows Rows, at least 1.
/// @param cols Normalized axis, at least 1.
/// @param epsilon As in the forward pass.
/// @returns #PMX_STATUS_OK, #PMX_STATUS_INVALID_ARGUMENT or #PMX_STATUS_OUT_OF_MEMORY.
PMX_API pmx_status pmx_layernorm_bwd(float *diff_src, size_t diff_src_len, float *diff_gamma, float *diff_beta,
        size_t params_len, const float *src, size_t src_len, const float *diff_dst, size_t diff_dst_len,
        const float *gamma, const float *mean, const float *variance, size_t stats_len, int64_t rows,
        int64_t cols, float epsilon);

/// Inverted dropout: element i is kept when `DropoutRandom.uniform(seed, i) >= rate` (the
/// Java function, bit for bit), `mask[i] = keep ? 1 / (1 - rate) : 0`, `dst = src * mask`.
///
/// @param dst Output of src_len elements; may be @p src.
/// @param dst_len Elements available at @p dst; at least src_len.
/// @param mask Output mask of src_len elements; not @p src or @p dst.
/// @param mask_len Elements available at @p mask; at least src_len.
/// @param src Input.
/// @param src_len Elements of @p src; 0 does nothing.
/// @param rate Drop probability in [0, 1).
/// @param seed Seed of the random stream.
/// @returns #PMX_STATUS_OK or #PMX_STATUS_INVALID_ARGUMENT.
PMX_API pmx_status pmx_dropout_fwd(float *dst, size_t dst_len, float *mask, size_t mask_len, const float *src,
        size_t src_len, float rate, int64_t seed);

/// Joins @p nsrcs tensors along @p axis. The dims are the size check: the caller guarantees
/// buffers of those sizes.
///
/// @param dst Output.
/// @param dst_dims Dims of @p dst, each at least 1.
/// @param rank Rank of every tensor, 1 to 8.
/// @param axis Axis to join along, 0 to rank-1.
/// @param srcs The inputs: src i has dst's dims except src_axis_sizes[i] on @p axis.
/// @param src_axis_sizes Size of each src on @p axis (at least 1); they add up to dst_dims[axis].
/// @param nsrcs Number of inputs, at least 1.
/// @returns #PMX_STATUS_OK or #PMX_STATUS_INVALID_ARGUMENT.
PMX_API pmx_status pmx_concat(float *dst, const int64_t *dst_dims, int32_t rank, int32_t axis,
        const float *const *srcs, const int64_t *src_axis_sizes, int32_t nsrcs);

/// Splits @p src along @p axis into consecutive slices, the inverse of pmx_concat(). The dims
/// are the size check.
///
/// @param dsts The outputs: dst i has src's dims except dst_axis_sizes[i] on @p axis.
/// @param dst_axis_sizes Size of each dst on @p axis (at least 1); they add up to src_dims[axis].
/// @param ndsts Number of outputs, at least 1.
/// @param src Input.
/// @param src_dims Dims of @p src, each at least 1.
/// @param rank Rank of every tensor, 1 to 8.
/// @param axis Axis to split along, 0 to rank-1.
/// @returns #PMX_STATUS_OK or #PMX_STATUS_INVALID_ARGUMENT.
PMX_API pmx_status pmx_split(float *const *dsts, const int64_t *dst_axis_sizes, int32_t ndsts, const float *src,
        const int64_t *src_dims, int32_t rank, int32_t axis);

/// Permutes axes: `dst.dims[i] = src_dims[perm[i]]`. The dims are the size check.
///
/// @param dst Output (same element count as @p src); must not overlap it.
/// @param src Input.
/// @param src_dims Dims of @p src, each at least 1.
/// @param rank Rank, 1 to 8.
/// @param perm A permutation of 0 to rank-1.
/// @returns #PMX_STATUS_OK or #PMX_STATUS_INVALID_ARGUMENT.
PMX_API pmx_status pmx_transpose(float *dst, const float *src, const int64_t *src_dims, int32_t rank,
        const int32_t *perm);

/// Constant padding: dst is src with before[i] values of @p value before it on axis i and
/// `dst_dims[i] - src_dims[i] - before[i]` after it. The dims are the size check.
///
/// @param dst Output; must not overlap @p src.
/// @param dst_dims Dims of @p dst, each at least src_dims[i] + before[i].
/// @param src Input.
/// @param src_dims Dims of @p src, each at least 1.
/// @param rank Rank of both, 1 to 8.
/// @param before Padding before each axis, each >= 0.
/// @param value The padding value.
/// @returns #PMX_STATUS_OK or #PMX_STATUS_INVALID_ARGUMENT.
PMX_API pmx_status pmx_pad(float *dst, const int64_t *dst_dims, const float *src, const int64_t *src_dims,
        int32_t rank, const int64_t *before, float value);

/// SGD step in place (Keras): `p -= lr * wd * p`; then without momentum `p -= lr * g`; with it
/// `v = momentum * v - lr * g` and `p += v`, or with Nesterov `p += momentum * v - lr * g`.
///
/// @param param Parameters, updated in place.
/// @param velocity Momentum buffer of len elements; ignored (may be NULL) when momentum is 0.
/// @param grad Gradient.
/// @param len Elements of each buffer; 0 does nothing.
/// @param learning_rate Finite, >= 0.
/// @param momentum In [0, 1].
/// @param nesterov Non-zero for Nesterov momentum.
/// @param weight_decay Finite, >= 0.
/// @returns #PMX_STATUS_OK or #PMX_STATUS_INVALID_ARGUMENT.
PMX_API pmx_status pmx_sgd_update(float *param, float *velocity, const float *grad, size_t len,
        float learning_rate, float momentum, int32_t nesterov, float weight_decay);

/// Adam / AdamW step in place (Keras): `p -= lr * wd * p`; `m = b1 * m + (1 - b1) * g`;
/// `v = b2 * v + (1 - b2) * g^2`; `p -= lr * sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps)`.
///
/// @param param Parameters, updated in place.
/// @param m First moment, len elements.
/// @param v Second moment, len elements.
/// @param grad Gradient.
/// @param len Elements of each buffer; 0 does nothing.
/// @param learning_rate Finite, >= 0.
/// @param beta1 In [0, 1).
/// @param beta2 In [0, 1).
/// @param epsilon Finite, > 0.
/// @param step The step t, 1 at the first update.
/// @param weight_decay Decoupled weight decay (AdamW), finite, >= 0; 0 for Adam.
/// @returns #PMX_STATUS_OK or #PMX_STATUS_INVALID_ARGUMENT.
PMX_API pmx_status pmx_adam_update(float *param, float *m, float *v, const float *grad, size_t len,
        float learning_rate, float beta1, float beta2, float epsilon, int64_t step, float weight_decay);

/// RMSprop step in place (Keras): `p -= lr * wd * p`; `ms = rho * ms + (1 - rho) * g^2`;
/// `inc = lr * g / sqrt(ms + eps)`; without momentum `p -= inc`, with it `mom = momentum * mom + inc`, `p -= mom`.
///
/// @param param Parameters, updated in place.
/// @param mean_square Running mean of g^2, len elements.
/// @param momentum_buffer Momentum, len elements; ignored (may be NULL) when momentum is 0.
/// @param grad Gradient.
/// @param len Elements of each buffer; 0 does nothing.
/// @param learning_rate Finite, >= 0.
/// @param rho In [0, 1).
/// @param momentum In [0, 1].
/// @param epsilon Finite, > 0.
/// @param weight_decay Finite, >= 0.
/// @returns #PMX_STATUS_OK or #PMX_STATUS_INVALID_ARGUMENT.
PMX_API pmx_status pmx_rmsprop_update(float *param, float *mean_square, float *momentum_buffer,
        const float *grad, size_t len, float learning_rate, float rho, float momentum, float epsilon,
        float weight_decay);

/// Row gather, an embedding lookup: `dst[i, :] = table[indices[i], :]` for every position i.
/// Every index is checked before anything is written.
///
/// @param dst Output `[indices_len, cols]`; must not overlap the inputs.
/// @param dst_len Elements available at @p dst; at least indices_len * cols.
/// @param table Input `[rows, cols]`.
/// @param table_len Elements available at @p table; at least rows * cols.
/// @param indices Row indices, each in [0, rows).
/// @param indices_len Number of indices, at least 1.
/// @param rows Rows of the table, at least 1.
/// @param cols Columns of the table, at least 1.
/// @returns #PMX_STATUS_OK or #PMX_STATUS_INVALID_ARGUMENT.
PMX_API pmx_status pmx_gather_rows(float *dst, size_t dst_len, const float *table, size_t table_len,
        const int32_t *indices, size_t indices_len, int64_t rows, int64_t cols);

/// The gradient of pmx_gather_rows(): `diff_table = 0`, then `diff_table[indices[i], :] += diff_dst[i, :]`
/// for i = 0, 1, ... in order, so a repeated index sums its rows in the same order on any thread count.
/// Every index is checked before anything is written.
///
/// @param diff_table Output `[rows, cols]`; must not overlap the inputs.
/// @param diff_table_len Elements available at @p diff_table; at least rows * cols.
/// @param diff_dst Gradient of the gathered rows, `[indices_len, cols]`.
/// @param diff_dst_len Elements available at @p diff_dst; at least indices_len * cols.
/// @param indices Row indices, each in [0, rows).
/// @param indices_len Number of indices, at least 1.
/// @param rows Rows of the table, at least 1.
/// @param cols Columns of the table, at least 1.
/// @returns #PMX_STATUS_OK or #PMX_STATUS_INVALID_ARGUMENT.
PMX_API pmx_status pmx_scatter_add_rows(float *diff_table, size_t diff_table_len, const float *diff_dst,
        size_t diff_dst_len, const int32_t *indices, size_t indices_len, int64_t rows, int64_t cols);

// ==== element-wise, reductions, softmax, losses, dropout, shape ops, optimizer updates (section end) ====

#ifdef __cplusplus
}
#endif

#endif // PANAMAX_H
