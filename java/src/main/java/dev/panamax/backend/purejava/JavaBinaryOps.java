package dev.panamax.backend.purejava;

import static dev.panamax.backend.purejava.JavaChunks.BLOCK;
import static dev.panamax.backend.purejava.JavaChunks.F32;
import static dev.panamax.backend.purejava.JavaChunks.TASK;

import dev.panamax.backend.BinaryOp;
import dev.panamax.backend.ElementwiseOpChecks;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Binary ops with NumPy broadcasting, and the affine map. Three paths: same shapes (a flat
 * loop); one operand repeating with a period along leading axes, like a bias (its values are
 * tiled once so each block reads a plain offset); and the general case, which merges axes and
 * walks rows of the innermost merged axis.
 */
final class JavaBinaryOps {
    /** Periods up to this many floats are tiled on the heap; longer ones are read from memory per block. */
    private static final int MAX_TILED_PERIOD = 1 << 20;

    private JavaBinaryOps() {
    }

    /** {@code dst = a op b}; dst may be a or b when it has its shape. */
    static void binary(ParallelRunner par, BinaryOp op, Tensor a, Tensor b, Tensor dst) {
        Shape out = ElementwiseOpChecks.binary(op, a, b, dst);
        long n = out.size();
        MemorySegment sa = a.segment();
        MemorySegment sb = b.segment();
        MemorySegment sd = dst.segment();
        if (a.size() == n && b.size() == n) {
            sameShape(par, op, sa, sb, sd, n);
        } else if (a.size() == n && repeatsAlongLeadingAxes(b.shape(), out)) {
            periodic(par, op, sa, sb, b.size(), false, sd, n);
        } else if (b.size() == n && repeatsAlongLeadingAxes(a.shape(), out)) {
            periodic(par, op, sb, sa, a.size(), true, sd, n);
        } else {
            general(par, op, a.shape(), sa, b.shape(), sb, out, sd);
        }
    }

    /** {@code dst = alpha · src + beta}; dst may be src. */
    static void affine(ParallelRunner par, Tensor src, float alpha, float beta, Tensor dst) {
        ElementwiseOpChecks.affine(src, alpha, beta, dst);
        MemorySegment s = src.segment();
        MemorySegment d = dst.segment();
        JavaChunks.forChunks(par, src.size(), (start, length) -> {
            float[] x = new float[Math.min(length, BLOCK)];
            for (int o = 0; o < length; o += BLOCK) {
                int m = Math.min(BLOCK, length - o);
                long at = (start + o) * Float.BYTES;
                MemorySegment.copy(s, F32, at, x, 0, m);
                for (int i = 0; i < m; i++) x[i] = alpha * x[i] + beta;
                MemorySegment.copy(x, 0, d, F32, at, m);
            }
        });
    }

    /** True when {@code small}, without its leading 1s, is the trailing part of {@code out}. */
    private static boolean repeatsAlongLeadingAxes(Shape small, Shape out) {
        int lead = 0;
        while (lead < small.rank() && small.dim(lead) == 1) lead++;
        int k = small.rank() - lead;
        for (int i = 1; i <= k; i++) {
            if (small.dim(small.rank() - i) != out.dim(out.rank() - i)) return false;
        }
        return true;
    }

    private static void sameShape(ParallelRunner par, BinaryOp op, MemorySegment sa, MemorySegment sb,
                                  MemorySegment sd, long n) {
        JavaChunks.forChunks(par, n, (start, length) -> {
            int size = Math.min(length, BLOCK);
            float[] x = new float[size];
            float[] y = new float[size];
            for (int o = 0; o < length; o += BLOCK) {
                int m = Math.min(BLOCK, length - o);
                long at = (start + o) * Float.BYTES;
                MemorySegment.copy(sa, F32, at, x, 0, m);
                MemorySegment.copy(sb, F32, at, y, 0, m);
                apply(op, x, 0, y, 0, x, m);
                MemorySegment.copy(x, 0, sd, F32, at, m);
            }
        });
    }

    /**
     * {@code dst[i] = full[i] op rep[i % period]} ({@code rep op full} when swapped): the repeating
     * operand is tiled to {@code period + BLOCK} floats so block j reads it at {@code j % period}.
     */
    private static void periodic(ParallelRunner par, BinaryOp op, MemorySegment full, MemorySegment rep, long period,
                                 boolean swapped, MemorySegment sd, long n) {
        float[] tiled = null;
        if (period <= MAX_TILED_PERIOD) {
            int p = (int) period;
            tiled = new float[p + (int) Math.min(BLOCK, n)];
            MemorySegment.copy(rep, F32, 0, tiled, 0, p);
            for (int i = p; i < tiled.length; i++) tiled[i] = tiled[i - p];
        }
        float[] tile = tiled;
        JavaChunks.forChunks(par, n, (start, length) -> {
            int size = Math.min(length, BLOCK);
            float[] x = new float[size];
            float[] y = tile == null ? new float[size] : null;
            for (int o = 0; o < length; o += BLOCK) {
                int m = Math.min(BLOCK, length - o);
                long first = start + o;
                MemorySegment.copy(full, F32, first * Float.BYTES, x, 0, m);
                float[] r = tile;
                int ro = (int) (first % period);
                if (tile == null) { // period > BLOCK: the block wraps at most once
                    int head = (int) Math.min(m, period - ro);
                    MemorySegment.copy(rep, F32, (long) ro * Float.BYTES, y, 0, head);
                    if (head < m) MemorySegment.copy(rep, F32, 0, y, head, m - head);
                    r = y;
                    ro = 0;
                }
                if (swapped) {
                    apply(op, r, ro, x, 0, x, m);
                } else {
                    apply(op, x, 0, r, ro, x, m);
                }
                MemorySegment.copy(x, 0, sd, F32, first * Float.BYTES, m);
            }
        });
    }

    /**
     * Any broadcast: size-1 output axes are dropped and neighbours merged while both operands
     * stay linear across them; then each row of the innermost merged axis reads a run of a and b
     * (or one repeated value where that operand is broadcast).
     */
    private static void general(ParallelRunner par, BinaryOp op, Shape as, MemorySegment sa, Shape bs,
                                MemorySegment sb, Shape out, MemorySegment sd) {
        int rank = out.rank();
        long[] strideA = broadcastStrides(as, rank);
        long[] strideB = broadcastStrides(bs, rank);
        List<long[]> axes = new ArrayList<>(); // {dim, strideA, strideB}
        for (int i = 0; i < rank; i++) {
            long d = out.dim(i);
            if (d == 1) continue;
            if (!axes.isEmpty()) {
                long[] last = axes.get(axes.size() - 1);
                if (last[1] == strideA[i] * d && last[2] == strideB[i] * d) {
                    last[0] *= d;
                    last[1] = strideA[i];
                    last[2] = strideB[i];
                    continue;
                }
            }
            axes.add(new long[] {d, strideA[i], strideB[i]});
        }
        int k = axes.size();
        long[] dims = new long[k];
        long[] sta = new long[k];
        long[] stb = new long[k];
        for (int i = 0; i < k; i++) {
            dims[i] = axes.get(i)[0];
            sta[i] = axes.get(i)[1];
            stb[i] = axes.get(i)[2];
        }
        // k >= 2 here: one merged axis would be the same-shape or periodic case.
        long rowLen = dims[k - 1];
        boolean aRuns = sta[k - 1] != 0;
        boolean bRuns = stb[k - 1] != 0;
        long rows = out.size() / rowLen;
        long rowsPerTask = Math.max(1, TASK / rowLen);
        int tasks = out.size() < JavaChunks.PARALLEL_MIN ? 1 : JavaChunks.tasks(rows, rowsPerTask);
        long perTask = tasks == 1 ? rows : rowsPerTask;
        par.forRange(tasks, t -> {
            int size = (int) Math.min(rowLen, BLOCK);
            float[] x = new float[size];
            float[] y = new float[size];
            long r1 = Math.min(rows, (t + 1) * perTask);
            for (long r = t * perTask; r < r1; r++) {
                long offA = 0;
                long offB = 0;
                long rem = r;
                for (int i = k - 2; i >= 0; i--) {
                    long idx = rem % dims[i];
                    rem /= dims[i];
                    offA += idx * sta[i];
                    offB += idx * stb[i];
                }
                for (long c = 0; c < rowLen; c += BLOCK) {
                    int m = (int) Math.min(BLOCK, rowLen - c);
                    load(sa, offA, aRuns, c, x, m);
                    load(sb, offB, bRuns, c, y, m);
                    apply(op, x, 0, y, 0, x, m);
                    MemorySegment.copy(x, 0, sd, F32, (r * rowLen + c) * Float.BYTES, m);
                }
            }
        });
    }

    /** buf[0, m) = the run at element {@code off + c}, or m copies of the value at {@code off}. */
    private static void load(MemorySegment s, long off, boolean runs, long c, float[] buf, int m) {
        if (runs) {
            MemorySegment.copy(s, F32, (off + c) * Float.BYTES, buf, 0, m);
        } else {
            float v = s.getAtIndex(F32, off);
            for (int i = 0; i < m; i++) buf[i] = v;
        }
    }

    /** Row-major strides of {@code s} aligned right to {@code rank} axes, 0 on broadcast axes. */
    private static long[] broadcastStrides(Shape s, int rank) {
        long[] st = new long[rank];
        long stride = 1;
        for (int i = 1; i <= s.rank(); i++) {
            long d = s.dim(s.rank() - i);
            st[rank - i] = d == 1 ? 0 : stride;
            stride *= d;
        }
        return st;
    }

    /** out[i] = x[xo + i] op y[yo + i] for i < n; out may be x or y (with offset 0). */
    private static void apply(BinaryOp op, float[] x, int xo, float[] y, int yo, float[] out, int n) {
        switch (op) {
            case ADD -> {
                for (int i = 0; i < n; i++) out[i] = x[xo + i] + y[yo + i];
            }
            case SUB -> {
                for (int i = 0; i < n; i++) out[i] = x[xo + i] - y[yo + i];
            }
            case MUL -> {
                for (int i = 0; i < n; i++) out[i] = x[xo + i] * y[yo + i];
            }
            case DIV -> {
                for (int i = 0; i < n; i++) out[i] = x[xo + i] / y[yo + i];
            }
            case MAX -> {
                for (int i = 0; i < n; i++) out[i] = Math.max(x[xo + i], y[yo + i]);
            }
            case MIN -> {
                for (int i = 0; i < n; i++) out[i] = Math.min(x[xo + i], y[yo + i]);
            }
        }
    }
}
