package dev.panamax.backend;

import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;
import java.util.List;

/**
 * The primitives every backend provides: layers and models call these, never a native
 * library. Implementations: {@code java} (pure Java, the specification) and {@code native}
 * (oneDNN and OpenBLAS); get one by name from {@link Backends}. Both can live in one JVM.
 *
 * <p>Conventions: every op checks its arguments first, with {@link OpChecks}, and throws
 * {@link IllegalArgumentException} naming the op and every shape involved, before any work
 * or native call. Outputs are written into tensors the caller allocated, in the scope the
 * caller chose, and are fully overwritten (never accumulated) unless the method says so.
 * Tensors are float32, row-major, unless a parameter says otherwise. Images are NHWC; the
 * "channel" of batch norm is the last axis; softmax and layer norm work over the last axis.
 * Outputs must not overlap inputs unless the method says so.
 */
public interface Backend extends AutoCloseable {

    /** The name this backend is registered under, e.g. {@code "native"}. */
    String name();

    // ---- matrix products ------------------------------------------------------------------

    /**
     * {@code dst = op(a) · op(b)} on float32 matrices, where {@code op(x)} is {@code x} or its
     * transpose. {@code op(a)} is {@code [m, k]}, {@code op(b)} is {@code [k, n]}, dst {@code [m, n]}.
     */
    default void matmul(Tensor a, boolean transposeA, Tensor b, boolean transposeB, Tensor dst) {
        OpChecks.matmul(a, transposeA, b, transposeB, dst); // so errors name matmul, not gemm
        gemm(a, transposeA, b, transposeB, 1f, 0f, dst);
    }

    /**
     * {@code dst = alpha · op(a) · op(b) + beta · dst} (beta 0 ignores dst's content, NaN included;
     * beta 1 accumulates, as gradient sums need).
     */
    void gemm(Tensor a, boolean transposeA, Tensor b, boolean transposeB, float alpha, float beta, Tensor dst);

    /**
     * Batched product over a leading batch axis: {@code dst[i] = op(a[i]) · op(b[i])} with a
     * {@code [B, m, k]} (or {@code [B, k, m]} transposed), b {@code [B, k, n]} (or {@code [B, n, k]}),
     * dst {@code [B, m, n]}. Attention's QKᵀ and the weighted sum of V use it.
     */
    void batchedMatmul(Tensor a, boolean transposeA, Tensor b, boolean transposeB, Tensor dst);

    /**
     * Dense (inner product) layer forward: {@code dst = act(x · kernel + bias)} with x
     * {@code [n, in]}, kernel {@code [in, out]} (Keras' layout), bias {@code [out]} or null,
     * dst {@code [n, out]}. Only {@code postOps.activation()} is used (no sum).
     */
    void denseForward(Tensor x, Tensor kernel, Tensor bias, PostOps postOps, Tensor dst);

    /**
     * Dense backward from {@code diffDst} = dL/d(x·kernel + bias) (before any activation):
     * {@code diffX = diffDst · kernelᵀ} (skipped when diffX is null), {@code diffKernel = xᵀ · diffDst},
     * {@code diffBias = Σ_rows diffDst} (skipped when null).
     */
    void denseBackward(Tensor x, Tensor kernel, Tensor diffDst, Tensor diffX, Tensor diffKernel, Tensor diffBias);

    // ---- convolution ----------------------------------------------------------------------

    /**
     * Returns the convolution weights (HWIO, {@link Conv2dSpec#weightsShape()}) in the layout this
     * backend runs {@code spec} with {@code postOps}, allocated in {@code scope}. Pack once, run
     * many times. The result may be a backend-private layout that only this backend reads.
     */
    Tensor conv2dPackWeights(Conv2dSpec spec, PostOps postOps, Tensor weights, MemoryScope scope);

    default Tensor conv2dPackWeights(Conv2dSpec spec, Tensor weights, MemoryScope scope) {
        return conv2dPackWeights(spec, PostOps.NONE, weights, scope);
    }

    /**
     * Forward convolution {@code dst = act(conv(src, weights) + bias [+ dst])} over NHWC tensors
     * (the sum term when {@code postOps.sum()}, which reads dst). {@code weights} are plain HWIO or the
     * result of {@link #conv2dPackWeights} for the same spec and post-ops; {@code bias} is
     * {@code [outChannels]}, or null when {@code spec.hasBias()} is false.
     */
    void conv2dForward(Conv2dSpec spec, PostOps postOps, Tensor src, Tensor weights, Tensor bias, Tensor dst);

    default void conv2dForward(Conv2dSpec spec, Tensor src, Tensor weights, Tensor bias, Tensor dst) {
        conv2dForward(spec, PostOps.NONE, src, weights, bias, dst);
    }

    /**
     * Gradient of the input: {@code diffSrc} ({@link Conv2dSpec#srcShape()}) from {@code diffDst}
     * ({@link Conv2dSpec#dstShape()}, the gradient before any post-op) and plain HWIO weights.
     * Also the forward pass of a transposed convolution (Keras' Conv2DTranspose), whose kernel
     * {@code [kh, kw, filters, inChannels]} is exactly this spec's HWIO weights.
     */
    void conv2dBackwardData(Conv2dSpec spec, Tensor diffDst, Tensor weights, Tensor diffSrc);

    /**
     * Gradients of the HWIO weights and of the bias ({@code [outChannels]}; must be null when the spec
     * has none, may be null otherwise to skip it) from the forward input and {@code diffDst}.
     */
    void conv2dBackwardWeights(Conv2dSpec spec, Tensor src, Tensor diffDst, Tensor diffWeights, Tensor diffBias);

    // ---- pooling --------------------------------------------------------------------------

    /**
     * What max pooling's forward pass must keep for its backward pass (the position of each
     * maximum), allocated in {@code scope}, in this backend's own layout; null for average pooling.
     */
    Tensor pool2dWorkspace(Pool2dSpec spec, MemoryScope scope);

    /** Pooling forward; {@code workspace} from {@link #pool2dWorkspace} (null: inference, not kept). */
    void pool2dForward(Pool2dSpec spec, Tensor src, Tensor dst, Tensor workspace);

    /**
     * Pooling backward: {@code diffSrc} from {@code diffDst} and, for max pooling, the workspace the
     * forward pass filled (each gradient goes to the first maximum of its window).
     */
    void pool2dBackward(Pool2dSpec spec, Tensor diffDst, Tensor workspace, Tensor diffSrc);

    // ---- normalization --------------------------------------------------------------------

    /**
     * What batch norm with {@code fuseRelu} must keep for its backward pass, for src of
     * {@code shape}, in this backend's layout; null when {@code fuseRelu} is false.
     */
    Tensor batchNormWorkspace(Shape srcShape, boolean fuseRelu, MemoryScope scope);

    /**
     * Batch norm in training mode over every axis but the last (C):
     * {@code dst = [relu](gamma · (src - mean) / sqrt(var + epsilon) + beta)} with the batch mean and the
     * biased batch variance, written to {@code batchMean} and {@code batchVariance} ({@code [C]}); then
     * the moving statistics are updated in place with Keras' convention
     * {@code moving = moving · momentum + batch · (1 - momentum)}.
     */
    void batchNormForwardTraining(Tensor src, Tensor gamma, Tensor beta, float epsilon, float momentum,
                                  Tensor movingMean, Tensor movingVariance, boolean fuseRelu, Tensor dst,
                                  Tensor batchMean, Tensor batchVariance, Tensor workspace);

    /** Batch norm in inference mode with the given (moving) mean and variance. */
    void batchNormForwardInference(Tensor src, Tensor gamma, Tensor beta, Tensor mean, Tensor variance,
                                   float epsilon, boolean fuseRelu, Tensor dst);

    /**
     * Batch norm backward (training mode statistics): {@code diffSrc}, {@code diffGamma},
     * {@code diffBeta} from {@code diffDst} (after the fused ReLU, which the workspace undoes).
     */
    void batchNormBackward(Tensor src, Tensor diffDst, Tensor gamma, Tensor batchMean, Tensor batchVariance,
                           float epsilon, boolean fuseRelu, Tensor workspace, Tensor diffSrc, Tensor diffGamma,
                           Tensor diffBeta);

    /**
     * Layer norm over the last axis: {@code dst = gamma · (src - mean) / sqrt(var + epsilon) + beta}
     * per row; mean and (biased) variance of each row go to {@code mean}, {@code variance}
     * (shape: src's without its last axis, or its size as a 1-D tensor). gamma, beta: {@code [last]}.
     */
    void layerNormForward(Tensor src, Tensor gamma, Tensor beta, float epsilon, Tensor dst, Tensor mean,
                          Tensor variance);

    /** Layer norm backward: diffSrc, diffGamma, diffBeta. */
    void layerNormBackward(Tensor src, Tensor diffDst, Tensor gamma, Tensor mean, Tensor variance, float epsilon,
                           Tensor diffSrc, Tensor diffGamma, Tensor diffBeta);

    // ---- element-wise ---------------------------------------------------------------------

    /** {@code dst = act(src)} element-wise; dst may be src (in place). */
    void activationForward(Activation activation, float alpha, Tensor src, Tensor dst);

    /** {@code diffSrc = diffDst · act'(src)}; diffSrc may be diffDst (in place). */
    void activationBackward(Activation activation, float alpha, Tensor src, Tensor diffDst, Tensor diffSrc);

    /**
     * {@code dst = a op b} with NumPy broadcasting (shapes aligned from the right; a size-1 or missing
     * axis repeats); dst has the broadcast shape and may be a or b (in place) when it has its shape.
     */
    void binary(BinaryOp op, Tensor a, Tensor b, Tensor dst);

    /** {@code dst = alpha · src + beta}; dst may be src. */
    void affine(Tensor src, float alpha, float beta, Tensor dst);

    /**
     * Reduces {@code src} over {@code axes} (distinct, in range, negative counting from the end);
     * dst has src's shape with those axes set to 1 or removed (same element count either way).
     */
    void reduce(ReduceOp op, Tensor src, int[] axes, Tensor dst);

    // ---- softmax and losses ---------------------------------------------------------------

    /** Softmax (or log-softmax when {@code log}) over the last axis, numerically stable. */
    void softmaxForward(Tensor src, boolean log, Tensor dst);

    /** Softmax backward from the forward output {@code dst}: diffSrc from diffDst. */
    void softmaxBackward(Tensor dst, Tensor diffDst, boolean log, Tensor diffSrc);

    /**
     * Fused, numerically stable softmax cross-entropy from logits {@code [n, classes]}: per-row
     * losses {@code -Σ labels · log_softmax(logits)} into {@code losses} ({@code [n]}) and, unless
     * {@code diffLogits} is null, {@code diffLogits = gradScale · (softmax(logits) - labels)}.
     * {@code labels} are either probabilities {@code [n, classes]} (float32) or class indices
     * {@code [n]} (int32, each in [0, classes), else IllegalArgumentException naming the row).
     */
    void softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor losses, Tensor diffLogits, float gradScale);

    // ---- dropout --------------------------------------------------------------------------

    /**
     * Inverted dropout: {@code mask[i] = keep ? 1 / (1 - rate) : 0} and {@code dst = src · mask}, where
     * element i is kept when {@code DropoutRandom.uniform(seed, i) >= rate}: the same seed gives the same
     * mask on every backend and thread count. rate in [0, 1). The backward pass is
     * {@code binary(MUL, diffDst, mask, diffSrc)}.
     */
    void dropoutForward(float rate, long seed, Tensor src, Tensor dst, Tensor mask);

    // ---- shape ops ------------------------------------------------------------------------

    /** Joins {@code srcs} along {@code axis}; they agree on every other axis. */
    void concat(int axis, List<Tensor> srcs, Tensor dst);

    /** The inverse of concat: copies consecutive slices of src along {@code axis} into {@code dsts}. */
    void split(int axis, Tensor src, List<Tensor> dsts);

    /** {@code dst} is src with axes permuted: {@code dst.shape[i] = src.shape[perm[i]]}. */
    void transpose(Tensor src, int[] perm, Tensor dst);

    /**
     * Constant padding: {@code dst} is src with {@code before[i]} and {@code after[i]} elements of
     * {@code value} added on each side of axis i (non-negative amounts).
     */
    void pad(Tensor src, long[] before, long[] after, float value, Tensor dst);

    // ---- row gather (embedding lookups) ------------------------------------------------------

    /**
     * {@code dst[i, :] = table[indices[i], :]}: table {@code [rows, cols]}, indices int32 of any
     * shape, dst of indices' shape plus {@code [cols]}. Every index must lie in {@code [0, rows)};
     * otherwise an IllegalArgumentException names it, its position and the table size, before any work.
     */
    void gatherRows(Tensor table, Tensor indices, Tensor dst);

    /**
     * The gradient of {@link #gatherRows}: {@code diffTable[r, :] = Σ diffDst[i, :]} over the positions i
     * with {@code indices[i] = r}. diffTable is overwritten (rows no index names become 0); a repeated
     * index sums its rows in position order, so every backend and thread count gives the same sums.
     */
    void scatterAddRows(Tensor diffDst, Tensor indices, Tensor diffTable);

    // ---- optimizer updates (in place, one pass over each parameter) ------------------------

    /**
     * SGD as in Keras: with weight decay {@code p -= lr·wd·p} first; then without momentum
     * {@code p -= lr·g}; with momentum {@code v = momentum·v - lr·g} and {@code p += v}, or with Nesterov
     * {@code p += momentum·v - lr·g}. {@code velocity} may be null when momentum is 0.
     */
    void sgdUpdate(Tensor param, Tensor grad, Tensor velocity, float learningRate, float momentum,
                   boolean nesterov, float weightDecay);

    /**
     * Adam / AdamW as in Keras: {@code p -= lr·wd·p} (AdamW's decoupled decay; 0 for Adam);
     * {@code m = b1·m + (1-b1)·g}; {@code v = b2·v + (1-b2)·g²};
     * {@code p -= lr·sqrt(1-b2^t)/(1-b1^t) · m / (sqrt(v) + eps)} where t = {@code step} (1 at the first).
     */
    void adamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v, float learningRate, float beta1, float beta2,
                    float epsilon, long step, float weightDecay);

    /**
     * RMSprop as in Keras: {@code p -= lr·wd·p}; {@code ms = rho·ms + (1-rho)·g²};
     * {@code inc = lr·g / sqrt(ms + eps)}; without momentum {@code p -= inc}; with it
     * {@code mom = momentum·mom + inc}, {@code p -= mom} ({@code momentumBuffer} null when momentum is 0).
     */
    void rmspropUpdate(Tensor param, Tensor grad, Tensor meanSquare, Tensor momentumBuffer, float learningRate,
                       float rho, float momentum, float epsilon, float weightDecay);

    /**
     * Frees what the backend cached (native primitives, worker threads). The backend stays
     * usable and re-creates them when needed, so closing a shared backend is safe.
     * Tensors stay with their scopes.
     */
    @Override
    void close();
}
