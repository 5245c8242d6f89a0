package dev.panamax.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.autograd.GradientTape;
import dev.panamax.autograd.Ops;
import dev.panamax.autograd.Parameter;
import dev.panamax.autograd.Var;
import dev.panamax.data.FloatArray;
import dev.panamax.layers.Dense;
import dev.panamax.layers.Input;
import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;
import dev.panamax.training.Loss;
import dev.panamax.training.Losses;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Gradients through a functional graph with a shared layer, a skip connection and two weighted
 * outputs, against central differences of the total loss: a shared layer's gradient must be the sum
 * over its calls, and a skip's the sum over its paths.
 */
class FunctionalGradientTest {
    private static final double[] WEIGHTS = {1.0, 0.25};

    @Test
    void sharedLayerAndSkipGradientsMatchCentralDifferences() {
        SymbolicTensor a = new Input(Shape.of(3), "a").output();
        SymbolicTensor b = new Input(Shape.of(3), "b").output();
        Dense shared = new Dense(3, "tanh", "shared");
        SymbolicTensor ha = shared.apply(a);
        SymbolicTensor hb = shared.apply(b);
        SymbolicTensor merged = new TestAdd("merge").apply(ha, hb, a); // a also skips past the shared layer
        SymbolicTensor cls = new Dense(4, "softmax", "cls").apply(merged);
        SymbolicTensor reg = new Dense(2, null, "reg").apply(new Dense(3, "tanh", "again").apply(hb));
        SplittableRandom r = new SplittableRandom(11);
        int n = 5;
        FloatArray xa = FloatArray.of(uniform(r, n * 3), n, 3);
        FloatArray xb = FloatArray.of(uniform(r, n * 3), n, 3);
        float[] labels = new float[n];
        for (int i = 0; i < n; i++) labels[i] = i % 4;
        List<FloatArray> x = List.of(xa, xb);
        List<FloatArray> y = List.of(FloatArray.of(labels, n), FloatArray.of(uniform(r, n * 2), n, 2));
        List<Loss> losses = List.of(Losses.sparseCategoricalCrossentropy(false), Losses.meanSquaredError());
        try (Functional m = new Functional(List.of(a, b), List.of(cls, reg), "grad_check")) {
            m.setBackend("java").setSeed(4).build();
            assertEquals(8, m.weights().size(), "the shared layer's kernel and bias count once");
            try (MemoryScope s = MemoryScope.open("grad")) {
                GradientTape tape = new GradientTape();
                Ops ops = new Ops(m.backend(), s, tape);
                tape.backward(totalLoss(m, ops, s, x, y, losses));
            }
            int checked = 0;
            for (Parameter p : m.weights()) {
                float[] g = p.grad().toFloatArray();
                Tensor w = p.value();
                for (int i = 0; i < w.size(); i++) {
                    float old = w.getFloat(unravel(w, i));
                    double h = 1e-3;
                    set(p, i, (float) (old + h));
                    double up = lossOf(m, x, y, losses);
                    set(p, i, (float) (old - h));
                    double down = lossOf(m, x, y, losses);
                    set(p, i, old);
                    double numeric = (up - down) / (2 * h);
                    assertEquals(numeric, g[i], 2e-3 + 2e-2 * Math.abs(numeric), p.name() + "[" + i + "]");
                    checked++;
                }
            }
            assertEquals(m.countParams(), checked);
            assertTrue(maxAbs(shared.weights().get(0).grad().toFloatArray()) > 1e-3, "the shared kernel gets gradient");
        }
    }

    private static Var totalLoss(Functional m, Ops ops, MemoryScope s, List<FloatArray> x, List<FloatArray> y,
                                 List<Loss> losses) {
        List<Var> out = m.call(List.of(ops.constant(Model.toTensor(s, x.get(0))),
                ops.constant(Model.toTensor(s, x.get(1)))), ops.recording());
        Var total = null;
        for (int o = 0; o < 2; o++) {
            Var l = ops.affine(losses.get(o).compute(out.get(o), Model.toTensor(s, y.get(o))), (float) WEIGHTS[o], 0f);
            total = total == null ? l : ops.add(total, l);
        }
        return total;
    }

    private static double lossOf(Functional m, List<FloatArray> x, List<FloatArray> y, List<Loss> losses) {
        try (MemoryScope s = MemoryScope.open("eval")) {
            return totalLoss(m, new Ops(m.backend(), s, null), s, x, y, losses).value().getFloat(0);
        }
    }

    private static float[] uniform(SplittableRandom r, int count) {
        float[] v = new float[count];
        for (int i = 0; i < count; i++) v[i] = (float) r.nextDouble(-1, 1);
        return v;
    }

    private static double maxAbs(float[] v) {
        double m = 0;
        for (float f : v) m = Math.max(m, Math.abs(f));
        return m;
    }

    /** Writes one weight directly, so marks the parameter modified (its packed forms are stale). */
    private static void set(Parameter p, long flat, float v) {
        p.value().setFloat(v, unravel(p.value(), flat));
        p.markModified();
    }

    private static long[] unravel(Tensor t, long flat) {
        long[] dims = t.shape().dims();
        long[] idx = new long[dims.length];
        for (int d = dims.length - 1; d >= 0; d--) {
            idx[d] = flat % dims[d];
            flat /= dims[d];
        }
        return idx;
    }
}
