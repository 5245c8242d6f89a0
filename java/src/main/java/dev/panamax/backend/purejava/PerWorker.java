package dev.panamax.backend.purejava;

import dev.panamax.ComputeThreads;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A parallel loop whose workers each own scratch state (packed blocks, an image buffer), made
 * once per worker rather than once per task: {@code min(threads, count)} jobs on a
 * {@link ParallelRunner} take tasks one at a time, and a job makes its scratch only when it
 * gets its first task.
 */
final class PerWorker {
    private PerWorker() {
    }

    /** A task body that gets its worker's scratch state. */
    interface Body<W> {
        void run(W worker, int task);
    }

    static <W> void forEach(ParallelRunner par, int count, Supplier<W> scratch, Body<W> body) {
        int jobs = Math.min(ComputeThreads.get(), count);
        AtomicInteger next = new AtomicInteger();
        par.forRange(jobs, job -> {
            W w = null;
            for (int t; (t = next.getAndIncrement()) < count; ) {
                if (w == null) w = scratch.get();
                body.run(w, t);
            }
        });
    }
}
