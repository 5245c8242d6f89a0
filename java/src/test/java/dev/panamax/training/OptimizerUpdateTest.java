package dev.panamax.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.panamax.autograd.Parameter;
import dev.panamax.backend.Backend;
import dev.panamax.backend.Backends;
import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every optimizer, on both backends, against Keras' update formulas evaluated in double: several steps
 * over two parameters, plain and with each kind of clipping and with weight decay.
 */
class OptimizerUpdateTest {
    private static final int STEPS = 5;
    private static final float LR = 0.1f;

    /** Keras' update rule for one parameter, in double; state holds the slots. */
    @FunctionalInterface
    interface Rule {
        void step(double[] p, double[] g, double[][] state, double lr, long t);
    }

    /** weightDecay: the optimizer's own default (AdamW's); a Clipping's weight decay replaces it. */
    record Case(String name, Supplier<Optimizer> optimizer, int slots, double slotInit, double weightDecay, Rule rule) {
        @Override
        public String toString() {
            return name;
        }
    }

    record Clipping(String name, double clipnorm, double globalClipnorm, double clipvalue, double weightDecay) {
        @Override
        public String toString() {
            return name;
        }

        Optimizer configure(Optimizer o) {
            if (clipnorm > 0) o.clipnorm(clipnorm);
            if (globalClipnorm > 0) o.globalClipnorm(globalClipnorm);
            if (clipvalue > 0) o.clipvalue(clipvalue);
            if (weightDecay > 0) o.weightDecay(weightDecay);
            return o;
        }
    }

    static List<Case> cases() {
        return List.of(
                new Case("sgd", () -> new SGD(LR), 0, 0, 0, (p, g, s, lr, t) -> {
                    for (int i = 0; i < p.length; i++) p[i] -= lr * g[i];
                }),
                new Case("sgd momentum", () -> new SGD(LR, 0.9, false), 1, 0, 0, sgd(0.9f, false)),
                new Case("sgd nesterov", () -> new SGD(LR, 0.9, true), 1, 0, 0, sgd(0.9f, true)),
                new Case("adam", () -> new Adam(LR), 2, 0, 0, adam()),
                new Case("adamw", () -> new AdamW(LR, 0.05), 2, 0, 0.05f, adam()),
                new Case("rmsprop", () -> new RMSprop(LR), 3, 0, 0, rmsprop(0, false)),
                new Case("rmsprop momentum", () -> new RMSprop(LR, 0.9, 0.5, 1e-7, false), 3, 0, 0,
                        rmsprop(0.5f, false)),
                new Case("rmsprop centered", () -> new RMSprop(LR, 0.9, 0, 1e-7, true), 3, 0, 0, rmsprop(0, true)),
                new Case("rmsprop centered momentum", () -> new RMSprop(LR, 0.9, 0.5, 1e-7, true), 3, 0, 0,
                        rmsprop(0.5f, true)),
                new Case("adagrad", () -> new Adagrad(LR), 1, 0.1f, 0, (p, g, s, lr, t) -> {
                    for (int i = 0; i < p.length; i++) {
                        s[0][i] += g[i] * g[i];
                        p[i] -= lr * g[i] / Math.sqrt(s[0][i] + (double) 1e-7f);
                    }
                }));
    }

    static Rule sgd(float momentum, boolean nesterov) {
        return (p, g, s, lr, t) -> {
            for (int i = 0; i < p.length; i++) {
                s[0][i] = momentum * s[0][i] - lr * g[i];
                p[i] += nesterov ? momentum * s[0][i] - lr * g[i] : s[0][i];
            }
        };
    }

    static Rule adam() {
        double b1 = 0.9f;
        double b2 = 0.999f;
        double eps = 1e-7f;
        return (p, g, s, lr, t) -> {
            double alpha = lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
            for (int i = 0; i < p.length; i++) {
                s[0][i] = b1 * s[0][i] + (1 - b1) * g[i];
                s[1][i] = b2 * s[1][i] + (1 - b2) * g[i] * g[i];
                p[i] -= alpha * s[0][i] / (Math.sqrt(s[1][i]) + eps);
            }
        };
    }

    /** Slots: velocity, momentum, average gradient. */
    static Rule rmsprop(float momentum, boolean centered) {
        double rho = 0.9f;
        double eps = 1e-7f;
        return (p, g, s, lr, t) -> {
            for (int i = 0; i < p.length; i++) {
                s[0][i] = rho * s[0][i] + (1 - rho) * g[i] * g[i];
                double denominator = s[0][i] + eps;
                if (centered) {
                    s[2][i] = rho * s[2][i] + (1 - rho) * g[i];
                    denominator = s[0][i] - s[2][i] * s[2][i] + eps;
                }
                double increment = lr * g[i] / Math.sqrt(denominator);
                if (momentum > 0) {
                    s[1][i] = momentum * s[1][i] + increment;
                    p[i] -= s[1][i];
                } else {
                    p[i] -= increment;
                }
            }
        };
    }

    static List<Clipping> clippings() {
        return List.of(new Clipping("no clipping", 0, 0, 0, 0), new Clipping("clipnorm", 1.0, 0, 0, 0),
                new Clipping("global_clipnorm", 0, 1.5, 0, 0), new Clipping("clipvalue", 0, 0, 0.3, 0),
                new Clipping("weight_decay", 0, 0, 0, 0.1));
    }

    static Stream<Arguments> everyCase() {
        List<Arguments> all = new ArrayList<>();
        for (String backend : List.of("java", "native")) {
            for (Case c : cases()) {
                for (Clipping clip : clippings()) all.add(Arguments.of(backend, c, clip));
            }
        }
        return all.stream();
    }

    /** Gradients with mixed signs and magnitudes up to 2, so clipping engages. */
    private static float[] gradient(int parameter, int size, int step) {
        float[] g = new float[size];
        for (int i = 0; i < size; i++) {
            g[i] = (float) (2 * Math.sin(1.3 * i + 0.7 * step + 2.1 * parameter));
        }
        return g;
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("everyCase")
    void updateFollowsKerasFormula(String backendName, Case c, Clipping clipping) {
        Backend backend = Backends.get(backendName);
        int[] sizes = {6, 4};
        long[][] shapes = {{2, 3}, {4}};
        try (MemoryScope scope = MemoryScope.open("optimizer test")) {
            List<Parameter> params = new ArrayList<>();
            double[][] expected = new double[sizes.length][];
            double[][][] state = new double[sizes.length][][];
            for (int k = 0; k < sizes.length; k++) {
                float[] init = new float[sizes[k]];
                for (int i = 0; i < init.length; i++) init[i] = (float) (0.5 + 0.25 * i - 0.3 * k);
                params.add(new Parameter("w" + k, Tensor.of(scope, init, shapes[k]), true));
                expected[k] = new double[sizes[k]];
                for (int i = 0; i < init.length; i++) expected[k][i] = init[i];
                state[k] = new double[Math.max(c.slots(), 1)][sizes[k]];
                for (double[] slot : state[k]) Arrays.fill(slot, c.slotInit());
            }
            Optimizer optimizer = clipping.configure(c.optimizer().get());
            for (int step = 0; step < STEPS; step++) {
                double[][] grads = new double[sizes.length][];
                for (int k = 0; k < sizes.length; k++) {
                    float[] g = gradient(k, sizes[k], step);
                    params.get(k).grad().copyFrom(g);
                    grads[k] = new double[g.length];
                    for (int i = 0; i < g.length; i++) grads[k][i] = g[i];
                }
                referenceClip(clipping, grads);
                for (int k = 0; k < sizes.length; k++) {
                    double wd = clipping.weightDecay() > 0 ? (float) clipping.weightDecay() : c.weightDecay();
                    for (int i = 0; i < sizes[k]; i++) expected[k][i] -= expected[k][i] * wd * LR;
                    c.rule().step(expected[k], grads[k], state[k], LR, step + 1);
                }
                optimizer.apply(backend, params);
                for (int k = 0; k < sizes.length; k++) {
                    float[] actual = params.get(k).value().toFloatArray();
                    for (int i = 0; i < actual.length; i++) {
                        assertEquals(expected[k][i], actual[i], 2e-6 + 2e-5 * Math.abs(expected[k][i]),
                                c + ", " + clipping + ": w" + k + "[" + i + "] after step " + (step + 1));
                    }
                }
            }
            assertEquals(STEPS, optimizer.iterations());
        }
    }

    /** Keras' _clip_gradients, in double. */
    private static void referenceClip(Clipping clipping, double[][] grads) {
        if (clipping.clipnorm() > 0) {
            for (double[] g : grads) scale(g, clipping.clipnorm() / Math.max(norm(g), clipping.clipnorm()));
        } else if (clipping.globalClipnorm() > 0) {
            double sum = 0;
            for (double[] g : grads) sum += norm(g) * norm(g);
            double global = Math.sqrt(sum);
            for (double[] g : grads) scale(g, clipping.globalClipnorm() / Math.max(global, clipping.globalClipnorm()));
        } else if (clipping.clipvalue() > 0) {
            double v = (float) clipping.clipvalue();
            for (double[] g : grads) {
                for (int i = 0; i < g.length; i++) g[i] = Math.max(-v, Math.min(v, g[i]));
            }
        }
    }

    private static double norm(double[] g) {
        double s = 0;
        for (double x : g) s += x * x;
        return Math.sqrt(s);
    }

    private static void scale(double[] g, double factor) {
        for (int i = 0; i < g.length; i++) g[i] *= factor;
    }
}
