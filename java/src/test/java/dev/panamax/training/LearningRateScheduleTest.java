package dev.panamax.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Schedules against values worked out by hand. */
class LearningRateScheduleTest {
    private static final double TOLERANCE = 1e-7;

    private static void assertRejects(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) assertTrue(e.getMessage().contains(f), e.getMessage());
    }

    @Test
    void exponentialDecay() {
        ExponentialDecay smooth = new ExponentialDecay(0.1, 10, 0.5);
        assertEquals(0.1, smooth.rate(0), TOLERANCE);
        assertEquals(0.1 / Math.sqrt(2), smooth.rate(5), TOLERANCE);
        assertEquals(0.05, smooth.rate(10), TOLERANCE);
        assertEquals(0.0125, smooth.rate(30), TOLERANCE);
        ExponentialDecay stairs = new ExponentialDecay(0.1, 10, 0.5, true);
        assertEquals(0.1, stairs.rate(9), TOLERANCE);
        assertEquals(0.05, stairs.rate(10), TOLERANCE);
        assertEquals(0.025, stairs.rate(29), TOLERANCE);
        assertRejects(() -> new ExponentialDecay(0.1, 0, 0.5), "decay_steps=0");
        assertRejects(() -> new ExponentialDecay(0.1, 10, -2), "decay_rate=-2.0");
    }

    @Test
    void piecewiseConstantDecayIncludesEachBoundaryInTheEarlierPiece() {
        PiecewiseConstantDecay s = new PiecewiseConstantDecay(List.of(100L, 200L), List.of(1.0, 0.5, 0.1));
        assertEquals(1.0f, s.rate(0));
        assertEquals(1.0f, s.rate(100));
        assertEquals(0.5f, s.rate(101));
        assertEquals(0.5f, s.rate(200));
        assertEquals(0.1f, s.rate(201));
        assertEquals(0.1f, s.rate(1_000_000));
        assertRejects(() -> new PiecewiseConstantDecay(List.of(100L), List.of(1.0)), "1 less than",
                "boundaries=[100] of length 1", "values=[1.0] of length 1");
        assertRejects(() -> new PiecewiseConstantDecay(List.of(5L, 5L), List.of(1.0, 0.5, 0.1)), "increasing");
    }

    @Test
    void cosineDecayWithAndWithoutAlpha() {
        CosineDecay plain = new CosineDecay(1.0, 100);
        assertEquals(1.0, plain.rate(0), TOLERANCE);
        assertEquals(0.5, plain.rate(50), TOLERANCE);
        assertEquals((1 + Math.cos(Math.PI / 4)) / 2, plain.rate(25), TOLERANCE);
        assertEquals(0.0, plain.rate(100), TOLERANCE);
        assertEquals(0.0, plain.rate(150), TOLERANCE);
        CosineDecay floor = new CosineDecay(2.0, 100, 0.1);
        assertEquals(2.0 * (0.9 * 0.5 + 0.1), floor.rate(50), TOLERANCE);
        assertEquals(0.2, floor.rate(100), TOLERANCE);
        assertEquals(0.2, floor.rate(1000), TOLERANCE);
        assertRejects(() -> new CosineDecay(1.0, 0), "decay_steps=0");
        assertRejects(() -> new CosineDecay(1.0, 10, 1.5), "alpha=1.5");
    }

    @Test
    void cosineDecayWarmsUpLinearlyThenDecaysFromTheTarget() {
        CosineDecay s = new CosineDecay(0.0, 100, 0.0, 1.0, 10);
        assertEquals(0.0, s.rate(0), TOLERANCE);
        assertEquals(0.5, s.rate(5), TOLERANCE);
        assertEquals(0.9, s.rate(9), TOLERANCE);
        assertEquals(1.0, s.rate(10), TOLERANCE);
        assertEquals(0.5, s.rate(60), TOLERANCE);
        assertEquals(0.0, s.rate(110), TOLERANCE);
        assertEquals(0.0, s.rate(500), TOLERANCE);
        CosineDecay fromNonZero = new CosineDecay(0.2, 100, 0.0, 1.0, 4);
        assertEquals(0.2 + 0.8 * 0.25, fromNonZero.rate(1), TOLERANCE);
    }

    @Test
    void linearWarmupInFrontOfAnySchedule() {
        LinearWarmup s = new LinearWarmup(new ExponentialDecay(0.1, 10, 0.5), 4);
        assertEquals(0.0, s.rate(0), TOLERANCE);
        assertEquals(0.05, s.rate(2), TOLERANCE);
        assertEquals(0.1, s.rate(4), TOLERANCE);
        assertEquals(0.05, s.rate(14), TOLERANCE);
        LinearWarmup fromSome = new LinearWarmup(LearningRateSchedule.constant(1.0), 10, 0.5);
        assertEquals(0.75, fromSome.rate(5), TOLERANCE);
        assertEquals(1.0, fromSome.rate(10), TOLERANCE);
        assertEquals(1.0, new LinearWarmup(LearningRateSchedule.constant(1.0), 0).rate(0), TOLERANCE);
        assertRejects(() -> new LinearWarmup(step -> 1f, -1), "warmup_steps=-1");
    }

    @Test
    void constantRejectsNegativeAndNonFiniteRates() {
        assertEquals(0.25f, LearningRateSchedule.constant(0.25).rate(123));
        assertRejects(() -> LearningRateSchedule.constant(-0.1), "learning_rate=-0.1");
        assertRejects(() -> LearningRateSchedule.constant(Double.POSITIVE_INFINITY), "learning_rate=Infinity");
    }
}
