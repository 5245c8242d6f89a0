package dev.panamax.autograd;

import dev.panamax.backend.Activation;
import dev.panamax.backend.Backend;
import dev.panamax.backend.BinaryOp;
import dev.panamax.backend.Conv2dSpec;
import dev.panamax.backend.Pool2dSpec;
import dev.panamax.backend.PostOps;
import dev.panamax.backend.ReduceOp;
import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;
import java.util.List;
import java.util.Objects;

/**
 * A backend that runs every call on {@code delegate} and appends it to a {@link RecordedStep}, so
 * the step can be replayed. Calls that only allocate (workspaces) are not recorded: their tensors
 * stay allocated for the recording's life. Packing weights is not replayable (the packed copy would
 * go stale as the weights train), so it marks the recording unfit for replay.
 */
public final class RecordingBackend implements Backend {
    private final Backend delegate;
    private final RecordedStep step;

    public RecordingBackend(Backend delegate, RecordedStep step) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.step = Objects.requireNonNull(step, "step");
    }

    /** The backend the calls run on. */
    public Backend delegate() {
        return delegate;
    }

    RecordedStep step() {
        return step;
    }

    private void run(RecordedStep.Action action) {
        action.run();
        step.add(action);
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public void gemm(Tensor a, boolean transposeA, Tensor b, boolean transposeB, float alpha, float beta,
                     Tensor dst) {
        run(() -> delegate.gemm(a, transposeA, b, transposeB, alpha, beta, dst));
    }

    @Override
    public void batchedMatmul(Tensor a, boolean transposeA, Tensor b, boolean transposeB, Tensor dst) {
        run(() -> delegate.batchedMatmul(a, transposeA, b, transposeB, dst));
    }

    @Override
    public void denseForward(Tensor x, Tensor kernel, Tensor bias, PostOps postOps, Tensor dst) {
        run(() -> delegate.denseForward(x, kernel, bias, postOps, dst));
    }

    @Override
    public void denseBackward(Tensor x, Tensor kernel, Tensor diffDst, Tensor diffX, Tensor diffKernel,
                              Tensor diffBias) {
        run(() -> delegate.denseBackward(x, kernel, diffDst, diffX, diffKernel, diffBias));
    }

    @Override
    public Tensor conv2dPackWeights(Conv2dSpec spec, PostOps postOps, Tensor weights, MemoryScope scope) {
        step.markNotReplayable("conv2dPackWeights ran inside the step (a packed copy of trained weights goes stale)");
        return delegate.conv2dPackWeights(spec, postOps, weights, scope);
    }

    @Override
    public void conv2dForward(Conv2dSpec spec, PostOps postOps, Tensor src, Tensor weights, Tensor bias,
                              Tensor dst) {
        run(() -> delegate.conv2dForward(spec, postOps, src, weights, bias, dst));
    }

    @Override
    public void conv2dBackwardData(Conv2dSpec spec, Tensor diffDst, Tensor weights, Tensor diffSrc) {
        run(() -> delegate.conv2dBackwardData(spec, diffDst, weights, diffSrc));
    }

    @Override
    public void conv2dBackwardWeights(Conv2dSpec spec, Tensor src, Tensor diffDst, Tensor diffWeights,
                                      Tensor diffBias) {
        run(() -> delegate.conv2dBackwardWeights(spec, src, diffDst, diffWeights, diffBias));
    }

    @Override
    public Tensor pool2dWorkspace(Pool2dSpec spec, MemoryScope scope) {
        return delegate.pool2dWorkspace(spec, scope);
    }

    @Override
    public void pool2dForward(Pool2dSpec spec, Tensor src, Tensor dst, Tensor workspace) {
        run(() -> delegate.pool2dForward(spec, src, dst, workspace));
    }

    @Override
    public void pool2dBackward(Pool2dSpec spec, Tensor diffDst, Tensor workspace, Tensor diffSrc) {
        run(() -> delegate.pool2dBackward(spec, diffDst, workspace, diffSrc));
    }

    @Override
    public Tensor batchNormWorkspace(Shape srcShape, boolean fuseRelu, MemoryScope scope) {
        return delegate.batchNormWorkspace(srcShape, fuseRelu, scope);
    }

    @Override
    public void batchNormForwardTraining(Tensor src, Tensor gamma, Tensor beta, float epsilon, float momentum,
                                         Tensor movingMean, Tensor movingVariance, boolean fuseRelu, Tensor dst,
                                         Tensor batchMean, Tensor batchVariance, Tensor workspace) {
        run(() -> delegate.batchNormForwardTraining(src, gamma, beta, epsilon, momentum, movingMean, movingVariance,
                fuseRelu, dst, batchMean, batchVariance, workspace));
    }

    @Override
    public void batchNormForwardInference(Tensor src, Tensor gamma, Tensor beta, Tensor mean, Tensor variance,
                                          float epsilon, boolean fuseRelu, Tensor dst) {
        run(() -> delegate.batchNormForwardInference(src, gamma, beta, mean, variance, epsilon, fuseRelu, dst));
    }

    @Override
    public void batchNormBackward(Tensor src, Tensor diffDst, Tensor gamma, Tensor batchMean, Tensor batchVariance,
                                  float epsilon, boolean fuseRelu, Tensor workspace, Tensor diffSrc,
                                  Tensor diffGamma, Tensor diffBeta) {
        run(() -> delegate.batchNormBackward(src, diffDst, gamma, batchMean, batchVariance, epsilon, fuseRelu,
                workspace, diffSrc, diffGamma, diffBeta));
    }

    @Override
    public void layerNormForward(Tensor src, Tensor gamma, Tensor beta, float epsilon, Tensor dst, Tensor mean,
                                 Tensor variance) {
        run(() -> delegate.layerNormForward(src, gamma, beta, epsilon, dst, mean, variance));
    }

    @Override
    public void layerNormBackward(Tensor src, Tensor diffDst, Tensor gamma, Tensor mean, Tensor variance,
                                  float epsilon, Tensor diffSrc, Tensor diffGamma, Tensor diffBeta) {
        run(() -> delegate.layerNormBackward(src, diffDst, gamma, mean, variance, epsilon, diffSrc, diffGamma,
                diffBeta));
    }

    @Override
    public void activationForward(Activation activation, float alpha, Tensor src, Tensor dst) {
        run(() -> delegate.activationForward(activation, alpha, src, dst));
    }

    @Override
    public void activationBackward(Activation activation, float alpha, Tensor src, Tensor diffDst,
                                   Tensor diffSrc) {
        run(() -> delegate.activationBackward(activation, alpha, src, diffDst, diffSrc));
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor dst) {
        run(() -> delegate.binary(op, a, b, dst));
    }

    @Override
    public void affine(Tensor src, float alpha, float beta, Tensor dst) {
        run(() -> delegate.affine(src, alpha, beta, dst));
    }

    @Override
    public void reduce(ReduceOp op, Tensor src, int[] axes, Tensor dst) {
        int[] kept = axes.clone(); // the caller may reuse its array
        run(() -> delegate.reduce(op, src, kept, dst));
    }

    @Override
    public void softmaxForward(Tensor src, boolean log, Tensor dst) {
        run(() -> delegate.softmaxForward(src, log, dst));
    }

    @Override
    public void softmaxBackward(Tensor dst, Tensor diffDst, boolean log, Tensor diffSrc) {
        run(() -> delegate.softmaxBackward(dst, diffDst, log, diffSrc));
    }

    @Override
    public void softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor losses, Tensor diffLogits,
                                    float gradScale) {
        run(() -> delegate.softmaxCrossEntropy(logits, labels, losses, diffLogits, gradScale));
    }

    /** Seeds drawn through {@link Ops#randomSeed} are drawn anew on each replay; other seeds are constants. */
    @Override
    public void dropoutForward(float rate, long seed, Tensor src, Tensor dst, Tensor mask) {
        int slot = step.seedSlot(seed);
        delegate.dropoutForward(rate, seed, src, dst, mask);
        step.add(slot < 0
                ? () -> delegate.dropoutForward(rate, seed, src, dst, mask)
                : () -> delegate.dropoutForward(rate, step.seed(slot), src, dst, mask));
    }

    @Override
    public void concat(int axis, List<Tensor> srcs, Tensor dst) {
        List<Tensor> kept = List.copyOf(srcs);
        run(() -> delegate.concat(axis, kept, dst));
    }

    @Override
    public void split(int axis, Tensor src, List<Tensor> dsts) {
        List<Tensor> kept = List.copyOf(dsts);
        run(() -> delegate.split(axis, src, kept));
    }

    @Override
    public void transpose(Tensor src, int[] perm, Tensor dst) {
        int[] kept = perm.clone();
        run(() -> delegate.transpose(src, kept, dst));
    }

    @Override
    public void pad(Tensor src, long[] before, long[] after, float value, Tensor dst) {
        long[] b = before.clone();
        long[] a = after.clone();
        run(() -> delegate.pad(src, b, a, value, dst));
    }

    @Override
    public void gatherRows(Tensor table, Tensor indices, Tensor dst) {
        run(() -> delegate.gatherRows(table, indices, dst));
    }

    @Override
    public void scatterAddRows(Tensor diffDst, Tensor indices, Tensor diffTable) {
        run(() -> delegate.scatterAddRows(diffDst, indices, diffTable));
    }

    // Optimizer updates depend on the step count and learning rate: run outside the recorded step.
    @Override
    public void sgdUpdate(Tensor param, Tensor grad, Tensor velocity, float learningRate, float momentum,
                          boolean nesterov, float weightDecay) {
        step.markNotReplayable("an optimizer update (sgd) ran inside the step");
        delegate.sgdUpdate(param, grad, velocity, learningRate, momentum, nesterov, weightDecay);
    }

    @Override
    public void adamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v, float learningRate, float beta1,
                           float beta2, float epsilon, long step, float weightDecay) {
        this.step.markNotReplayable("an optimizer update (adam) ran inside the step");
        delegate.adamUpdate(param, grad, m, v, learningRate, beta1, beta2, epsilon, step, weightDecay);
    }

    @Override
    public void rmspropUpdate(Tensor param, Tensor grad, Tensor meanSquare, Tensor momentumBuffer,
                              float learningRate, float rho, float momentum, float epsilon, float weightDecay) {
        step.markNotReplayable("an optimizer update (rmsprop) ran inside the step");
        delegate.rmspropUpdate(param, grad, meanSquare, momentumBuffer, learningRate, rho, momentum, epsilon,
                weightDecay);
    }

    /** The delegate belongs to its owner: closing a recording closes nothing. */
    @Override
    public void close() {
    }
}
