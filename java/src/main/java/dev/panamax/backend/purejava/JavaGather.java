package dev.panamax.backend.purejava;

import static dev.panamax.backend.purejava.JavaChunks.F32;

import dev.panamax.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Row gather and its gradient, the scatter-add. The gather splits the indices into tasks; the
 * scatter-add splits the columns instead, so that each element still sums its rows in position
 * order (repeated indices would race, and a different order would change the float sums).
 */
final class JavaGather {
    /** Columns per scatter-add task: 4 KiB of each row. */
    private static final int COLUMN_BLOCK = 1024;

    private JavaGather() {
    }

    static void gatherRows(ParallelRunner par, Tensor table, Tensor indices, Tensor dst) {
        long cols = table.shape().dim(1);
        long rowBytes = cols * Float.BYTES;
        long n = indices.size();
        MemorySegment t = table.segment();
        MemorySegment ix = indices.segment();
        MemorySegment d = dst.segment();
        long perTask = Math.max(1, JavaChunks.TASK / cols);
        if (n * cols < JavaChunks.PARALLEL_MIN) {
            copyRows(t, ix, d, rowBytes, 0, n);
            return;
        }
        par.forRange(JavaChunks.tasks(n, perTask), task -> {
            long first = task * perTask;
            copyRows(t, ix, d, rowBytes, first, Math.min(n, first + perTask));
        });
    }

    private static void copyRows(MemorySegment table, MemorySegment indices, MemorySegment dst, long rowBytes,
                                 long from, long to) {
        for (long i = from; i < to; i++) {
            int row = indices.getAtIndex(ValueLayout.JAVA_INT, i);
            MemorySegment.copy(table, row * rowBytes, dst, i * rowBytes, rowBytes);
        }
    }

    static void scatterAddRows(ParallelRunner par, Tensor diffDst, Tensor indices, Tensor diffTable) {
        long cols = diffTable.shape().dim(1);
        long n = indices.size();
        MemorySegment dy = diffDst.segment();
        MemorySegment ix = indices.segment();
        MemorySegment dt = diffTable.segment();
        dt.fill((byte) 0);
        int blocks = JavaChunks.tasks(cols, COLUMN_BLOCK);
        if (n * cols < JavaChunks.PARALLEL_MIN || blocks == 1) {
            for (int b = 0; b < blocks; b++) addColumns(dy, ix, dt, n, cols, b);
            return;
        }
        par.forRange(blocks, b -> addColumns(dy, ix, dt, n, cols, b));
    }

    /** Columns {@code [b·COLUMN_BLOCK, ...)} of every position, in position order. */
    private static void addColumns(MemorySegment dy, MemorySegment ix, MemorySegment dt, long n, long cols, int b) {
        long c0 = (long) b * COLUMN_BLOCK;
        int width = (int) Math.min(COLUMN_BLOCK, cols - c0);
        float[] src = new float[width];
        float[] acc = new float[width];
        for (long i = 0; i < n; i++) {
            int row = ix.getAtIndex(ValueLayout.JAVA_INT, i);
            long tableAt = (row * cols + c0) * Float.BYTES;
            MemorySegment.copy(dy, F32, (i * cols + c0) * Float.BYTES, src, 0, width);
            MemorySegment.copy(dt, F32, tableAt, acc, 0, width);
            for (int c = 0; c < width; c++) acc[c] += src[c];
            MemorySegment.copy(acc, 0, dt, F32, tableAt, width);
        }
    }
}
