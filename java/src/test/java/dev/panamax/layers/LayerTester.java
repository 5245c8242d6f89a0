package dev.panamax.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.autograd.GradientTape;
import dev.panamax.autograd.Ops;
import dev.panamax.autograd.Parameter;
import dev.panamax.autograd.Var;
import dev.panamax.backend.Backend;
import dev.panamax.backend.Backends;
import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The checks every layer passes, after Keras' {@code run_layer_test}: weights and shapes, config
 * round trip, one training step, native against Java, and gradients against central differences.
 * Inputs are distinct values on an even grid (no ties for max pooling, none near ReLU's kinks).
 */
final class LayerTester {
    private static final double NATIVE_TOLERANCE = 1e-4;
    private static final double STEP = 3e-3;
    private static final int CHECKS_PER_TENSOR = 6;
    private static final long SEED = 42;

    private LayerTester() {
    }

    /** Weight count and shapes; computeOutputShape and the call's output shape both as expected. */
    static void checkWeightsAndShapes(LayerCase c) {
        try (MemoryScope scope = MemoryScope.open("weights")) {
            Layer layer = build(c, scope);
            assertEquals(c.weights, layer.weights().stream().map(Parameter::shape).toList(), "weight shapes");
            assertEquals(c.expectedTrainable(), layer.trainableWeights().size(), "trainable weights");
            assertEquals(c.output, layer.computeOutputShape(c.inputShapes), "computeOutputShape");
            for (boolean training : new boolean[] {true, false}) {
                Ops ops = new Ops(Backends.get("java"), scope, null);
                Var y = forward(c, layer, ops, inputs(c, scope), training);
                assertEquals(Shape.of(LayerShapes.batched(c.batch, c.output)), y.shape(),
                        "output of call(training=" + training + ")");
            }
        }
    }

    /** fromConfig(getConfig()) gives the same config, also after numbers went through JSON (as doubles). */
    static void checkConfigRoundTrip(LayerCase c) {
        Layer layer = c.factory.get();
        Map<String, Object> config = layer.getConfig();
        Layer copy = LayerRegistry.fromConfig(layer.typeName(), config);
        assertEquals(layer.getClass(), copy.getClass());
        assertEquals(config, copy.getConfig());
        assertEquals(config, LayerRegistry.fromConfig(layer.typeName(), asJson(config)).getConfig(),
                "round trip with JSON numbers");
    }

    /**
     * One SGD step on a fixed batch lowers the mean squared error to a random target. A layer without
     * trainable weights trains its inputs instead, so its backward pass is what moves the loss.
     */
    static void checkTrainingStepLowersLoss(LayerCase c) {
        Backend backend = Backends.get("java");
        try (MemoryScope scope = MemoryScope.open("weights")) {
            Layer layer = build(c, scope);
            List<Parameter> inputs = inputs(c, scope);
            Tensor target = uniform(scope, Shape.of(LayerShapes.batched(c.batch, c.output)), SEED + 7);
            List<Parameter> trained = layer.trainableWeights().isEmpty() ? inputs : layer.trainableWeights();
            assertTrue(!trained.isEmpty() && (trained != inputs || c.differentiableInputs()),
                    "nothing to train in " + c);
            double before;
            try (MemoryScope step = MemoryScope.open("step")) {
                GradientTape tape = new GradientTape();
                Var loss = meanSquaredError(forward(c, layer, new Ops(backend, step, tape), inputs, true), target);
                before = loss.value().getFloat(0);
                tape.backward(loss);
            }
            for (Parameter p : trained) {
                assertTrue(p.hasGrad(), p + " got no gradient");
                backend.sgdUpdate(p.value(), p.grad(), null, 0.05f, 0f, false, 0f);
                p.markModified();
            }
            double after;
            try (MemoryScope step = MemoryScope.open("step")) {
                after = meanSquaredError(forward(c, layer, new Ops(backend, step, null), inputs, true), target)
                        .value().getFloat(0);
            }
            assertTrue(after < before, "loss " + before + " -> " + after);
        }
    }

    private static Var meanSquaredError(Var y, Tensor target) {
        Ops ops = y.ops();
        Var d = ops.sub(y, ops.constant(target));
        return ops.mean(ops.mul(d, d));
    }

    /**
     * The native backend agrees with the Java one within 1e-4 relative, in training and inference: the
     * output, the gradients of the inputs and of every weight, and the weights afterwards (moving statistics).
     */
    static void checkNativeMatchesJava(LayerCase c) {
        try (MemoryScope scope = MemoryScope.open("weights")) {
            Layer layer = build(c, scope);
            List<Parameter> inputs = inputs(c, scope);
            Tensor upstream = uniform(scope, Shape.of(LayerShapes.batched(c.batch, c.output)), SEED + 3);
            List<float[]> initial = layer.weights().stream().map(p -> p.value().toFloatArray()).toList();
            for (boolean training : new boolean[] {true, false}) {
                Map<String, float[]> expected = run(c, layer, inputs, upstream, training, Backends.get("java"),
                        initial);
                Map<String, float[]> actual = run(c, layer, inputs, upstream, training, Backends.get("native"),
                        initial);
                assertEquals(expected.keySet(), actual.keySet());
                for (String key : expected.keySet()) {
                    String what = key + " (training=" + training + ")";
                    assertEquals(0, maxRelativeError(actual.get(key), expected.get(key)), NATIVE_TOLERANCE, what);
                }
            }
        }
    }

    /** Output, gradients and weights after one forward and backward pass from the initial weights. */
    private static Map<String, float[]> run(LayerCase c, Layer layer, List<Parameter> inputs, Tensor upstream,
                                            boolean training, Backend backend, List<float[]> initialWeights) {
        for (int i = 0; i < initialWeights.size(); i++) layer.weights().get(i).assign(initialWeights.get(i));
        zeroGrads(layer, inputs);
        Map<String, float[]> out = new LinkedHashMap<>();
        try (MemoryScope step = MemoryScope.open("step")) {
            GradientTape tape = new GradientTape();
            Var y = forward(c, layer, new Ops(backend, step, tape), inputs, training);
            out.put("output", y.value().toFloatArray());
            tape.backward(y, upstream);
        }
        for (Parameter p : differentiable(c, layer, inputs)) {
            assertTrue(p.hasGrad(), p + " got no gradient on " + backend.name());
            out.put("gradient of " + p.name(), p.grad().toFloatArray());
        }
        for (Parameter p : layer.weights()) out.put("value of " + p.name(), p.value().toFloatArray());
        return out;
    }

    /**
     * Gradients of {@code L = Σ y · r} (r fixed and random) with respect to the inputs and every trainable
     * weight match central differences on the Java backend, in training and inference; frozen weights
     * get none.
     */
    static void checkGradients(LayerCase c) {
        Backend backend = Backends.get("java");
        try (MemoryScope scope = MemoryScope.open("weights")) {
            Layer layer = build(c, scope);
            List<Parameter> inputs = inputs(c, scope);
            float[] r = uniform(scope, Shape.of(LayerShapes.batched(c.batch, c.output)), SEED + 5).toFloatArray();
            for (boolean training : new boolean[] {true, false}) {
                zeroGrads(layer, inputs);
                try (MemoryScope step = MemoryScope.open("step")) {
                    GradientTape tape = new GradientTape();
                    Var y = forward(c, layer, new Ops(backend, step, tape), inputs, training);
                    tape.backward(y, Tensor.of(step, r, y.shape().dims()));
                }
                for (Parameter p : layer.nonTrainableWeights()) {
                    assertFalse(p.hasGrad() && nonZero(p.grad().toFloatArray()), p + " is frozen but got a gradient");
                }
                for (Parameter p : differentiable(c, layer, inputs)) {
                    assertTrue(p.hasGrad(), p + " got no gradient");
                    float[] analytic = p.grad().toFloatArray();
                    Tensor w = p.value();
                    int n = (int) w.size();
                    for (int k = 0; k < Math.min(n, CHECKS_PER_TENSOR); k++) {
                        int i = (int) ((long) k * (n - 1) / Math.max(1, CHECKS_PER_TENSOR - 1));
                        float old = w.toFloatArray()[i];
                        set(p, i, (float) (old + STEP));
                        double up = weightedSum(c, layer, inputs, r, training, backend);
                        set(p, i, (float) (old - STEP));
                        double down = weightedSum(c, layer, inputs, r, training, backend);
                        set(p, i, old);
                        double numeric = (up - down) / (2 * STEP);
                        assertEquals(numeric, analytic[i], 2e-3 + 2e-2 * Math.abs(numeric),
                                p.name() + "[" + i + "] (training=" + training + ")");
                    }
                }
            }
        }
    }

    private static double weightedSum(LayerCase c, Layer layer, List<Parameter> inputs, float[] r, boolean training,
                                      Backend backend) {
        try (MemoryScope step = MemoryScope.open("probe")) {
            float[] y = forward(c, layer, new Ops(backend, step, null), inputs, training).value().toFloatArray();
            double sum = 0;
            for (int i = 0; i < y.length; i++) sum += (double) y[i] * r[i];
            return sum;
        }
    }

    // ---- for the tests of single layers -----------------------------------------------------

    /** {@code layer} built for examples of these shapes, its weights in {@code scope}. */
    static <T extends Layer> T built(T layer, MemoryScope scope, long[]... exampleShapes) {
        layer.build(BuildContext.of(scope, SEED), Arrays.stream(exampleShapes).map(Shape::of).toList());
        return layer;
    }

    /** The output values of a built layer on {@code inputs} (batched), on the named backend. */
    static float[] run(Layer layer, String backend, boolean training, Tensor... inputs) {
        try (MemoryScope step = MemoryScope.open("run")) {
            Ops ops = new Ops(Backends.get(backend), step, null);
            return layer.call(Arrays.stream(inputs).map(ops::constant).toList(), training).value()
                    .toFloatArray();
        }
    }

    // ---- plumbing -------------------------------------------------------------------------

    static Layer build(LayerCase c, MemoryScope scope) {
        Layer layer = c.factory.get();
        layer.build(BuildContext.of(scope, SEED), c.inputShapes);
        return layer;
    }

    /** The inputs of one batch, as parameters so that their gradients are kept. */
    static List<Parameter> inputs(LayerCase c, MemoryScope scope) {
        List<Parameter> inputs = new ArrayList<>();
        for (int i = 0; i < c.inputShapes.size(); i++) {
            Shape shape = Shape.of(LayerShapes.batched(c.batch, c.inputShapes.get(i)));
            float[] v = c.indexRange > 0 ? indices(shape.size(), c.indexRange, SEED + i)
                    : spread(shape.size(), SEED + i);
            inputs.add(new Parameter("input" + i, Tensor.of(scope, v, shape.dims()), true));
        }
        return inputs;
    }

    /** Distinct values {@code (k + 1/2)·2/n - 1} in random order: no ties, none within 1/n of 0. */
    private static float[] spread(long count, long seed) {
        int n = Math.toIntExact(count);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) ((order[i] + 0.5) * 2.0 / n - 1);
        return v;
    }

    /** Integer indices in [0, range), with repeats, so gradients of shared rows add up. */
    private static float[] indices(long count, int range, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] v = new float[Math.toIntExact(count)];
        for (int i = 0; i < v.length; i++) v[i] = random.nextInt(range);
        return v;
    }

    private static Tensor uniform(MemoryScope scope, Shape shape, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] v = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < v.length; i++) v[i] = (float) random.nextDouble(-1, 1);
        return Tensor.of(scope, v, shape.dims());
    }

    /** Calls the layer on the inputs; differentiable inputs take gradients when a tape records. */
    static Var forward(LayerCase c, Layer layer, Ops ops, List<Parameter> inputs, boolean training) {
        List<Var> xs = inputs.stream().map(p -> c.differentiableInputs() ? ops.param(p) : ops.constant(p.value()))
                .toList();
        Var y = layer.call(xs, training);
        assertNotNull(y, "call returned null");
        return y;
    }

    private static List<Parameter> differentiable(LayerCase c, Layer layer, List<Parameter> inputs) {
        List<Parameter> all = new ArrayList<>(layer.trainableWeights());
        if (c.differentiableInputs()) all.addAll(inputs);
        return all;
    }

    private static void zeroGrads(Layer layer, List<Parameter> inputs) {
        layer.weights().forEach(Parameter::zeroGrad);
        inputs.forEach(Parameter::zeroGrad);
    }

    /** Writes one weight directly, so marks the parameter modified (its packed forms are stale). */
    private static void set(Parameter p, int flat, float value) {
        float[] v = p.value().toFloatArray();
        v[flat] = value;
        p.value().copyFrom(v);
        p.markModified();
    }

    private static boolean nonZero(float[] v) {
        for (float x : v) if (x != 0f) return true;
        return false;
    }

    /** As the native-vs-Java op tests: {@code |a - e| / max(1, |e|)}, NaN counting as infinite. */
    static double maxRelativeError(float[] actual, float[] expected) {
        assertEquals(expected.length, actual.length, "element count");
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(actual[i] - expected[i]) / Math.max(1.0, Math.abs(expected[i]));
            worst = Math.max(worst, Double.isNaN(err) ? Double.POSITIVE_INFINITY : err);
        }
        return worst;
    }

    /** The config as a JSON parser returns it: every number a Double, lists and maps copied. */
    private static Map<String, Object> asJson(Map<String, Object> config) {
        Map<String, Object> out = new LinkedHashMap<>();
        config.forEach((k, v) -> out.put(k, jsonValue(v)));
        return out;
    }

    private static Object jsonValue(Object v) {
        if (v instanceof Number n) return n.doubleValue();
        if (v instanceof List<?> list) return list.stream().map(LayerTester::jsonValue).toList();
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put((String) k, jsonValue(x)));
            return out;
        }
        return v;
    }
}
