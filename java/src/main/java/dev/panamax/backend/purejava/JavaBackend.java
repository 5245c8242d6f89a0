package dev.panamax.backend.purejava;

import dev.panamax.ComputeThreads;
import dev.panamax.backend.Activation;
import dev.panamax.backend.Backend;
import dev.panamax.backend.BinaryOp;
import dev.panamax.backend.Conv2dSpec;
import dev.panamax.backend.ElementwiseOpChecks;
import dev.panamax.backend.GatherOpChecks;
import dev.panamax.backend.OpChecks;
import dev.panamax.backend.Pool2dSpec;
import dev.panamax.backend.PostOps;
import dev.panamax.backend.ReduceOp;
import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * The pure-Java backend: the specification the other backends are tested against, so every
 * op is written for correctness first and runs on any JVM without native code.
 *
 * <p>This class is a facade: it checks arguments with {@link OpChecks} (and
 * {@link ElementwiseOpChecks}) and hands each op to its family's class ({@link JavaGemm},
 * {@link JavaConv2d}, {@link JavaPooling}, ...), which runs on a {@link PoolRunner} of
 * {@link ComputeThreads#get()} workers. Op families split work so that results do not depend on
 * the thread count.
 */
public final class JavaBackend implements Backend {
    static final String NAME = "java";

    private final PoolRunner par = new PoolRunner();

    @Override
    public String name() {
        return NAME;
    }

    /**
     * The multiply-add kernel under matrix products and convolutions, for {@code panamax info}:
     * the Vector API one (and its vector width) or the scalar fallback, and why.
     */
    public static String multiplyAddKernel() {
        return GemmKernel.describe();
    }

    // ---- matrix products ------------------------------------------------------------------

    @Override
    public void gemm(Tensor a, boolean transposeA, Tensor b, boolean transposeB, float alpha, float beta, Tensor dst) {
        OpChecks.gemm(a, transposeA, b, transposeB, dst);
        JavaGemm.gemm(par, a, transposeA, b, transposeB, alpha, beta, dst);
    }

    @Override
    public void batchedMatmul(Tensor a, boolean transposeA, Tensor b, boolean transposeB, Tensor dst) {
        OpChecks.batchedMatmul(a, transposeA, b, transposeB, dst);
        JavaGemm.batched(par, a, transposeA, b, transposeB, dst);
    }

    @Override
    public void denseForward(Tensor x, Tensor kernel, Tensor bias, PostOps postOps, Tensor dst) {
        OpChecks.denseForward(x, kernel, bias, postOps, dst);
        JavaDense.forward(par, x, kernel, bias, postOps, dst);
    }

    @Override
    public void denseBackward(Tensor x, Tensor kernel, Tensor diffDst, Tensor diffX, Tensor diffKernel,
                              Tensor diffBias) {
        OpChecks.denseBackward(x, kernel, diffDst, diffX, diffKernel, diffBias);
        JavaDense.backward(par, x, kernel, diffDst, diffX, diffKernel, diffBias);
    }

    // ---- convolution ----------------------------------------------------------------------

    @Override
    public Tensor conv2dPackWeights(Conv2dSpec spec, PostOps postOps, Tensor weights, MemoryScope scope) {
        OpChecks.conv2dWeights(spec, weights);
        if (postOps == null || scope == null) {
            throw new IllegalArgumentException("conv2d: postOps and scope must not be null; got postOps=" + postOps
                    + ", scope=" + scope + ", weights=" + weights.describeShape() + " for " + spec);
        }
        // The Java backend runs on plain HWIO, so its packed form is a row-major copy.
        Tensor packed = Tensor.zeros(scope, weights.dtype(), weights.shape());
        MemorySegment.copy(weights.segment(), 0, packed.segment(), 0, weights.byteSize());
        return packed;
    }

    @Override
    public void conv2dForward(Conv2dSpec spec, PostOps postOps, Tensor src, Tensor weights, Tensor bias, Tensor dst) {
        OpChecks.conv2dForward(spec, postOps, src, weights, bias, dst);
        if (!weights.layout().isRowMajor()) {
            throw new IllegalArgumentException("conv2d: weights are in layout '" + weights.layout()
                    + "' packed by another backend; the java backend needs HWIO row-major weights");
        }
        JavaConv2d.forward(par, spec, postOps, src, weights, bias, dst);
    }

    @Override
    public void conv2dBackwardData(Conv2dSpec spec, Tensor diffDst, Tensor weights, Tensor diffSrc) {
        OpChecks.conv2dBackwardData(spec, diffDst, weights, diffSrc);
        JavaConv2dBackwardData.run(par, spec, diffDst, weights, diffSrc);
    }

    @Override
    public void conv2dBackwardWeights(Conv2dSpec spec, Tensor src, Tensor diffDst, Tensor diffWeights,
                                      Tensor diffBias) {
        OpChecks.conv2dBackwardWeights(spec, src, diffDst, diffWeights, diffBias);
        JavaConv2dBackwardWeights.run(par, spec, src, diffDst, diffWeights, diffBias);
    }

    // ---- pooling --------------------------------------------------------------------------

    @Override
    public Tensor pool2dWorkspace(Pool2dSpec spec, MemoryScope scope) {
        return JavaPooling.workspace(spec, scope);
    }

    @Override
    public void pool2dForward(Pool2dSpec spec, Tensor src, Tensor dst, Tensor workspace) {
        OpChecks.pool2dForward(spec, src, dst, workspace);
        JavaPooling.forward(par, spec, src, dst, workspace);
    }

    @Override
    public void pool2dBackward(Pool2dSpec spec, Tensor diffDst, Tensor workspace, Tensor diffSrc) {
        OpChecks.pool2dBackward(spec, diffDst, workspace, diffSrc);
        JavaPooling.backward(par, spec, diffDst, workspace, diffSrc);
    }

    // ---- normalization --------------------------------------------------------------------

    @Override
    public Tensor batchNormWorkspace(Shape srcShape, boolean fuseRelu, MemoryScope scope) {
        return JavaBatchNorm.workspace(srcShape, fuseRelu, scope);
    }

    @Override
    public void batchNormForwardTraining(Tensor src, Tensor gamma, Tensor beta, float epsilon, float momentum,
                                         Tensor movingMean, Tensor movingVariance, boolean fuseRelu, Tensor dst,
                                         Tensor batchMean, Tensor batchVariance, Tensor workspace) {
        OpChecks.batchNormForwardTraining(src, gamma, beta, epsilon, momentum, movingMean, movingVariance, fuseRelu,
                dst, batchMean, batchVariance, workspace);
        JavaBatchNorm.forwardTraining(par, src, gamma, beta, epsilon, momentum, movingMean, movingVariance, fuseRelu,
                dst, batchMean, batchVariance, workspace);
    }

    @Override
    public void batchNormForwardInference(Tensor src, Tensor gamma, Tensor beta, Tensor mean, Tensor variance,
                                          float epsilon, boolean fuseRelu, Tensor dst) {
        OpChecks.batchNormForwardInference(src, gamma, beta, mean, variance, epsilon, fuseRelu, dst);
        JavaBatchNorm.forwardInference(par, src, gamma, beta, mean, variance, epsilon, fuseRelu, dst);
    }

    @Override
    public void batchNormBackward(Tensor src, Tensor diffDst, Tensor gamma, Tensor batchMean, Tensor batchVariance,
                                  float epsilon, boolean fuseRelu, Tensor workspace, Tensor diffSrc, Tensor diffGamma,
                                  Tensor diffBeta) {
        OpChecks.batchNormBackward(src, diffDst, gamma, batchMean, batchVariance, epsilon, fuseRelu, workspace,
                diffSrc, diffGamma, diffBeta);
        JavaBatchNorm.backward(par, src, diffDst, gamma, batchMean, batchVariance, epsilon, fuseRelu, workspace,
                diffSrc, diffGamma, diffBeta);
    }

    @Override
    public void layerNormForward(Tensor src, Tensor gamma, Tensor beta, float epsilon, Tensor dst, Tensor mean,
                                 Tensor variance) {
        ElementwiseOpChecks.layerNormForward(src, gamma, beta, epsilon, dst, mean, variance);
        JavaLayerNorm.forward(par, src, gamma, beta, epsilon, dst, mean, variance);
    }

    @Override
    public void layerNormBackward(Tensor src, Tensor diffDst, Tensor gamma, Tensor mean, Tensor variance,
                                  float epsilon, Tensor diffSrc, Tensor diffGamma, Tensor diffBeta) {
        ElementwiseOpChecks.layerNormBackward(src, diffDst, gamma, mean, variance, epsilon, diffSrc, diffGamma,
                diffBeta);
        JavaLayerNorm.backward(par, src, diffDst, gamma, mean, variance, epsilon, diffSrc, diffGamma, diffBeta);
    }

    // ---- element-wise ---------------------------------------------------------------------

    @Override
    public void activationForward(Activation activation, float alpha, Tensor src, Tensor dst) {
        ElementwiseOpChecks.activationForward(activation, alpha, src, dst);
        JavaActivations.forward(par, activation, alpha, src, dst);
    }

    @Override
    public void activationBackward(Activation activation, float alpha, Tensor src, Tensor diffDst, Tensor diffSrc) {
        ElementwiseOpChecks.activationBackward(activation, alpha, src, diffDst, diffSrc);
        JavaActivations.backward(par, activation, alpha, src, diffDst, diffSrc);
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor dst) {
        ElementwiseOpChecks.binary(op, a, b, dst);
        JavaBinaryOps.binary(par, op, a, b, dst);
    }

    @Override
    public void affine(Tensor src, float alpha, float beta, Tensor dst) {
        ElementwiseOpChecks.affine(src, alpha, beta, dst);
        JavaBinaryOps.affine(par, src, alpha, beta, dst);
    }

    @Override
    public void reduce(ReduceOp op, Tensor src, int[] axes, Tensor dst) {
        ElementwiseOpChecks.reduce(op, src, axes, dst);
        JavaReductions.reduce(par, op, src, axes, dst);
    }

    // ---- softmax and losses ---------------------------------------------------------------

    @Override
    public void softmaxForward(Tensor src, boolean log, Tensor dst) {
        ElementwiseOpChecks.softmaxForward(src, log, dst);
        JavaSoftmax.forward(par, src, log, dst);
    }

    @Override
    public void softmaxBackward(Tensor dst, Tensor diffDst, boolean log, Tensor diffSrc) {
        ElementwiseOpChecks.softmaxBackward(dst, diffDst, log, diffSrc);
        JavaSoftmax.backward(par, dst, diffDst, log, diffSrc);
    }

    @Override
    public void softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor losses, Tensor diffLogits, float gradScale) {
        ElementwiseOpChecks.softmaxCrossEntropy(logits, labels, losses, diffLogits, gradScale);
        JavaSoftmax.crossEntropy(par, logits, labels, losses, diffLogits, gradScale);
    }

    // ---- dropout --------------------------------------------------------------------------

    @Override
    public void dropoutForward(float rate, long seed, Tensor src, Tensor dst, Tensor mask) {
        ElementwiseOpChecks.dropoutForward(rate, seed, src, dst, mask);
        JavaDropout.forward(par, rate, seed, src, dst, mask);
    }

    // ---- shape ops ------------------------------------------------------------------------

    @Override
    public void concat(int axis, List<Tensor> srcs, Tensor dst) {
        ElementwiseOpChecks.concat(axis, srcs, dst);
        JavaShapeOps.concat(axis, srcs, dst);
    }

    @Override
    public void split(int axis, Tensor src, List<Tensor> dsts) {
        ElementwiseOpChecks.split(axis, src, dsts);
        JavaShapeOps.split(axis, src, dsts);
    }

    @Override
    public void transpose(Tensor src, int[] perm, Tensor dst) {
        ElementwiseOpChecks.transpose(src, perm, dst);
        JavaShapeOps.transpose(src, perm, dst);
    }

    @Override
    public void pad(Tensor src, long[] before, long[] after, float value, Tensor dst) {
        ElementwiseOpChecks.pad(src, before, after, value, dst);
        JavaShapeOps.pad(src, before, after, value, dst);
    }

    // ---- row gather ---------------------------------------------------------------------

    @Override
    public void gatherRows(Tensor table, Tensor indices, Tensor dst) {
        GatherOpChecks.gatherRows(table, indices, dst);
        JavaGather.gatherRows(par, table, indices, dst);
    }

    @Override
    public void scatterAddRows(Tensor diffDst, Tensor indices, Tensor diffTable) {
        GatherOpChecks.scatterAddRows(diffDst, indices, diffTable);
        JavaGather.scatterAddRows(par, diffDst, indices, diffTable);
    }

    // ---- optimizer updates ----------------------------------------------------------------

    @Override
    public void sgdUpdate(Tensor param, Tensor grad, Tensor velocity, float learningRate, float momentum,
                          boolean nesterov, float weightDecay) {
        ElementwiseOpChecks.sgdUpdate(param, grad, velocity, learningRate, momentum, nesterov, weightDecay);
        JavaOptimizers.sgd(par, param, grad, velocity, learningRate, momentum, nesterov, weightDecay);
    }

    @Override
    public void adamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v, float learningRate, float beta1, float beta2,
                           float epsilon, long step, float weightDecay) {
        ElementwiseOpChecks.adamUpdate(param, grad, m, v, learningRate, beta1, beta2, epsilon, step, weightDecay);
        JavaOptimizers.adam(par, param, grad, m, v, learningRate, beta1, beta2, epsilon, step, weightDecay);
    }

    @Override
    public void rmspropUpdate(Tensor param, Tensor grad, Tensor meanSquare, Tensor momentumBuffer, float learningRate,
                              float rho, float momentum, float epsilon, float weightDecay) {
        ElementwiseOpChecks.rmspropUpdate(param, grad, meanSquare, momentumBuffer, learningRate, rho, momentum,
                epsilon, weightDecay);
        JavaOptimizers.rmsprop(par, param, grad, meanSquare, momentumBuffer, learningRate, rho, momentum, epsilon,
                weightDecay);
    }

    // ---- lifecycle ------------------------------------------------------------------------

    /** Shuts the worker threads down (once running ops finish); the next op starts new ones. */
    @Override
    public void close() {
        par.close();
    }

    @Override
    public String toString() {
        return "JavaBackend[threads=" + ComputeThreads.get() + "]";
    }
}
