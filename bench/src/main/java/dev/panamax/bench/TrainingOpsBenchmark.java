package dev.panamax.bench;

import dev.panamax.ComputeThreads;
import dev.panamax.backend.Backend;
import dev.panamax.backend.Backends;
import dev.panamax.backend.Conv2dSpec;
import dev.panamax.backend.Pool2dSpec;
import dev.panamax.backend.PostOps;
import dev.panamax.tensor.DType;
import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The ops of a training step, one at a time, on the shapes of real networks: LeNet-5, Keras' MNIST
 * convnet, VGG-16 and ResNet-20 layers, native against Java. Each problem is its own state, so a
 * benchmark runs only on its own problems (JMH crosses only the parameters of the states a method
 * uses). Every state checks the native result against the Java backend once, before timing.
 * GFLOP/s (in the report): conv2d from {@code Conv2dSpec.parse(conv).flops()}, dense from
 * {@code DenseSpec.parse(dense).flops()}; backward is twice forward for both (data and weights).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules=jdk.incubator.vector"})
public class TrainingOpsBenchmark {

    /** Convolutions without bias, as before batch norm; the forward pass runs with packed weights. */
    @State(Scope.Benchmark)
    public static class ConvProblem {
        @Param({"native", "java"})
        public String backend;

        /** LeNet-5's second conv, the Keras convnet's second, VGG-16's conv3 block and ResNet-20's stage 2. */
        @Param({"n128_c6h14w14_oc16k5s1p0", "n128_c32h13w13_oc64k3s1p0", "n16_c128h28w28_oc128k3s1p1",
                "n64_c32h16w16_oc32k3s1p1"})
        public String conv;

        MemoryScope scope;
        Backend b;
        Conv2dSpec spec;
        Tensor src, wei, packed, dst, diffDst, diffSrc, diffWei;

        @Setup(Level.Trial)
        public void setUp() {
            scope = open("conv2d " + conv, backend);
            b = Backends.get(backend);
            spec = Conv2dSpec.parse(conv);
            src = BenchData.smallIntegers(scope, spec.srcShape().dims(), 1);
            wei = BenchData.smallIntegers(scope, spec.weightsShape().dims(), 2);
            diffDst = BenchData.smallIntegers(scope, spec.dstShape().dims(), 3);
            packed = b.conv2dPackWeights(spec, PostOps.NONE, wei, scope);
            dst = Tensor.zeros(scope, spec.dstShape().dims());
            diffSrc = Tensor.zeros(scope, spec.srcShape().dims());
            diffWei = Tensor.zeros(scope, spec.weightsShape().dims());
            b.conv2dForward(spec, src, packed, null, dst);
            b.conv2dBackwardData(spec, diffDst, wei, diffSrc);
            b.conv2dBackwardWeights(spec, src, diffDst, diffWei, null);
            if (checked(backend)) {
                Backend j = Backends.get("java");
                Tensor expected = Tensor.zeros(scope, spec.dstShape().dims());
                j.conv2dForward(spec, src, wei, null, expected);
                BenchData.check("conv2d forward " + conv + " on " + backend, dst, expected);
                Tensor expectedDiffSrc = Tensor.zeros(scope, spec.srcShape().dims());
                Tensor expectedDiffWei = Tensor.zeros(scope, spec.weightsShape().dims());
                j.conv2dBackwardData(spec, diffDst, wei, expectedDiffSrc);
                j.conv2dBackwardWeights(spec, src, diffDst, expectedDiffWei, null);
                BenchData.check("conv2d backward data " + conv + " on " + backend, diffSrc, expectedDiffSrc);
                BenchData.check("conv2d backward weights " + conv + " on " + backend, diffWei, expectedDiffWei);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            scope.close();
        }
    }

    /** 2x2 max pooling: after the Keras convnet's first conv, and after VGG-16's conv3 block. */
    @State(Scope.Benchmark)
    public static class PoolProblem {
        @Param({"native", "java"})
        public String backend;

        @Param({"n128_c32h26w26_k2s2p0_max", "n16_c256h56w56_k2s2p0_max"})
        public String pool;

        MemoryScope scope;
        Backend b;
        Pool2dSpec spec;
        Tensor src, dst, workspace, diffDst, diffSrc;

        @Setup(Level.Trial)
        public void setUp() {
            scope = open("max pooling " + pool, backend);
            b = Backends.get(backend);
            spec = Pool2dSpec.parse(pool);
            // Continuous values: ties within a window would make the argmax a matter of convention.
            src = BenchData.random(scope, spec.srcShape().dims(), 4);
            diffDst = BenchData.random(scope, spec.dstShape().dims(), 5);
            dst = Tensor.zeros(scope, spec.dstShape().dims());
            diffSrc = Tensor.zeros(scope, spec.srcShape().dims());
            workspace = b.pool2dWorkspace(spec, scope);
            b.pool2dForward(spec, src, dst, workspace);
            b.pool2dBackward(spec, diffDst, workspace, diffSrc);
            if (checked(backend)) {
                Backend j = Backends.get("java");
                Tensor expected = Tensor.zeros(scope, spec.dstShape().dims());
                Tensor expectedDiffSrc = Tensor.zeros(scope, spec.srcShape().dims());
                Tensor javaWorkspace = j.pool2dWorkspace(spec, scope);
                j.pool2dForward(spec, src, expected, javaWorkspace);
                j.pool2dBackward(spec, diffDst, javaWorkspace, expectedDiffSrc);
                BenchData.check("max pooling forward " + pool + " on " + backend, dst, expected);
                BenchData.check("max pooling backward " + pool + " on " + backend, diffSrc, expectedDiffSrc);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            scope.close();
        }
    }

    /** Batch norm in training mode over NHWC activations (ResNet-20's first stage), no fused ReLU. */
    @State(Scope.Benchmark)
    public static class BatchNormProblem {
        private static final Pattern ACTIVATIONS = Pattern.compile("n(\\d+)_c(\\d+)h(\\d+)w(\\d+)");
        static final float EPSILON = 1e-3f;
        static final float MOMENTUM = 0.99f;

        @Param({"native", "java"})
        public String backend;

        @Param({"n64_c16h32w32"})
        public String activations;

        MemoryScope scope;
        Backend b;
        Tensor src, gamma, beta, movingMean, movingVar, dst, mean, var, diffDst, diffSrc, diffGamma, diffBeta;

        @Setup(Level.Trial)
        public void setUp() {
            Matcher m = ACTIVATIONS.matcher(activations);
            if (!m.matches()) {
                throw new IllegalArgumentException("BatchNormProblem: activations '" + activations
                        + "' is not of the form n<N>_c<C>h<H>w<W>");
            }
            long n = Long.parseLong(m.group(1));
            long c = Long.parseLong(m.group(2));
            long[] shape = {n, Long.parseLong(m.group(3)), Long.parseLong(m.group(4)), c};
            scope = open("batch norm " + activations, backend);
            b = Backends.get(backend);
            src = BenchData.random(scope, shape, 6);
            gamma = BenchData.random(scope, new long[] {c}, 7);
            beta = BenchData.random(scope, new long[] {c}, 8);
            diffDst = BenchData.random(scope, shape, 9);
            movingMean = Tensor.zeros(scope, c);
            movingVar = Tensor.zeros(scope, c);
            mean = Tensor.zeros(scope, c);
            var = Tensor.zeros(scope, c);
            dst = Tensor.zeros(scope, shape);
            diffSrc = Tensor.zeros(scope, shape);
            diffGamma = Tensor.zeros(scope, c);
            diffBeta = Tensor.zeros(scope, c);
            run(b, src, dst, mean, var, movingMean, movingVar, diffSrc, diffGamma, diffBeta);
            if (checked(backend)) {
                Tensor eDst = Tensor.zeros(scope, shape);
                Tensor eDiffSrc = Tensor.zeros(scope, shape);
                Tensor eMean = Tensor.zeros(scope, c), eVar = Tensor.zeros(scope, c);
                Tensor eMovingMean = Tensor.zeros(scope, c), eMovingVar = Tensor.zeros(scope, c);
                Tensor eDiffGamma = Tensor.zeros(scope, c), eDiffBeta = Tensor.zeros(scope, c);
                run(Backends.get("java"), src, eDst, eMean, eVar, eMovingMean, eMovingVar, eDiffSrc, eDiffGamma,
                        eDiffBeta);
                String on = " " + activations + " on " + backend;
                BenchData.check("batch norm forward" + on, dst, eDst);
                BenchData.check("batch norm batch mean" + on, mean, eMean);
                BenchData.check("batch norm batch variance" + on, var, eVar);
                BenchData.check("batch norm moving variance" + on, movingVar, eMovingVar);
                BenchData.check("batch norm backward data" + on, diffSrc, eDiffSrc);
                BenchData.check("batch norm backward gamma" + on, diffGamma, eDiffGamma);
                BenchData.check("batch norm backward beta" + on, diffBeta, eDiffBeta);
            }
        }

        /** One training step's batch norm: forward with batch statistics, then backward. */
        void run(Backend on, Tensor src, Tensor dst, Tensor mean, Tensor var, Tensor movingMean, Tensor movingVar,
                 Tensor diffSrc, Tensor diffGamma, Tensor diffBeta) {
            on.batchNormForwardTraining(src, gamma, beta, EPSILON, MOMENTUM, movingMean, movingVar, false, dst, mean,
                    var, null);
            on.batchNormBackward(src, diffDst, gamma, mean, var, EPSILON, false, null, diffSrc, diffGamma, diffBeta);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            scope.close();
        }
    }

    /** The Keras convnet's classifier (1600 -> 10) and the MLP's first layer (784 -> 512). */
    @State(Scope.Benchmark)
    public static class DenseProblem {
        @Param({"native", "java"})
        public String backend;

        @Param({"n128_ic1600_oc10", "n128_ic784_oc512"})
        public String dense;

        MemoryScope scope;
        Backend b;
        Tensor x, kernel, bias, dst, diffDst, diffX, diffKernel, diffBias;

        @Setup(Level.Trial)
        public void setUp() {
            DenseSpec spec = DenseSpec.parse(dense);
            long n = spec.batch(), in = spec.inFeatures(), out = spec.outFeatures();
            scope = open("dense " + dense, backend);
            b = Backends.get(backend);
            x = BenchData.smallIntegers(scope, new long[] {n, in}, 10);
            kernel = BenchData.smallIntegers(scope, new long[] {in, out}, 11);
            bias = BenchData.smallIntegers(scope, new long[] {out}, 12);
            diffDst = BenchData.smallIntegers(scope, new long[] {n, out}, 13);
            dst = Tensor.zeros(scope, n, out);
            diffX = Tensor.zeros(scope, n, in);
            diffKernel = Tensor.zeros(scope, in, out);
            diffBias = Tensor.zeros(scope, out);
            b.denseForward(x, kernel, bias, PostOps.NONE, dst);
            b.denseBackward(x, kernel, diffDst, diffX, diffKernel, diffBias);
            if (checked(backend)) {
                Backend j = Backends.get("java");
                Tensor eDst = Tensor.zeros(scope, n, out);
                Tensor eDiffX = Tensor.zeros(scope, n, in);
                Tensor eDiffKernel = Tensor.zeros(scope, in, out);
                Tensor eDiffBias = Tensor.zeros(scope, out);
                j.denseForward(x, kernel, bias, PostOps.NONE, eDst);
                j.denseBackward(x, kernel, diffDst, eDiffX, eDiffKernel, eDiffBias);
                String on = " " + dense + " on " + backend;
                BenchData.check("dense forward" + on, dst, eDst);
                BenchData.check("dense backward data" + on, diffX, eDiffX);
                BenchData.check("dense backward kernel" + on, diffKernel, eDiffKernel);
                BenchData.check("dense backward bias" + on, diffBias, eDiffBias);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            scope.close();
        }
    }

    /** Softmax cross-entropy over class indices with its gradient, as MNIST training computes it. */
    @State(Scope.Benchmark)
    public static class LossProblem {
        private static final Pattern LOGITS = Pattern.compile("n(\\d+)_classes(\\d+)");

        @Param({"native", "java"})
        public String backend;

        @Param({"n128_classes10"})
        public String logits;

        MemoryScope scope;
        Backend b;
        Tensor x, labels, losses, diffLogits;
        float gradScale;

        @Setup(Level.Trial)
        public void setUp() {
            Matcher m = LOGITS.matcher(logits);
            if (!m.matches()) {
                throw new IllegalArgumentException("LossProblem: logits '" + logits
                        + "' is not of the form n<N>_classes<K>");
            }
            int n = Integer.parseInt(m.group(1));
            int classes = Integer.parseInt(m.group(2));
            scope = open("softmax cross-entropy " + logits, backend);
            b = Backends.get(backend);
            x = BenchData.random(scope, new long[] {n, classes}, 14);
            labels = Tensor.zeros(scope, DType.INT32, Shape.of(n));
            SplittableRandom r = new SplittableRandom(15);
            for (int i = 0; i < n; i++) labels.setInt(r.nextInt(classes), i);
            losses = Tensor.zeros(scope, n);
            diffLogits = Tensor.zeros(scope, n, classes);
            gradScale = 1f / n;
            b.softmaxCrossEntropy(x, labels, losses, diffLogits, gradScale);
            if (checked(backend)) {
                Tensor eLosses = Tensor.zeros(scope, n);
                Tensor eDiff = Tensor.zeros(scope, n, classes);
                Backends.get("java").softmaxCrossEntropy(x, labels, eLosses, eDiff, gradScale);
                BenchData.check("softmax cross-entropy losses " + logits + " on " + backend, losses, eLosses);
                BenchData.check("softmax cross-entropy gradient " + logits + " on " + backend, diffLogits, eDiff);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            scope.close();
        }
    }

    /** One Adam step over every weight of a model at once: 669,706 is the MLP 784-512-512-10. */
    @State(Scope.Benchmark)
    public static class OptimizerProblem {
        static final float LEARNING_RATE = 1e-3f, BETA1 = 0.9f, BETA2 = 0.999f, EPSILON = 1e-7f;
        static final long STEP = 10;

        @Param({"native", "java"})
        public String backend;

        @Param({"669706"})
        public long parameters;

        MemoryScope scope;
        Backend b;
        Tensor param, grad, m, v;

        @Setup(Level.Trial)
        public void setUp() {
            scope = open("Adam over " + parameters + " parameters", backend);
            b = Backends.get(backend);
            grad = BenchData.random(scope, new long[] {parameters}, 17);
            param = BenchData.random(scope, new long[] {parameters}, 16);
            m = Tensor.zeros(scope, parameters);
            v = Tensor.zeros(scope, parameters);
            if (checked(backend)) {
                Tensor eParam = BenchData.random(scope, new long[] {parameters}, 16);
                Tensor eM = Tensor.zeros(scope, parameters);
                Tensor eV = Tensor.zeros(scope, parameters);
                b.adamUpdate(param, grad, m, v, LEARNING_RATE, BETA1, BETA2, EPSILON, STEP, 0f);
                Backends.get("java").adamUpdate(eParam, grad, eM, eV, LEARNING_RATE, BETA1, BETA2, EPSILON, STEP, 0f);
                String on = " over " + parameters + " parameters on " + backend;
                BenchData.check("Adam parameters" + on, param, eParam);
                BenchData.check("Adam first moment" + on, m, eM);
                BenchData.check("Adam second moment" + on, v, eV);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            scope.close();
        }
    }

    @Benchmark
    public Tensor conv2dForward(ConvProblem p) {
        p.b.conv2dForward(p.spec, p.src, p.packed, null, p.dst);
        return p.dst;
    }

    /** Backward data and weights together: one training step's convolution gradients. */
    @Benchmark
    public Tensor conv2dBackward(ConvProblem p) {
        p.b.conv2dBackwardData(p.spec, p.diffDst, p.wei, p.diffSrc);
        p.b.conv2dBackwardWeights(p.spec, p.src, p.diffDst, p.diffWei, null);
        return p.diffWei;
    }

    /** Forward (keeping the argmax) and backward, as in training. */
    @Benchmark
    public Tensor maxPool2dForwardBackward(PoolProblem p) {
        p.b.pool2dForward(p.spec, p.src, p.dst, p.workspace);
        p.b.pool2dBackward(p.spec, p.diffDst, p.workspace, p.diffSrc);
        return p.diffSrc;
    }

    @Benchmark
    public Tensor batchNormForwardBackward(BatchNormProblem p) {
        p.run(p.b, p.src, p.dst, p.mean, p.var, p.movingMean, p.movingVar, p.diffSrc, p.diffGamma, p.diffBeta);
        return p.diffSrc;
    }

    @Benchmark
    public Tensor denseForward(DenseProblem p) {
        p.b.denseForward(p.x, p.kernel, p.bias, PostOps.NONE, p.dst);
        return p.dst;
    }

    /** Gradients of the input, the kernel and the bias. */
    @Benchmark
    public Tensor denseBackward(DenseProblem p) {
        p.b.denseBackward(p.x, p.kernel, p.diffDst, p.diffX, p.diffKernel, p.diffBias);
        return p.diffKernel;
    }

    @Benchmark
    public Tensor softmaxCrossEntropy(LossProblem p) {
        p.b.softmaxCrossEntropy(p.x, p.labels, p.losses, p.diffLogits, p.gradScale);
        return p.diffLogits;
    }

    @Benchmark
    public Tensor adamUpdate(OptimizerProblem p) {
        p.b.adamUpdate(p.param, p.grad, p.m, p.v, OptimizerProblem.LEARNING_RATE, OptimizerProblem.BETA1,
                OptimizerProblem.BETA2, OptimizerProblem.EPSILON, OptimizerProblem.STEP, 0f);
        return p.param;
    }

    /** Opens a problem's scope and states the thread count the numbers were measured with. */
    static MemoryScope open(String problem, String backend) {
        System.out.println(problem + " on " + backend + ", compute threads: " + ComputeThreads.get());
        return MemoryScope.open("bench " + problem);
    }

    /** Whether a backend's results are checked against the Java backend (the reference itself is not). */
    static boolean checked(String backend) {
        return !backend.equals("java");
    }
}
