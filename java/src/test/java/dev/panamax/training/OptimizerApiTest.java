package dev.panamax.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.autograd.Parameter;
import dev.panamax.backend.Backend;
import dev.panamax.backend.Backends;
import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Optimizer arguments, names, validation and learning-rate handling. */
class OptimizerApiTest {
    private final Backend backend = Backends.get("java");

    private static void assertRejects(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) assertTrue(e.getMessage().contains(f), e.getMessage());
    }

    @Test
    void kerasNamesGiveKerasDefaults() {
        assertInstanceOf(Adam.class, Optimizers.get("adam"));
        assertInstanceOf(Adam.class, Optimizers.get("Adam"));
        assertInstanceOf(SGD.class, Optimizers.get("SGD"));
        assertInstanceOf(RMSprop.class, Optimizers.get("rmsprop"));
        assertInstanceOf(Adagrad.class, Optimizers.get("adagrad"));
        AdamW adamw = assertInstanceOf(AdamW.class, Optimizers.get("AdamW"));
        assertEquals("adamw", adamw.name());
        assertEquals(0.004f, adamw.weightDecay());
        assertEquals(0.001f, adamw.learningRate());
        assertEquals(0.01f, Optimizers.get("sgd").learningRate());
        RMSprop rmsprop = new RMSprop();
        assertEquals(0.9f, rmsprop.rho());
        assertEquals(0f, rmsprop.momentum());
        assertEquals(1e-7f, rmsprop.epsilon());
        assertEquals(false, rmsprop.centered());
        Adagrad adagrad = new Adagrad();
        assertEquals(0.1f, adagrad.initialAccumulatorValue());
        assertEquals(1e-7f, adagrad.epsilon());
        assertEquals(0f, new Adam().weightDecay());
        assertRejects(() -> Optimizers.get("adadelta"), "Unknown optimizer", "adadelta");
    }

    @Test
    void invalidArgumentsNameTheArgumentAndValue() {
        assertRejects(() -> new Adam(0.1, 1.5, 0.999, 1e-7), "Adam", "beta_1=1.5");
        assertRejects(() -> new AdamW(0.1, -0.5), "weight_decay=-0.5");
        assertRejects(() -> new SGD(0.1, -1, false), "SGD", "momentum=-1.0");
        assertRejects(() -> new RMSprop(0.1, 1.0, 0, 1e-7, false), "RMSprop", "rho=1.0");
        assertRejects(() -> new Adagrad(0.1, 0.1, 0), "Adagrad", "epsilon=0.0");
        assertRejects(() -> new Adagrad(0.1, -1, 1e-7), "initial_accumulator_value=-1.0");
        assertRejects(() -> new SGD(Double.NaN), "learning_rate=NaN");
        assertRejects(() -> new Adam().clipnorm(-1), "clipnorm=-1.0");
        assertRejects(() -> new Adam().weightDecay(Double.POSITIVE_INFINITY), "weight_decay=Infinity");
        assertRejects(() -> new Adam().clipnorm(1).clipvalue(0.5),
                "only one of clipnorm, clipvalue and global_clipnorm", "clipnorm=1.0", "clipvalue=0.5");
        assertRejects(() -> new SGD().clipvalue(0.5).globalClipnorm(2), "global_clipnorm=2.0");
    }

    @Test
    void clippingSettersChainAndCanBeTurnedOff() {
        Optimizer o = new SGD(0.1).clipnorm(1.0).weightDecay(0.01);
        assertEquals(1f, o.clipnorm());
        assertEquals(0.01f, o.weightDecay());
        o.clipnorm(0).clipvalue(0.25);
        assertEquals(0f, o.clipnorm());
        assertEquals(0.25f, o.clipvalue());
    }

    @Test
    void eachStepUsesTheScheduleAtTheStepCountBeforeIt() {
        // p -= lr(step)·g with g = 1: the parameter's path records each step's rate
        SGD sgd = new SGD(new PiecewiseConstantDecay(List.of(0L, 1L), List.of(0.5, 0.25, 0.125)));
        try (MemoryScope scope = MemoryScope.open("schedule")) {
            Parameter p = new Parameter("w", Tensor.of(scope, new float[] {1f}, 1), true);
            float[] seen = new float[4];
            for (int step = 0; step < 4; step++) {
                p.grad().fill(1f);
                float before = p.value().getFloat(0);
                sgd.apply(backend, List.of(p));
                seen[step] = before - p.value().getFloat(0);
            }
            assertArrayEquals(new float[] {0.5f, 0.25f, 0.125f, 0.125f}, seen);
            assertEquals(4, sgd.iterations());
        }
    }

    @Test
    void scheduledRateCannotBeOverwrittenButConstantCan() {
        Adam scheduled = new Adam(new ExponentialDecay(0.1, 10, 0.5));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> scheduled.setLearningRate(0.01));
        assertTrue(e.getMessage().contains("LearningRateSchedule"), e.getMessage());
        Adam constant = new Adam(0.1);
        constant.setLearningRate(0.02);
        assertEquals(0.02f, constant.learningRate());
        constant.setSchedule(step -> 0.5f);
        assertEquals(0.5f, constant.learningRate());
        assertThrows(IllegalStateException.class, () -> constant.setLearningRate(0.01));
    }

    @Test
    void frozenParametersAndOnesWithoutGradientsAreLeftAlone() {
        try (MemoryScope scope = MemoryScope.open("skip")) {
            Parameter frozen = new Parameter("frozen", Tensor.of(scope, new float[] {1f, 2f}, 2), false);
            Parameter untouched = new Parameter("untouched", Tensor.of(scope, new float[] {3f}, 1), true);
            Parameter live = new Parameter("live", Tensor.of(scope, new float[] {4f}, 1), true);
            frozen.grad().fill(1f);
            live.grad().fill(1f);
            Optimizer adagrad = new Adagrad(0.5).clipnorm(10);
            adagrad.apply(backend, List.of(frozen, untouched, live));
            assertArrayEquals(new float[] {1f, 2f}, frozen.value().toFloatArray());
            assertArrayEquals(new float[] {3f}, untouched.value().toFloatArray());
            assertEquals(4f - 0.5f / (float) Math.sqrt(1.1 + 1e-7), live.value().getFloat(0), 1e-6);
            assertEquals(1, adagrad.slots().size());
        }
    }

    @Test
    void nonFiniteGlobalNormMakesGradientsNaNAsKerasDoes() {
        try (MemoryScope scope = MemoryScope.open("nan")) {
            Parameter a = new Parameter("a", Tensor.of(scope, new float[] {1f}, 1), true);
            Parameter b = new Parameter("b", Tensor.of(scope, new float[] {1f}, 1), true);
            a.grad().fill(Float.POSITIVE_INFINITY);
            b.grad().fill(1f);
            new SGD(0.1).globalClipnorm(1).apply(backend, List.of(a, b));
            assertTrue(Float.isNaN(b.value().getFloat(0)));
        }
    }
}
