package dev.panamax.backend.purejava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.panamax.ComputeThreads;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Java backend's parallel loops: every index once, failures rethrown, nesting safe. */
class PoolRunnerTest {
    private final PoolRunner runner = new PoolRunner();
    private int savedThreads;

    @BeforeEach
    void saveThreads() {
        savedThreads = ComputeThreads.get();
        ComputeThreads.set(4);
    }

    @AfterEach
    void restore() {
        ComputeThreads.set(savedThreads);
        runner.close();
    }

    @Test
    void runsEveryIndexOnceIncludingNestedLoops() {
        AtomicIntegerArray hits = new AtomicIntegerArray(50 * 7);
        runner.forRange(50, i -> runner.forRange(7, j -> hits.incrementAndGet(i * 7 + j)));
        for (int i = 0; i < hits.length(); i++) assertEquals(1, hits.get(i), "index " + i);
    }

    @Test
    void rethrowsTheFailureOfABody() {
        IllegalStateException boom = new IllegalStateException("boom");
        var e = assertThrows(IllegalStateException.class, () -> runner.forRange(20, i -> {
            if (i == 13) throw boom;
        }));
        assertSame(boom, e);
    }

    @Test
    void perWorkerScratchIsMadeOnlyByWorkersThatGetTasks() {
        AtomicIntegerArray hits = new AtomicIntegerArray(100);
        int[] made = new int[1];
        PerWorker.forEach(ParallelRunner.SERIAL, 100, () -> ++made[0], (w, t) -> hits.incrementAndGet(t));
        assertEquals(1, made[0]);
        for (int i = 0; i < 100; i++) assertEquals(1, hits.get(i));
    }
}
