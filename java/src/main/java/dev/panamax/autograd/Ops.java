package dev.panamax.autograd;

import dev.panamax.backend.Activation;
import dev.panamax.backend.Backend;
import dev.panamax.backend.BinaryOp;
import dev.panamax.backend.Conv2dSpec;
import dev.panamax.backend.Pool2dSpec;
import dev.panamax.backend.PostOps;
import dev.panamax.backend.ReduceOp;
import dev.panamax.tensor.DType;
import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Differentiable ops over {@link Var}s: each runs its forward pass on a {@link Backend}, allocates
 * its output in this object's scope and, when a {@link GradientTape} records, records its backward
 * pass. Layers call these, never a backend's bindings.
 *
 * <p>An {@code Ops} belongs to one step (a batch in {@code fit}, one call of {@code predict}):
 * everything it allocates dies with its scope.
 */
public class Ops {
    private final Backend backend;
    private final MemoryScope scope;
    private final GradientTape tape;
    private final long step;
    private long randomCalls;

    /**
     * @param tape records backward passes; null for inference
     */
    public Ops(Backend backend, MemoryScope scope, GradientTape tape) {
        this(backend, scope, tape, 0);
    }

    /**
     * @param step the training step these ops run (the optimizer's iteration count): random ops such
     *     as dropout draw from it, so a run resumed from a checkpoint draws what it would have
     */
    public Ops(Backend backend, MemoryScope scope, GradientTape tape, long step) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.scope = Objects.requireNonNull(scope, "scope");
        this.tape = tape;
        this.step = step;
    }

    /** The training step these ops belong to. */
    public long step() {
        return step;
    }

    /**
     * A seed for a random op of a layer seeded {@code layerSeed}: a function of that seed, the step,
     * and how many random ops ran before in this step, so each call draws anew and reruns repeat.
     */
    public long randomSeed(long layerSeed) {
        long seed = seedFor(layerSeed, step, randomCalls++);
        if (backend instanceof RecordingBackend r) r.step().noteSeed(layerSeed, seed);
        return seed;
    }

    /** The seed of random draw {@code index} of training step {@code step} for a layer seeded {@code layerSeed}. */
    static long seedFor(long layerSeed, long step, long index) {
        long z = layerSeed * 0x9E3779B97F4A7C15L + step * 0xBF58476D1CE4E5B9L + index;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public Backend backend() {
        return backend;
    }

    public MemoryScope scope() {
        return scope;
    }

    /** The tape, or null when nothing is recorded. */
    public GradientTape tape() {
        return tape;
    }

    public boolean recording() {
        return tape != null;
    }

    // ---- leaves ---------------------------------------------------------------------------

    /** A value that takes no gradient (input data, labels). */
    public Var constant(Tensor value) {
        return new Var(this, value, null, false);
    }

    /** The value of a parameter; its gradient goes to the parameter when it is trainable and a tape records. */
    public Var param(Parameter parameter) {
        return new Var(this, parameter.value(), parameter, recording() && parameter.trainable());
    }

    // ---- plumbing for ops -----------------------------------------------------------------

    /** A new float32 tensor in this step's scope. */
    public Tensor allocate(Shape shape) {
        return Tensor.zeros(scope, DType.FLOAT32, shape);
    }

    public Tensor allocate(long... dims) {
        return allocate(Shape.of(dims));
    }

    /** A new float32 tensor in this step's scope with every element {@code value}. */
    public Tensor filled(Shape shape, float value) {
        Tensor t = allocate(shape);
        fill(t, value);
        return t;
    }

    /** Sets every element of {@code t} to {@code value}, as a step of the recording when one is made. */
    public void fill(Tensor t, float value) {
        host(() -> t.fill(value));
    }

    /**
     * Runs {@code work}, Java code that reads or writes tensors of this step (rather than a backend
     * call), now and, when the step is recorded, again on each replay. It must touch only tensors
     * that live as long as the step, and decide nothing the rest of the step depends on.
     */
    public void host(RecordedStep.Action work) {
        work.run();
        if (backend instanceof RecordingBackend r) r.step().add(work);
    }

    /** The output of an op whose inputs are {@code inputs}: requires a gradient when any input does. */
    public Var result(Tensor value, Var... inputs) {
        return new Var(this, value, null, recording() && anyRequiresGrad(inputs));
    }

    /** Records {@code step} as the backward pass of {@code output} (nothing when it needs no gradient). */
    public void onBackward(Var output, GradientTape.BackwardStep step) {
        if (output.requiresGrad()) {
            tape.record(output, step);
        }
    }

    private static boolean anyRequiresGrad(Var... inputs) {
        for (Var v : inputs) {
            if (v != null && v.requiresGrad()) return true;
        }
        return false;
    }

    /** Adds {@code g} to v's gradient; g is copied, so the caller may reuse it. */
    public void accumulate(Var v, Tensor g) {
        if (!v.requiresGrad()) return;
        if (v.parameter() != null) {
            Tensor pg = v.parameter().grad();
            backend.binary(BinaryOp.ADD, pg, g.reshape(pg.shape().dims()), pg);
        } else if (v.grad == null) {
            Tensor copy = allocate(v.shape());
            backend.affine(g.reshape(v.shape().dims()), 1f, 0f, copy);
            v.grad = copy;
        } else {
            backend.binary(BinaryOp.ADD, v.grad, g.reshape(v.shape().dims()), v.grad);
        }
    }

    /** As {@link #accumulate}, but takes ownership of a fresh {@code g} that nothing else references. */
    public void accumulateOwned(Var v, Tensor g) {
        if (!v.requiresGrad()) return;
        if (v.parameter() == null && v.grad == null) {
            v.grad = g.shape().equals(v.shape()) ? g : g.reshape(v.shape().dims());
        } else {
            accumulate(v, g);
        }
    }

    // ---- dense and matmul -----------------------------------------------------------------

    /** {@code x · kernel + bias} with x {@code [n, in]}, kernel {@code [in, out]}, bias {@code [out]} or null. */
    public Var dense(Var x, Var kernel, Var bias) {
        return dense(x, kernel, bias, false);
    }

    /**
     * As {@link #dense(Var, Var, Var)}, with a ReLU fused into the same primitive when {@code relu}
     * (its gradient is taken from the output: ReLU's output is positive exactly where its input is).
     */
    public Var dense(Var x, Var kernel, Var bias, boolean relu) {
        long n = x.shape().dim(0);
        long out = kernel.shape().dim(1);
        Tensor y = allocate(n, out);
        backend.denseForward(x.value(), kernel.value(), bias == null ? null : bias.value(),
                relu ? PostOps.of(Activation.RELU) : PostOps.NONE, y);
        Var result = result(y, x, kernel, bias);
        onBackward(result, upstream -> {
            Tensor dy = relu ? reluBackwardFromOutput(y, upstream) : upstream;
            Tensor dx = x.requiresGrad() ? allocate(x.shape()) : null;
            Tensor dk = allocate(kernel.shape()); // the backend always computes it
            Tensor db = bias != null && bias.requiresGrad() ? allocate(bias.shape()) : null;
            backend.denseBackward(x.value(), kernel.value(), dy, dx, dk, db);
            if (dx != null) accumulateOwned(x, dx);
            accumulateOwned(kernel, dk);
            if (db != null) accumulateOwned(bias, db);
        });
        return result;
    }

    /** {@code op(a) · op(b)} for matrices. */
    public Var matmul(Var a, boolean transposeA, Var b, boolean transposeB) {
        long m = transposeA ? a.shape().dim(1) : a.shape().dim(0);
        long n = transposeB ? b.shape().dim(0) : b.shape().dim(1);
        Tensor y = allocate(m, n);
        backend.matmul(a.value(), transposeA, b.value(), transposeB, y);
        Var result = result(y, a, b);
        onBackward(result, dy -> {
            if (a.requiresGrad()) {
                Tensor da = allocate(a.shape());
                // d(op(a)) = dy · op(b)ᵀ; transposed back when a was used transposed
                if (transposeA) backend.matmul(b.value(), transposeB, dy, true, da);
                else backend.matmul(dy, false, b.value(), !transposeB, da);
                accumulateOwned(a, da);
            }
            if (b.requiresGrad()) {
                Tensor db = allocate(b.shape());
                if (transposeB) backend.matmul(dy, true, a.value(), transposeA, db);
                else backend.matmul(a.value(), !transposeA, dy, false, db);
                accumulateOwned(b, db);
            }
        });
        return result;
    }

    // ---- convolution and pooling ----------------------------------------------------------

    /**
     * Convolution over NHWC {@code x} with HWIO {@code kernel} and optional {@code bias}, as
     * {@code spec} (whose batch must be x's) describes.
     */
    public Var conv2d(Conv2dSpec spec, Var x, Var kernel, Var bias) {
        return conv2d(spec, x, kernel, bias, false);
    }

    /** As {@link #conv2d(Conv2dSpec, Var, Var, Var)}, with a ReLU fused into the convolution when {@code relu}. */
    public Var conv2d(Conv2dSpec spec, Var x, Var kernel, Var bias, boolean relu) {
        Tensor y = allocate(spec.dstShape());
        backend.conv2dForward(spec, relu ? PostOps.of(Activation.RELU) : PostOps.NONE, x.value(), kernel.value(),
                bias == null ? null : bias.value(), y);
        Var result = result(y, x, kernel, bias);
        onBackward(result, upstream -> {
            Tensor dy = relu ? reluBackwardFromOutput(y, upstream) : upstream;
            if (x.requiresGrad()) {
                Tensor dx = allocate(spec.srcShape());
                backend.conv2dBackwardData(spec, dy, kernel.value(), dx);
                accumulateOwned(x, dx);
            }
            boolean wantBias = bias != null && bias.requiresGrad();
            if (kernel.requiresGrad() || wantBias) {
                Tensor dk = allocate(spec.weightsShape());
                Tensor db = spec.hasBias() ? allocate(spec.biasShape()) : null;
                backend.conv2dBackwardWeights(spec, x.value(), dy, dk, db);
                accumulateOwned(kernel, dk);
                if (wantBias) accumulateOwned(bias, db);
            }
        });
        return result;
    }

    /**
     * Inference convolution with a kernel already packed by {@link Backend#conv2dPackWeights} for
     * {@code spec} and {@code postOps} (or plain HWIO); it records no backward pass, so ops with a
     * tape refuse it.
     */
    public Var conv2dPacked(Conv2dSpec spec, PostOps postOps, Var x, Tensor packedKernel, Var bias) {
        if (recording()) {
            throw new IllegalStateException("conv2dPacked: a tape is recording, and a packed kernel takes no"
                    + " gradient; use conv2d");
        }
        Tensor y = allocate(spec.dstShape());
        backend.conv2dForward(spec, postOps, x.value(), packedKernel, bias == null ? null : bias.value(), y);
        return result(y, x, bias);
    }

    /**
     * Transposed convolution (the gradient of conv2d with respect to its input): {@code spec} is the
     * forward convolution whose src has this op's output shape and whose dst has x's shape; the
     * kernel is spec's HWIO weights {@code [kh, kw, filters, inChannels]}.
     */
    public Var conv2dTranspose(Conv2dSpec spec, Var x, Var kernel, Var bias) {
        Tensor y = allocate(spec.srcShape());
        backend.conv2dBackwardData(spec, x.value(), kernel.value(), y);
        if (bias != null) {
            backend.binary(BinaryOp.ADD, y, bias.value(), y);
        }
        Var result = result(y, x, kernel, bias);
        onBackward(result, dy -> {
            if (x.requiresGrad()) {
                Tensor dx = allocate(spec.dstShape());
                backend.conv2dForward(spec.withBias(false), dy, kernel.value(), null, dx);
                accumulateOwned(x, dx);
            }
            if (kernel.requiresGrad()) {
                // y = conv_bwd_data(x, k) is linear in k; its gradient is conv_bwd_weights(dy as src, x as diffDst)
                Tensor dk = allocate(spec.weightsShape());
                backend.conv2dBackwardWeights(spec.withBias(false), dy, x.value(), dk, null);
                accumulateOwned(kernel, dk);
            }
            if (bias != null && bias.requiresGrad()) {
                Tensor db = allocate(bias.shape());
                backend.reduce(ReduceOp.SUM, dy, new int[] {0, 1, 2}, db);
                accumulateOwned(bias, db);
            }
        });
        return result;
    }

    /** The gradient before a fused ReLU, from its output y (positive exactly where its input was). */
    private Tensor reluBackwardFromOutput(Tensor y, Tensor upstream) {
        Tensor d = allocate(y.shape());
        backend.activationBackward(Activation.RELU, 0f, y, upstream, d);
        return d;
    }

    /** Max or average pooling as {@code spec} says (its batch must be x's). */
    public Var pool2d(Pool2dSpec spec, Var x) {
        Tensor y = allocate(spec.dstShape());
        Tensor workspace = x.requiresGrad() ? backend.pool2dWorkspace(spec, scope) : null;
        backend.pool2dForward(spec, x.value(), y, workspace);
        Var result = result(y, x);
        onBackward(result, dy -> {
            Tensor dx = allocate(spec.srcShape());
            backend.pool2dBackward(spec, dy, workspace, dx);
            accumulateOwned(x, dx);
        });
        return result;
    }

    // ---- element-wise ---------------------------------------------------------------------

    /** {@code act(x)}; alpha is the slope of leaky ReLU or the scale of ELU. */
    public Var activation(Activation activation, float alpha, Var x) {
        if (activation == Activation.LINEAR) {
            return x;
        }
        Tensor y = allocate(x.shape());
        backend.activationForward(activation, alpha, x.value(), y);
        Var result = result(y, x);
        onBackward(result, dy -> {
            Tensor dx = allocate(x.shape());
            backend.activationBackward(activation, alpha, x.value(), dy, dx);
            accumulateOwned(x, dx);
        });
        return result;
    }

    /** Softmax over the last axis. */
    public Var softmax(Var x) {
        Tensor y = allocate(x.shape());
        backend.softmaxForward(x.value(), false, y);
        Var result = result(y, x);
        result.softmaxOf = x;
        onBackward(result, dy -> {
            Tensor dx = allocate(x.shape());
            backend.softmaxBackward(y, dy, false, dx);
            accumulateOwned(x, dx);
        });
        return result;
    }

    /** Log-softmax over the last axis. */
    public Var logSoftmax(Var x) {
        Tensor y = allocate(x.shape());
        backend.softmaxForward(x.value(), true, y);
        Var result = result(y, x);
        onBackward(result, dy -> {
            Tensor dx = allocate(x.shape());
            backend.softmaxBackward(y, dy, true, dx);
            accumulateOwned(x, dx);
        });
        return result;
    }

    /** {@code a op b} with NumPy broadcasting, for ADD, SUB, MUL, DIV. */
    public Var binary(BinaryOp op, Var a, Var b) {
        Shape outShape = Broadcast.shape(a.shape(), b.shape(), op.name().toLowerCase());
        Tensor y = allocate(outShape);
        backend.binary(op, a.value(), b.value(), y);
        Var result = result(y, a, b);
        onBackward(result, dy -> {
            if (a.requiresGrad()) {
                Tensor da = switch (op) {
                    case ADD, SUB -> dy;
                    case MUL -> product(dy, b.value(), outShape);
                    case DIV -> quotient(dy, b.value(), outShape);
                    default -> throw new IllegalStateException("binary " + op + " has no gradient");
                };
                accumulate(a, Broadcast.sumTo(backend, this, da, a.shape()));
            }
            if (b.requiresGrad()) {
                Tensor db = switch (op) {
                    case ADD -> dy;
                    case SUB -> scaled(dy, -1f);
                    case MUL -> product(dy, a.value(), outShape);
                    case DIV -> { // d(a/b)/db = -a/b² = -y/b
                        Tensor t = quotient(y, b.value(), outShape);
                        backend.binary(BinaryOp.MUL, t, dy, t);
                        backend.affine(t, -1f, 0f, t);
                        yield t;
                    }
                    default -> throw new IllegalStateException("binary " + op + " has no gradient");
                };
                accumulate(b, Broadcast.sumTo(backend, this, db, b.shape()));
            }
        });
        return result;
    }

    public Var add(Var a, Var b) {
        return binary(BinaryOp.ADD, a, b);
    }

    public Var sub(Var a, Var b) {
        return binary(BinaryOp.SUB, a, b);
    }

    public Var mul(Var a, Var b) {
        return binary(BinaryOp.MUL, a, b);
    }

    public Var div(Var a, Var b) {
        return binary(BinaryOp.DIV, a, b);
    }

    private Tensor product(Tensor a, Tensor b, Shape shape) {
        Tensor t = allocate(shape);
        backend.binary(BinaryOp.MUL, a, b, t);
        return t;
    }

    private Tensor quotient(Tensor a, Tensor b, Shape shape) {
        Tensor t = allocate(shape);
        backend.binary(BinaryOp.DIV, a, b, t);
        return t;
    }

    private Tensor scaled(Tensor t, float alpha) {
        Tensor out = allocate(t.shape());
        backend.affine(t, alpha, 0f, out);
        return out;
    }

    /** {@code alpha · x + beta}. */
    public Var affine(Var x, float alpha, float beta) {
        Tensor y = allocate(x.shape());
        backend.affine(x.value(), alpha, beta, y);
        Var result = result(y, x);
        onBackward(result, dy -> accumulateOwned(x, scaled(dy, alpha)));
        return result;
    }

    // ---- reductions -----------------------------------------------------------------------

    /** The mean of every element, as a one-element tensor {@code [1]}. */
    public Var mean(Var x) {
        return reduceAll(ReduceOp.MEAN, x);
    }

    /** The sum of every element, as a one-element tensor {@code [1]}. */
    public Var sum(Var x) {
        return reduceAll(ReduceOp.SUM, x);
    }

    private Var reduceAll(ReduceOp op, Var x) {
        int rank = x.shape().rank();
        int[] axes = new int[rank];
        for (int i = 0; i < rank; i++) axes[i] = i;
        Tensor y = allocate(1);
        backend.reduce(op, x.value(), axes, y);
        Var result = result(y, x);
        float scale = op == ReduceOp.MEAN ? 1f / x.value().size() : 1f;
        onBackward(result, dy -> {
            Tensor dx = allocate(x.shape());
            backend.binary(BinaryOp.ADD, dx, dy, dx); // broadcast the scalar
            if (scale != 1f) backend.affine(dx, scale, 0f, dx);
            accumulateOwned(x, dx);
        });
        return result;
    }

    /** Sum or mean over {@code axes}, keeping them as size 1 when {@code keepDims}. */
    public Var reduce(ReduceOp op, Var x, int[] axes, boolean keepDims) {
        if (op == ReduceOp.MAX) {
            throw new IllegalArgumentException("Ops.reduce: MAX has no gradient here; use pooling");
        }
        int rank = x.shape().rank();
        boolean[] reduced = new boolean[rank];
        for (int a : axes) reduced[Math.floorMod(a, rank)] = true;
        long[] kept = x.shape().dims();
        long count = 1;
        java.util.List<Long> squeezed = new java.util.ArrayList<>();
        for (int i = 0; i < rank; i++) {
            if (reduced[i]) {
                count *= kept[i];
                kept[i] = 1;
            } else {
                squeezed.add(kept[i]);
            }
        }
        Shape keptShape = Shape.of(kept);
        Tensor y = allocate(keptShape);
        backend.reduce(op, x.value(), axes, y);
        Tensor out = keepDims ? y : y.reshape(squeezed.stream().mapToLong(Long::longValue).toArray());
        Var result = result(out, x);
        float scale = op == ReduceOp.MEAN ? 1f / count : 1f;
        onBackward(result, dy -> {
            Tensor dx = allocate(x.shape());
            backend.binary(BinaryOp.ADD, dx, dy.reshape(kept), dx);
            if (scale != 1f) backend.affine(dx, scale, 0f, dx);
            accumulateOwned(x, dx);
        });
        return result;
    }

    // ---- shape ----------------------------------------------------------------------------

    /** The same elements with another shape (no copy). */
    public Var reshape(Var x, long... dims) {
        Tensor y = x.value().reshape(dims);
        Var result = result(y, x);
        onBackward(result, dy -> accumulate(x, dy.reshape(x.shape().dims())));
        return result;
    }

    // ---- regularization -------------------------------------------------------------------

    /**
     * Inverted dropout with the given rate; the mask (seeded, so every backend draws the same)
     * is kept for the backward pass.
     */
    public Var dropout(Var x, float rate, long seed) {
        if (rate == 0f) return x;
        Tensor y = allocate(x.shape());
        Tensor mask = allocate(x.shape());
        backend.dropoutForward(rate, seed, x.value(), y, mask);
        Var result = result(y, x);
        onBackward(result, dy -> accumulateOwned(x, product(dy, mask, x.shape())));
        return result;
    }

    // ---- losses ---------------------------------------------------------------------------

    /**
     * Mean softmax cross-entropy from logits {@code [n, classes]} (fused and numerically stable).
     * {@code labels}: class indices {@code [n]} as int32, or probabilities {@code [n, classes]}.
     * Returns a one-element loss.
     */
    public Var softmaxCrossEntropy(Var logits, Tensor labels) {
        long n = logits.shape().dim(0);
        Tensor losses = allocate(n);
        Tensor diff = logits.requiresGrad() ? allocate(logits.shape()) : null;
        backend.softmaxCrossEntropy(logits.value(), labels, losses, diff, 1f / n);
        Tensor loss = allocate(1);
        backend.reduce(ReduceOp.MEAN, losses, new int[] {0}, loss);
        Var result = result(loss, logits);
        onBackward(result, dy -> {
            float upstream = dy.getFloat(0);
            if (upstream != 1f) backend.affine(diff, upstream, 0f, diff);
            accumulateOwned(logits, diff);
        });
        return result;
    }

    // ---- normalization, merging, reshaping and embedding (the layers of dev.panamax.layers) ----

    /**
     * Batch norm over every axis of x but the last (channels). In training it normalizes with the
     * batch statistics and updates {@code movingMean} and {@code movingVariance} in place with Keras'
     * convention {@code moving = moving · momentum + batch · (1 - momentum)}; in inference it
     * normalizes with them and leaves them as they are. {@code fuseRelu} applies a ReLU to the result.
     */
    public Var batchNorm(Var x, Var gamma, Var beta, Tensor movingMean, Tensor movingVariance, float momentum,
                         float epsilon, boolean training, boolean fuseRelu) {
        return training
                ? batchNormTraining(x, gamma, beta, movingMean, movingVariance, momentum, epsilon, fuseRelu)
                : batchNormInference(x, gamma, beta, movingMean, movingVariance, epsilon, fuseRelu);
    }

    private Var batchNormTraining(Var x, Var gamma, Var beta, Tensor movingMean, Tensor movingVariance,
                                  float momentum, float epsilon, boolean fuseRelu) {
        Shape channels = gamma.shape();
        Tensor y = allocate(x.shape());
        Tensor mean = allocate(channels);
        Tensor variance = allocate(channels);
        Tensor workspace = backend.batchNormWorkspace(x.shape(), fuseRelu, scope);
        backend.batchNormForwardTraining(x.value(), gamma.value(), beta.value(), epsilon, momentum, movingMean,
                movingVariance, fuseRelu, y, mean, variance, workspace);
        Var result = result(y, x, gamma, beta);
        onBackward(result, dy -> {
            Tensor dx = allocate(x.shape());
            Tensor dGamma = allocate(channels);
            Tensor dBeta = allocate(channels);
            backend.batchNormBackward(x.value(), dy, gamma.value(), mean, variance, epsilon, fuseRelu, workspace, dx,
                    dGamma, dBeta);
            accumulateOwned(x, dx);
            accumulateOwned(gamma, dGamma);
            accumulateOwned(beta, dBeta);
        });
        return result;
    }

    private Var batchNormInference(Var x, Var gamma, Var beta, Tensor mean, Tensor variance, float epsilon,
                                   boolean fuseRelu) {
        Shape channels = gamma.shape();
        Tensor y = allocate(x.shape());
        backend.batchNormForwardInference(x.value(), gamma.value(), beta.value(), mean, variance, epsilon, fuseRelu, y);
        Var result = result(y, x, gamma, beta);
        onBackward(result, dy -> {
            // With fixed statistics the op is affine per channel: y = gamma · xhat + beta.
            Tensor g = dy;
            if (fuseRelu) {
                g = allocate(x.shape());
                backend.activationBackward(Activation.RELU, 0f, y, dy, g); // y > 0 exactly where the input was
            }
            Tensor zeros = allocate(channels);
            Tensor ones = filled(channels, 1f);
            if (x.requiresGrad()) {
                // gamma / sqrt(variance + epsilon), from the inference kernel itself: a row of ones, zero mean
                Tensor scale = allocate(1, channels.dim(0));
                Tensor onesRow = filled(Shape.of(1, channels.dim(0)), 1f);
                backend.batchNormForwardInference(onesRow, gamma.value(), zeros, zeros, variance, epsilon, false,
                        scale);
                accumulateOwned(x, product(g, scale.reshape(channels.dims()), x.shape()));
            }
            if (gamma.requiresGrad()) {
                Tensor xhat = allocate(x.shape());
                backend.batchNormForwardInference(x.value(), ones, zeros, mean, variance, epsilon, false, xhat);
                backend.binary(BinaryOp.MUL, xhat, g, xhat);
                accumulateOwned(gamma, sumToLastAxis(xhat));
            }
            if (beta.requiresGrad()) accumulateOwned(beta, sumToLastAxis(g));
        });
        return result;
    }

    /** Sums t over every axis but the last. */
    private Tensor sumToLastAxis(Tensor t) {
        int rank = t.shape().rank();
        int[] axes = new int[rank - 1];
        for (int i = 0; i < axes.length; i++) axes[i] = i;
        Tensor out = allocate(t.shape().dim(-1));
        backend.reduce(ReduceOp.SUM, t, axes, out);
        return out;
    }

    /**
     * {@code min(x, limit)} element-wise. The gradient passes where {@code x < limit}, found exactly as
     * ReLU's mask of {@code limit - x} (positive exactly where x is below the limit).
     */
    public Var minimum(Var x, float limit) {
        Tensor limitTensor = filled(Shape.of(1), limit);
        Tensor y = allocate(x.shape());
        backend.binary(BinaryOp.MIN, x.value(), limitTensor, y);
        Var result = result(y, x);
        onBackward(result, dy -> {
            Tensor headroom = allocate(x.shape());
            backend.affine(x.value(), -1f, limit, headroom);
            Tensor dx = allocate(x.shape());
            backend.activationBackward(Activation.RELU, 0f, headroom, dy, dx);
            accumulateOwned(x, dx);
        });
        return result;
    }

    /** Layer norm over the last axis of x: {@code gamma · (x - mean) / sqrt(var + epsilon) + beta} per row. */
    public Var layerNorm(Var x, Var gamma, Var beta, float epsilon) {
        long rows = x.value().size() / x.shape().dim(-1);
        Tensor y = allocate(x.shape());
        Tensor mean = allocate(rows);
        Tensor variance = allocate(rows);
        backend.layerNormForward(x.value(), gamma.value(), beta.value(), epsilon, y, mean, variance);
        Var result = result(y, x, gamma, beta);
        onBackward(result, dy -> {
            Tensor dx = allocate(x.shape());
            Tensor dGamma = allocate(gamma.shape());
            Tensor dBeta = allocate(beta.shape());
            backend.layerNormBackward(x.value(), dy, gamma.value(), mean, variance, epsilon, dx, dGamma, dBeta);
            accumulateOwned(x, dx);
            accumulateOwned(gamma, dGamma);
            accumulateOwned(beta, dBeta);
        });
        return result;
    }

    /**
     * Joins {@code xs} along {@code axis} (of the full shape, batch included; negative counts from the
     * end); they agree on every other axis.
     */
    public Var concat(List<Var> xs, int axis) {
        if (xs.isEmpty()) throw new IllegalArgumentException("Ops.concat: no inputs");
        int rank = xs.get(0).shape().rank();
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException("Ops.concat: axis " + axis + " is out of range for rank " + rank);
        }
        long[] dims = xs.get(0).shape().dims();
        dims[a] = 0;
        for (Var x : xs) {
            if (x.shape().rank() != rank) {
                throw new IllegalArgumentException("Ops.concat: inputs of different ranks: "
                        + xs.stream().map(Var::shape).toList());
            }
            dims[a] += x.shape().dim(a);
        }
        Tensor y = allocate(Shape.of(dims));
        backend.concat(a, xs.stream().map(Var::value).toList(), y);
        Var result = result(y, xs.toArray(Var[]::new));
        onBackward(result, dy -> {
            List<Tensor> pieces = xs.stream().map(x -> allocate(x.shape())).toList();
            backend.split(a, dy, pieces);
            for (int i = 0; i < xs.size(); i++) accumulateOwned(xs.get(i), pieces.get(i));
        });
        return result;
    }

    /** Zero padding: {@code before[i]} and {@code after[i]} zeros on each side of axis i (batch included). */
    public Var pad(Var x, long[] before, long[] after) {
        long[] dims = x.shape().dims();
        if (before.length != dims.length || after.length != dims.length) {
            throw new IllegalArgumentException("Ops.pad: before " + Arrays.toString(before) + " and after "
                    + Arrays.toString(after) + " need one amount per axis of " + x.shape());
        }
        for (int i = 0; i < dims.length; i++) dims[i] += before[i] + after[i];
        Tensor y = allocate(Shape.of(dims));
        backend.pad(x.value(), before, after, 0f, y);
        Var result = result(y, x);
        onBackward(result, dy -> accumulateOwned(x, crop(dy, before, after)));
        return result;
    }

    /** The inverse of {@link #pad}: t without {@code before[i]} and {@code after[i]} elements on axis i. */
    private Tensor crop(Tensor t, long[] before, long[] after) {
        Tensor out = t;
        for (int axis = 0; axis < before.length; axis++) {
            if (before[axis] == 0 && after[axis] == 0) continue;
            long[] dims = out.shape().dims();
            long kept = dims[axis] - before[axis] - after[axis];
            long[] sizes = {before[axis], kept, after[axis]};
            List<Tensor> pieces = new ArrayList<>();
            Tensor middle = null;
            for (int k = 0; k < sizes.length; k++) {
                if (sizes[k] == 0) continue;
                dims[axis] = sizes[k];
                Tensor piece = allocate(Shape.of(dims));
                if (k == 1) middle = piece;
                pieces.add(piece);
            }
            backend.split(axis, out, pieces);
            out = middle;
        }
        return out;
    }

    /** x with its axes permuted: axis i of the result is axis {@code perm[i]} of x. */
    public Var transpose(Var x, int... perm) {
        long[] dims = new long[perm.length];
        int[] inverse = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            if (perm[i] < 0 || perm[i] >= perm.length) {
                throw new IllegalArgumentException("Ops.transpose: perm " + Arrays.toString(perm)
                        + " is no permutation of the axes of " + x.shape());
            }
            dims[i] = x.shape().dim(perm[i]);
            inverse[perm[i]] = i;
        }
        Tensor y = allocate(Shape.of(dims));
        backend.transpose(x.value(), perm, y);
        Var result = result(y, x);
        onBackward(result, dy -> {
            Tensor dx = allocate(x.shape());
            backend.transpose(dy, inverse, dx);
            accumulateOwned(x, dx);
        });
        return result;
    }

    /**
     * Embedding lookup: rows of {@code table} ({@code [rows, cols]}) at int32 {@code indices} (any shape);
     * the result has indices' shape plus {@code [cols]}. Its gradient scatter-adds into the table.
     */
    public Var gatherRows(Var table, Tensor indices) {
        long[] dims = Arrays.copyOf(indices.shape().dims(), indices.shape().rank() + 1);
        dims[dims.length - 1] = table.shape().dim(-1);
        Tensor y = allocate(Shape.of(dims));
        backend.gatherRows(table.value(), indices, y);
        Var result = result(y, table);
        onBackward(result, dy -> {
            Tensor dTable = allocate(table.shape());
            backend.scatterAddRows(dy, indices, dTable);
            accumulateOwned(table, dTable);
        });
        return result;
    }
}
