package dev.panamax.backend.purejava;

import java.util.function.IntConsumer;

/**
 * How the Java backend's op families spread work over its workers: {@code body} runs once for
 * every index in {@code [0, count)}, on the backend's pool, and the call returns when all are
 * done (an exception in any body is rethrown). Indices are independent tasks, so results must
 * not depend on which worker runs which index.
 */
interface ParallelRunner {
    void forRange(int count, IntConsumer body);

    /** Runs every index on the calling thread: for tests and tiny inputs. */
    ParallelRunner SERIAL = (count, body) -> {
        for (int i = 0; i < count; i++) body.accept(i);
    };
}
