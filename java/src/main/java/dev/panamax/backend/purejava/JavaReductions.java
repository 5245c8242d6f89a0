package dev.panamax.backend.purejava;

import static dev.panamax.backend.purejava.JavaChunks.BLOCK;
import static dev.panamax.backend.purejava.JavaChunks.F32;
import static dev.panamax.backend.purejava.JavaChunks.TASK;

import dev.panamax.backend.ElementwiseOpChecks;
import dev.panamax.backend.ReduceOp;
import dev.panamax.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Sum, mean and max over any set of axes, accumulated in double. Size-1 axes are dropped and
 * neighbours of the same kind merged, so the problem alternates kept and reduced axes. When the
 * innermost is reduced each output sums runs of src; when it is kept, rows of outputs accumulate
 * runs of src. Few outputs over much data split the reduction into a fixed number of parts
 * (chosen from the shapes alone, so results do not depend on the thread count), combined in order.
 * MAX propagates NaN.
 */
final class JavaReductions {
    /** Below this many outputs per unit of work, a big reduction is split into parts. */
    private static final int FEW_UNITS = 16;
    private static final int MAX_PARTS = 64;

    private JavaReductions() {
    }

    static void reduce(ParallelRunner par, ReduceOp op, Tensor src, int[] axes, Tensor dst) {
        int[] reducedAxes = ElementwiseOpChecks.reduce(op, src, axes, dst);
        Plan p = new Plan(op, src.shape().dims(), reducedAxes, src.segment(), dst.segment());
        if (p.lastReduced) {
            p.reduceInner(par);
        } else {
            p.reduceOuter(par);
        }
    }

    private static final class Plan {
        final boolean max;
        final boolean mean;
        final MemorySegment src;
        final MemorySegment dst;
        final long total;
        /** Merged axes, outermost first, alternating kept and reduced. */
        final long[] dims;
        final boolean[] reduced;
        final long[] srcStride;
        /** The number of src elements per output. */
        final long count;
        final long outputs;
        /** The innermost merged axis. */
        final long inner;
        final boolean lastReduced;

        Plan(ReduceOp op, long[] srcDims, int[] reducedAxes, MemorySegment src, MemorySegment dst) {
            this.max = op == ReduceOp.MAX;
            this.mean = op == ReduceOp.MEAN;
            this.src = src;
            this.dst = dst;
            boolean[] isReduced = new boolean[srcDims.length];
            for (int a : reducedAxes) isReduced[a] = true;
            List<long[]> merged = new ArrayList<>(); // {dim, reduced ? 1 : 0}
            long n = 1;
            for (int i = 0; i < srcDims.length; i++) {
                n *= srcDims[i];
                if (srcDims[i] == 1) continue;
                long kind = isReduced[i] ? 1 : 0;
                if (!merged.isEmpty() && merged.get(merged.size() - 1)[1] == kind) {
                    merged.get(merged.size() - 1)[0] *= srcDims[i];
                } else {
                    merged.add(new long[] {srcDims[i], kind});
                }
            }
            if (merged.isEmpty()) merged.add(new long[] {1, 0}); // one element
            total = n;
            int k = merged.size();
            dims = new long[k];
            reduced = new boolean[k];
            srcStride = new long[k];
            long stride = 1;
            long c = 1;
            for (int i = k - 1; i >= 0; i--) {
                dims[i] = merged.get(i)[0];
                reduced[i] = merged.get(i)[1] == 1;
                srcStride[i] = stride;
                stride *= dims[i];
                if (reduced[i]) c *= dims[i];
            }
            count = c;
            outputs = n / c;
            inner = dims[k - 1];
            lastReduced = reduced[k - 1];
        }

        /** Src offset of the output with row-major index {@code o} among kept axes from {@code to} outward. */
        long keptOffset(long o, int to) {
            long off = 0;
            for (int i = to; i >= 0; i--) {
                if (reduced[i]) continue;
                off += (o % dims[i]) * srcStride[i];
                o /= dims[i];
            }
            return off;
        }

        /** Src offset of reduction index {@code r} among reduced axes from {@code to} outward. */
        long reducedOffset(long r, int to) {
            long off = 0;
            for (int i = to; i >= 0; i--) {
                if (!reduced[i]) continue;
                off += (r % dims[i]) * srcStride[i];
                r /= dims[i];
            }
            return off;
        }

        int parts(long units) {
            if (total < JavaChunks.PARALLEL_MIN || units >= FEW_UNITS) return 1;
            return (int) Math.max(1, Math.min(MAX_PARTS, total / TASK / units));
        }

        double init() {
            return max ? Double.NEGATIVE_INFINITY : 0;
        }

        double combine(double acc, double v) {
            return max ? maxNaN(acc, v) : acc + v;
        }

        float finish(double acc) {
            return (float) (mean ? acc / count : acc);
        }

        // ---- innermost axis reduced: each output reduces runs of `inner` contiguous floats

        void reduceInner(ParallelRunner par) {
            int parts = parts(outputs);
            if (count == inner) {
                if (parts == 1) { // src is [outputs, inner]: read many rows per copy
                    rowsOfContiguous(par);
                    return;
                }
            }
            int k = dims.length;
            long outsPerTask = Math.max(1, TASK / count);
            if (parts == 1) {
                int tasks = total < JavaChunks.PARALLEL_MIN ? 1 : JavaChunks.tasks(outputs, outsPerTask);
                long per = tasks == 1 ? outputs : outsPerTask;
                par.forRange(tasks, t -> {
                    float[] buf = new float[(int) Math.min(inner, BLOCK)];
                    long o1 = Math.min(outputs, (t + 1) * per);
                    for (long o = t * per; o < o1; o++) {
                        dst.setAtIndex(F32, o, finish(reduceRange(keptOffset(o, k - 1), 0, count, buf)));
                    }
                });
                return;
            }
            double[] partial = new double[(int) outputs * parts];
            long perPart = (count + parts - 1) / parts;
            par.forRange((int) outputs * parts, t -> {
                long o = t / parts;
                long r0 = Math.min(count, (t % parts) * perPart);
                long r1 = Math.min(count, r0 + perPart);
                float[] buf = new float[(int) Math.min(inner, BLOCK)];
                partial[t] = reduceRange(keptOffset(o, k - 1), r0, r1, buf);
            });
            for (int o = 0; o < outputs; o++) {
                double acc = init();
                for (int q = 0; q < parts; q++) acc = combine(acc, partial[o * parts + q]);
                dst.setAtIndex(F32, o, finish(acc));
            }
        }

        /** Reduces flat reduction indices [r0, r1) (r = run · inner + position) of the output at base. */
        double reduceRange(long base, long r0, long r1, float[] buf) {
            int k = dims.length;
            double acc = init();
            long r = r0;
            while (r < r1) {
                long run = r / inner;
                long pos = r % inner;
                long end = Math.min(r1, (run + 1) * inner);
                long at = base + reducedOffset(run, k - 2) + pos;
                for (long c = 0; c < end - r; c += BLOCK) {
                    int m = (int) Math.min(BLOCK, end - r - c);
                    MemorySegment.copy(src, F32, (at + c) * Float.BYTES, buf, 0, m);
                    acc = combine(acc, max ? maxOf(buf, m) : sumOf(buf, m));
                }
                r = end;
            }
            return acc;
        }

        /** src is [outputs, inner] contiguous: blocks of whole rows, one output per row. */
        void rowsOfContiguous(ParallelRunner par) {
            long rowsPerBlock = Math.max(1, BLOCK / inner);
            long rowsPerTask = Math.max(rowsPerBlock, TASK / inner);
            int tasks = total < JavaChunks.PARALLEL_MIN ? 1 : JavaChunks.tasks(outputs, rowsPerTask);
            long per = tasks == 1 ? outputs : rowsPerTask;
            par.forRange(tasks, t -> {
                float[] buf = new float[(int) (inner > BLOCK ? BLOCK : rowsPerBlock * inner)];
                long o1 = Math.min(outputs, (t + 1) * per);
                for (long o = t * per; o < o1; o += rowsPerBlock) {
                    long rowsHere = Math.min(rowsPerBlock, o1 - o);
                    if (inner > BLOCK) {
                        dst.setAtIndex(F32, o, finish(reduceRange(o * inner, 0, inner, buf)));
                        continue;
                    }
                    int len = (int) inner;
                    MemorySegment.copy(src, F32, o * inner * Float.BYTES, buf, 0, (int) (rowsHere * len));
                    for (int i = 0; i < rowsHere; i++) {
                        double v = max ? maxOf(buf, i * len, len) : sumOf(buf, i * len, len);
                        dst.setAtIndex(F32, o + i, finish(v));
                    }
                }
            });
        }

        // ---- innermost axis kept: rows of `inner` outputs accumulate runs of src

        void reduceOuter(ParallelRunner par) {
            int k = dims.length;
            long outRows = outputs / inner;
            long colBlocks = (inner + BLOCK - 1) / BLOCK;
            long units = outRows * colBlocks;
            int parts = parts(units);
            long perPart = (count + parts - 1) / parts;
            long unitsPerTask = Math.max(1, TASK / (count * Math.min(inner, BLOCK)));
            int tasks = parts > 1 || total >= JavaChunks.PARALLEL_MIN
                    ? JavaChunks.tasks(units * parts, parts > 1 ? 1 : unitsPerTask) : 1;
            long per = parts > 1 ? 1 : (tasks == 1 ? units : unitsPerTask);
            double[][] partial = parts > 1 ? new double[(int) units * parts][] : null;
            par.forRange(tasks, t -> {
                int width = (int) Math.min(inner, BLOCK);
                float[] buf = new float[Math.max(width, BLOCK)];
                long u1 = Math.min(units * parts, (t + 1) * per);
                for (long u = t * per; u < u1; u++) {
                    long unit = u / parts;
                    long part = u % parts;
                    long row = unit / colBlocks;
                    long c0 = (unit % colBlocks) * BLOCK;
                    int len = (int) Math.min(BLOCK, inner - c0);
                    long base = keptOffset(row, k - 2) + c0;
                    long r0 = Math.min(count, part * perPart);
                    long r1 = Math.min(count, r0 + perPart);
                    double[] acc = new double[len];
                    if (max) Arrays.fill(acc, Double.NEGATIVE_INFINITY);
                    accumulateRows(base, r0, r1, len, acc, buf);
                    if (partial != null) {
                        partial[(int) u] = acc;
                    } else {
                        write(row * inner + c0, acc, len, buf);
                    }
                }
            });
            if (partial != null) {
                float[] buf = new float[BLOCK];
                for (int unit = 0; unit < units; unit++) {
                    double[] acc = partial[unit * parts];
                    for (int q = 1; q < parts; q++) {
                        double[] more = partial[unit * parts + q];
                        for (int i = 0; i < acc.length; i++) acc[i] = combine(acc[i], more[i]);
                    }
                    long row = unit / colBlocks;
                    long c0 = (unit % colBlocks) * BLOCK;
                    write(row * inner + c0, acc, acc.length, buf);
                }
            }
        }

        /**
         * acc[0, len) combines the src rows of reduction indices [r0, r1) at {@code base}. The
         * innermost reduced axis has stride {@code inner}, so consecutive rows of it are one
         * contiguous read when the unit spans whole rows.
         */
        void accumulateRows(long base, long r0, long r1, int len, double[] acc, float[] buf) {
            int k = dims.length;
            long d = k >= 2 ? dims[k - 2] : 1; // k == 1: nothing reduced, count is 1
            boolean wholeRows = len == inner;
            long r = r0;
            while (r < r1) {
                long pos = r % d;
                long at = base + reducedOffset(r / d, k - 3) + pos * inner;
                long rowsHere = wholeRows ? Math.min(Math.min(r1 - r, d - pos), Math.max(1, buf.length / len)) : 1;
                MemorySegment.copy(src, F32, at * Float.BYTES, buf, 0, (int) (rowsHere * len));
                for (int j = 0; j < rowsHere; j++) {
                    int o = j * len;
                    if (max) {
                        for (int i = 0; i < len; i++) acc[i] = maxNaN(acc[i], buf[o + i]);
                    } else {
                        for (int i = 0; i < len; i++) acc[i] += buf[o + i];
                    }
                }
                r += rowsHere;
            }
        }

        void write(long at, double[] acc, int len, float[] buf) {
            for (int i = 0; i < len; i++) buf[i] = finish(acc[i]);
            MemorySegment.copy(buf, 0, dst, F32, at * Float.BYTES, len);
        }
    }

    private static double sumOf(float[] x, int n) {
        return sumOf(x, 0, n);
    }

    /** Sum in four double lanes (a single chain would wait on each add). */
    private static double sumOf(float[] x, int from, int n) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = from;
        int end = from + n;
        for (; i + 4 <= end; i += 4) {
            s0 += x[i];
            s1 += x[i + 1];
            s2 += x[i + 2];
            s3 += x[i + 3];
        }
        for (; i < end; i++) s0 += x[i];
        return (s0 + s1) + (s2 + s3);
    }

    private static double maxOf(float[] x, int n) {
        return maxOf(x, 0, n);
    }

    private static double maxOf(float[] x, int from, int n) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = from; i < from + n; i++) m = Math.max(m, x[i]);
        return m;
    }

    /** max that keeps NaN, like Math.max. */
    private static double maxNaN(double acc, double v) {
        return Math.max(acc, v);
    }
}
