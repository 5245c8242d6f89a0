package dev.panamax.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.panamax.autograd.GradientTape;
import dev.panamax.autograd.Ops;
import dev.panamax.autograd.Parameter;
import dev.panamax.autograd.Var;
import dev.panamax.data.FloatArray;
import dev.panamax.layers.Conv2D;
import dev.panamax.layers.Dense;
import dev.panamax.layers.Flatten;
import dev.panamax.layers.Input;
import dev.panamax.layers.MaxPooling2D;
import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Tensor;
import dev.panamax.training.Loss;
import dev.panamax.training.Losses;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Whole-model gradients (through conv, pool, dense, softmax and the loss) against central differences. */
class ModelGradientTest {

    @ParameterizedTest
    @ValueSource(strings = {"sparse_categorical_crossentropy", "categorical_crossentropy", "mse"})
    void backpropMatchesFiniteDifferences(String lossName) {
        SplittableRandom r = new SplittableRandom(7);
        int n = 3;
        float[] x = new float[n * 6 * 6 * 2];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble(-1, 1);
        boolean sparse = lossName.startsWith("sparse");
        float[] y = new float[sparse ? n : n * 4];
        for (int i = 0; i < n; i++) {
            if (sparse) y[i] = i % 4;
            else y[i * 4 + (i % 4)] = 1;
        }
        try (Sequential m = new Sequential(Input.shape(6, 6, 2), new Conv2D(3, 3, "tanh"), new MaxPooling2D(2),
                new Flatten(), new Dense(4, "softmax"))) {
            m.setBackend("java").setSeed(1);
            m.build();
            Loss loss = Losses.get(lossName);
            FloatArray xa = FloatArray.of(x, n, 6, 6, 2);
            FloatArray ya = sparse ? FloatArray.of(y, n) : FloatArray.of(y, n, 4);
            List<Parameter> params = m.weights();
            try (MemoryScope s = MemoryScope.open("grad")) {
                GradientTape tape = new GradientTape();
                Ops ops = new Ops(m.backend(), s, tape);
                Var out = m.forward(List.of(ops.constant(Model.toTensor(s, xa))), true);
                Var l = loss.compute(out, Model.toTensor(s, ya));
                tape.backward(l);
            }
            for (Parameter p : params) {
                float[] g = p.grad().toFloatArray();
                Tensor w = p.value();
                for (int i = 0; i < w.size(); i += Math.max(1, (int) w.size() / 7)) {
                    float old = w.getFloat(w.shape().dims().length == 1 ? new long[] {i} : unravel(w, i));
                    double h = 1e-3;
                    set(p, i, (float) (old + h));
                    double up = lossOf(m, loss, xa, ya);
                    set(p, i, (float) (old - h));
                    double down = lossOf(m, loss, xa, ya);
                    set(p, i, old);
                    double numeric = (up - down) / (2 * h);
                    assertEquals(numeric, g[i], 2e-3 + 2e-2 * Math.abs(numeric), p.name() + "[" + i + "]");
                }
            }
        }
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

    /** Writes one weight directly, so marks the parameter modified (its packed forms are stale). */
    private static void set(Parameter p, long flat, float v) {
        p.value().setFloat(v, unravel(p.value(), flat));
        p.markModified();
    }

    private static double lossOf(Model m, Loss loss, FloatArray x, FloatArray y) {
        try (MemoryScope s = MemoryScope.open("eval")) {
            Ops ops = new Ops(m.backend(), s, null);
            Var out = m.forward(List.of(ops.constant(Model.toTensor(s, x))), false);
            return loss.compute(out, Model.toTensor(s, y)).value().getFloat(0);
        }
    }
}
