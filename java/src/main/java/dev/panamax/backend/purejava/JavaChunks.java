package dev.panamax.backend.purejava;

import java.lang.foreign.ValueLayout;

/**
 * How the element-wise op families cut work: tasks of {@link #TASK} elements on the runner once
 * an op has {@link #PARALLEL_MIN} of them (small calls stay on the caller's thread), and heap
 * blocks of {@link #BLOCK} floats inside a task, which the JIT vectorizes and L1 holds.
 */
final class JavaChunks {
    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT;
    static final long PARALLEL_MIN = 1 << 16;
    static final int TASK = 1 << 16;
    static final int BLOCK = 1 << 12;

    private JavaChunks() {
    }

    /** Body of one task: elements {@code [start, start + length)}. */
    interface Range {
        void run(long start, int length);
    }

    /** Runs {@code body} over {@code [0, n)}: in one call when small, else in TASK-sized tasks on par. */
    static void forChunks(ParallelRunner par, long n, Range body) {
        if (n < PARALLEL_MIN) {
            body.run(0, (int) n);
            return;
        }
        par.forRange(tasks(n, TASK), t -> {
            long start = (long) t * TASK;
            body.run(start, (int) Math.min(TASK, n - start));
        });
    }

    /** The number of tasks of {@code per} items covering {@code n}. */
    static int tasks(long n, long per) {
        long t = (n + per - 1) / per;
        if (t > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("java backend: " + n + " items in tasks of " + per + " are too many tasks");
        }
        return (int) t;
    }

    /** {@code v} as an array length, or an error naming the op. */
    static int arrayLength(String op, long v) {
        if (v > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(op + ": " + v + " elements in one row are too many for a Java array");
        }
        return (int) v;
    }
}
