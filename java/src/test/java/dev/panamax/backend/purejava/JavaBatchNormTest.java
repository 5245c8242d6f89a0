package dev.panamax.backend.purejava;

import static dev.panamax.backend.purejava.TestTensors.assertClose;
import static dev.panamax.backend.purejava.TestTensors.assertMessage;
import static dev.panamax.backend.purejava.TestTensors.assertMostlyNonZero;
import static dev.panamax.backend.purejava.TestTensors.doubles;
import static dev.panamax.backend.purejava.TestTensors.numericGradient;
import static dev.panamax.backend.purejava.TestTensors.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.panamax.ComputeThreads;
import dev.panamax.tensor.DType;
import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Batch norm in training and inference mode, its moving statistics, and its gradients. */
class JavaBatchNormTest {
    private static final JavaBackend BACKEND = new JavaBackend();
    private static final float EPS = 1e-3f;
    private static int savedThreads;

    @BeforeAll
    static void saveThreads() {
        savedThreads = ComputeThreads.get();
    }

    @AfterAll
    static void restoreThreads() {
        ComputeThreads.set(savedThreads);
        BACKEND.close();
    }

    /** One batch norm problem: src and its parameters, with gamma away from 0. */
    private record Problem(Tensor src, Tensor gamma, Tensor beta, int c) {
        static Problem of(MemoryScope scope, Random random, Shape shape) {
            int c = (int) shape.dim(-1);
            Tensor gamma = uniform(scope, random, Shape.of(c));
            float[] g = gamma.toFloatArray();
            for (int i = 0; i < c; i++) g[i] = g[i] >= 0 ? g[i] + 0.5f : g[i] - 0.5f;
            gamma.copyFrom(g);
            return new Problem(uniform(scope, random, shape), gamma, uniform(scope, random, Shape.of(c)), c);
        }

        Tensor like(MemoryScope scope) {
            return Tensor.zeros(scope, DType.FLOAT32, src.shape());
        }

        Tensor channels(MemoryScope scope) {
            return Tensor.zeros(scope, c);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void trainingNormalizesWithBatchStatisticsAndUpdatesTheMovingOnes(boolean relu) {
        Random random = new Random(1);
        for (Shape shape : new Shape[] {Shape.of(4, 3, 5, 6), Shape.of(300, 70)}) { // the second spans chunks
            try (MemoryScope scope = MemoryScope.open("bn")) {
                Problem p = Problem.of(scope, random, shape);
                double[] x = doubles(p.src());
                double[][] stats = ReferenceOps.batchStats(x, p.c());
                double[] expected = ReferenceOps.batchNormTraining(x, p.c(), doubles(p.gamma()), doubles(p.beta()),
                        EPS, relu);
                Tensor movingMean = uniform(scope, random, Shape.of(p.c()));
                Tensor movingVariance = uniform(scope, random, Shape.of(p.c()));
                float[] positive = movingVariance.toFloatArray();
                for (int i = 0; i < positive.length; i++) positive[i] = Math.abs(positive[i]) + 0.5f;
                movingVariance.copyFrom(positive);
                double[] oldMean = doubles(movingMean), oldVariance = doubles(movingVariance);
                Tensor dst = p.like(scope), mean = p.channels(scope), variance = p.channels(scope);
                Tensor workspace = BACKEND.batchNormWorkspace(shape, relu, scope);
                if (!relu) assertNull(workspace);
                float momentum = 0.75f;
                BACKEND.batchNormForwardTraining(p.src(), p.gamma(), p.beta(), EPS, momentum, movingMean,
                        movingVariance, relu, dst, mean, variance, workspace);
                assertClose(expected, dst.toFloatArray(), 1e-5, "dst " + shape);
                assertClose(stats[0], mean.toFloatArray(), 1e-6, "batch mean");
                assertClose(stats[1], variance.toFloatArray(), 1e-6, "batch variance");
                double[] newMean = new double[p.c()], newVariance = new double[p.c()];
                for (int i = 0; i < p.c(); i++) {
                    newMean[i] = oldMean[i] * momentum + stats[0][i] * (1 - momentum);
                    newVariance[i] = oldVariance[i] * momentum + stats[1][i] * (1 - momentum);
                }
                assertClose(newMean, movingMean.toFloatArray(), 1e-6, "moving mean (Keras' momentum)");
                assertClose(newVariance, movingVariance.toFloatArray(), 1e-6, "moving variance");
                if (!relu) assertMostlyNonZero(dst.toFloatArray(), "bn");

                Tensor inference = p.like(scope);
                BACKEND.batchNormForwardInference(p.src(), p.gamma(), p.beta(), movingMean, movingVariance, EPS, relu,
                        inference);
                double[] expectedInference = ReferenceOps.batchNorm(x, p.c(), doubles(p.gamma()), doubles(p.beta()),
                        doubles(movingMean), doubles(movingVariance), EPS, relu);
                assertClose(expectedInference, inference.toFloatArray(), 1e-5, "inference " + shape);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void backwardMatchesCentralDifferences(boolean relu) {
        Random random = new Random(relu ? 2 : 3);
        Shape shape = Shape.of(3, 2, 4, 5);
        try (MemoryScope scope = MemoryScope.open("bn grad")) {
            Problem p = problemAwayFromTheKink(scope, random, shape, relu);
            double[] x = doubles(p.src()), gamma = doubles(p.gamma()), beta = doubles(p.beta());
            Tensor diffDst = uniform(scope, random, shape);
            double[] dy = doubles(diffDst);
            int c = p.c();
            double h = 1e-4;
            double[] gx = numericGradient(v -> ReferenceOps.batchNormTraining(v, c, gamma, beta, EPS, relu), x, dy, h);
            double[] gg = numericGradient(v -> ReferenceOps.batchNormTraining(x, c, v, beta, EPS, relu), gamma, dy, h);
            double[] gb = numericGradient(v -> ReferenceOps.batchNormTraining(x, c, gamma, v, EPS, relu), beta, dy, h);

            Tensor dst = p.like(scope), mean = p.channels(scope), variance = p.channels(scope);
            Tensor workspace = BACKEND.batchNormWorkspace(shape, relu, scope);
            BACKEND.batchNormForwardTraining(p.src(), p.gamma(), p.beta(), EPS, 0.99f, p.channels(scope),
                    p.channels(scope), relu, dst, mean, variance, workspace);
            Tensor diffSrc = p.like(scope), diffGamma = p.channels(scope), diffBeta = p.channels(scope);
            BACKEND.batchNormBackward(p.src(), diffDst, p.gamma(), mean, variance, EPS, relu, workspace, diffSrc,
                    diffGamma, diffBeta);
            assertClose(gx, diffSrc.toFloatArray(), 1e-4, "diffSrc relu=" + relu);
            assertClose(gg, diffGamma.toFloatArray(), 1e-4, "diffGamma relu=" + relu);
            assertClose(gb, diffBeta.toFloatArray(), 1e-4, "diffBeta relu=" + relu);
        }
    }

    /** With a fused ReLU, inputs whose outputs sit near 0 would make the differences straddle the kink. */
    private static Problem problemAwayFromTheKink(MemoryScope scope, Random random, Shape shape, boolean relu) {
        while (true) {
            Problem p = Problem.of(scope, random, shape);
            double[] pre = ReferenceOps.batchNormTraining(doubles(p.src()), p.c(), doubles(p.gamma()),
                    doubles(p.beta()), EPS, false);
            double closest = Double.MAX_VALUE;
            for (double v : pre) closest = Math.min(closest, Math.abs(v));
            if (!relu || closest > 1e-2) return p;
        }
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() {
        Random random = new Random(4);
        Shape shape = Shape.of(2000, 24);
        try (MemoryScope scope = MemoryScope.open("bn threads")) {
            Problem p = Problem.of(scope, random, shape);
            Tensor diffDst = uniform(scope, random, shape);
            float[][] first = null;
            for (int threads : new int[] {1, 3, 8}) {
                ComputeThreads.set(threads);
                Tensor dst = p.like(scope), mean = p.channels(scope), variance = p.channels(scope);
                Tensor workspace = BACKEND.batchNormWorkspace(shape, true, scope);
                BACKEND.batchNormForwardTraining(p.src(), p.gamma(), p.beta(), EPS, 0.9f, p.channels(scope),
                        p.channels(scope), true, dst, mean, variance, workspace);
                Tensor diffSrc = p.like(scope), diffGamma = p.channels(scope), diffBeta = p.channels(scope);
                BACKEND.batchNormBackward(p.src(), diffDst, p.gamma(), mean, variance, EPS, true, workspace, diffSrc,
                        diffGamma, diffBeta);
                float[][] now = {dst.toFloatArray(), mean.toFloatArray(), variance.toFloatArray(),
                        diffSrc.toFloatArray(), diffGamma.toFloatArray(), diffBeta.toFloatArray()};
                if (first == null) first = now;
                for (int i = 0; i < now.length; i++) assertArrayEquals(first[i], now[i], "output " + i + " threads=" + threads);
            }
        }
    }

    @Test
    void badInputsAreNamed() {
        try (MemoryScope scope = MemoryScope.open("bad")) {
            Tensor src = Tensor.zeros(scope, 4, 5, 6);
            Tensor c6 = Tensor.zeros(scope, 6);
            Tensor c5 = Tensor.zeros(scope, 5);
            Tensor dst = Tensor.zeros(scope, 4, 5, 6);
            var e = assertThrows(IllegalArgumentException.class, () -> BACKEND.batchNormForwardTraining(src, c5,
                    Tensor.zeros(scope, 6), EPS, 0.99f, Tensor.zeros(scope, 6), Tensor.zeros(scope, 6), false, dst,
                    Tensor.zeros(scope, 6), Tensor.zeros(scope, 6), null));
            assertMessage(e, "batch_norm", "gamma", "[5]", "[6]", "[4, 5, 6]");
            e = assertThrows(IllegalArgumentException.class, () -> BACKEND.batchNormForwardTraining(src, c6,
                    Tensor.zeros(scope, 6), EPS, 0.99f, Tensor.zeros(scope, 6), Tensor.zeros(scope, 6), true, dst,
                    Tensor.zeros(scope, 6), Tensor.zeros(scope, 6), null));
            assertMessage(e, "batch_norm", "workspace", "[4, 5, 6]");
            e = assertThrows(IllegalArgumentException.class, () -> BACKEND.batchNormForwardTraining(src, c6,
                    Tensor.zeros(scope, 6), EPS, 1.5f, Tensor.zeros(scope, 6), Tensor.zeros(scope, 6), false, dst,
                    Tensor.zeros(scope, 6), Tensor.zeros(scope, 6), null));
            assertMessage(e, "batch_norm", "momentum=1.5");
            Tensor wrongDst = Tensor.zeros(scope, 4, 5, 5);
            e = assertThrows(IllegalArgumentException.class, () -> BACKEND.batchNormForwardInference(src, c6,
                    Tensor.zeros(scope, 6), Tensor.zeros(scope, 6), Tensor.zeros(scope, 6), EPS, false, wrongDst));
            assertMessage(e, "batch_norm_inference", "dst", "[4, 5, 5]", "[4, 5, 6]");
            Tensor wrongWorkspace = Tensor.zeros(scope, DType.INT8, Shape.of(4, 5, 5));
            e = assertThrows(IllegalArgumentException.class, () -> BACKEND.batchNormBackward(src, dst, c6,
                    Tensor.zeros(scope, 6), Tensor.zeros(scope, 6), EPS, true, wrongWorkspace,
                    Tensor.zeros(scope, 4, 5, 6), Tensor.zeros(scope, 6), Tensor.zeros(scope, 6)));
            assertMessage(e, "batch_norm", "workspace", "int8[4, 5, 5]", "[4, 5, 6]");
            e = assertThrows(IllegalArgumentException.class, () -> BACKEND.batchNormBackward(src, dst, c6,
                    Tensor.zeros(scope, 6), Tensor.zeros(scope, 6), EPS, false, null,
                    Tensor.zeros(scope, 4, 5, 6), Tensor.zeros(scope, 5), Tensor.zeros(scope, 6)));
            assertMessage(e, "batch_norm_backward", "diffGamma", "[5]", "[6]", "[4, 5, 6]");
        }
    }
}
