package dev.panamax.backend.purejava;

import static dev.panamax.backend.purejava.JavaChunks.F32;
import static dev.panamax.backend.purejava.JavaChunks.TASK;

import dev.panamax.backend.ElementwiseOpChecks;
import dev.panamax.tensor.DType;
import dev.panamax.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Softmax and log-softmax over the last axis, their backward passes, and the fused softmax
 * cross-entropy. Each row is shifted by its maximum (-inf entries give exactly 0 probability),
 * exponentials and sums are taken in double, and rows are spread over tasks. A row that is
 * entirely -inf has no distribution and gives NaN, as in the native backend and PyTorch.
 */
final class JavaSoftmax {
    private JavaSoftmax() {
    }

    /** A row kernel: row {@code r} (elements {@code [r·cols, (r+1)·cols)}) with one or two scratch rows. */
    private interface RowBody {
        void run(long row, float[] x, float[] y);
    }

    static void forward(ParallelRunner par, Tensor src, boolean log, Tensor dst) {
        ElementwiseOpChecks.softmaxForward(src, log, dst);
        MemorySegment s = src.segment();
        MemorySegment d = dst.segment();
        int cols = JavaChunks.arrayLength("softmaxForward", src.shape().dim(-1));
        forRows(par, src.size(), cols, false, (r, x, unused) -> {
            long at = r * cols * Float.BYTES;
            MemorySegment.copy(s, F32, at, x, 0, cols);
            float m = shift(x, cols);
            double sum = 0;
            if (log) {
                for (int i = 0; i < cols; i++) sum += Math.exp((double) x[i] - m);
                double lse = m + Math.log(sum);
                for (int i = 0; i < cols; i++) x[i] = (float) (x[i] - lse);
            } else {
                for (int i = 0; i < cols; i++) {
                    double v = Math.exp((double) x[i] - m);
                    sum += v;
                    x[i] = (float) v; // rounded twice in all (here and when scaled): within 1 ulp
                }
                double inv = 1 / sum;
                for (int i = 0; i < cols; i++) x[i] = (float) (x[i] * inv);
            }
            MemorySegment.copy(x, 0, d, F32, at, cols);
        });
    }

    /**
     * Softmax: {@code diffSrc = y · (dy - Σ dy·y)}; log-softmax: {@code diffSrc = dy - exp(y) · Σ dy},
     * from the forward output y.
     */
    static void backward(ParallelRunner par, Tensor dst, Tensor diffDst, boolean log, Tensor diffSrc) {
        ElementwiseOpChecks.softmaxBackward(dst, diffDst, log, diffSrc);
        MemorySegment ys = dst.segment();
        MemorySegment dys = diffDst.segment();
        MemorySegment dss = diffSrc.segment();
        int cols = JavaChunks.arrayLength("softmaxBackward", dst.shape().dim(-1));
        forRows(par, dst.size(), cols, true, (r, y, dy) -> {
            long at = r * cols * Float.BYTES;
            MemorySegment.copy(ys, F32, at, y, 0, cols);
            MemorySegment.copy(dys, F32, at, dy, 0, cols);
            double s = 0;
            if (log) {
                for (int i = 0; i < cols; i++) s += dy[i];
                for (int i = 0; i < cols; i++) dy[i] = (float) (dy[i] - Math.exp(y[i]) * s);
            } else {
                for (int i = 0; i < cols; i++) s += (double) dy[i] * y[i];
                for (int i = 0; i < cols; i++) dy[i] = (float) (y[i] * (dy[i] - s));
            }
            MemorySegment.copy(dy, 0, dss, F32, at, cols);
        });
    }

    /**
     * Per row {@code loss = Σ y · (lse - z)} (so labels need not sum to 1), or {@code lse - z[label]}
     * for class indices; {@code diffLogits = gradScale · (softmax(z) - y)}.
     */
    static void crossEntropy(ParallelRunner par, Tensor logits, Tensor labels, Tensor losses, Tensor diffLogits,
                             float gradScale) {
        ElementwiseOpChecks.softmaxCrossEntropy(logits, labels, losses, diffLogits, gradScale);
        MemorySegment zs = logits.segment();
        MemorySegment ls = labels.segment();
        MemorySegment out = losses.segment();
        MemorySegment dz = diffLogits == null ? null : diffLogits.segment();
        boolean sparse = labels.dtype() == DType.INT32;
        int cols = JavaChunks.arrayLength("softmaxCrossEntropy", logits.shape().dim(1));
        forRows(par, logits.size(), cols, true, (r, z, y) -> {
            long at = r * cols * Float.BYTES;
            MemorySegment.copy(zs, F32, at, z, 0, cols);
            float m = shift(z, cols);
            double sum = 0;
            for (int i = 0; i < cols; i++) sum += Math.exp((double) z[i] - m);
            double lse = m + Math.log(sum);
            double loss;
            int label = -1;
            if (sparse) {
                label = ls.getAtIndex(ValueLayout.JAVA_INT, r);
                loss = lse - z[label];
            } else {
                MemorySegment.copy(ls, F32, at, y, 0, cols);
                loss = 0;
                for (int i = 0; i < cols; i++) loss += y[i] * (lse - z[i]);
            }
            out.setAtIndex(F32, r, (float) loss);
            if (dz != null) {
                for (int i = 0; i < cols; i++) {
                    double p = Math.exp(z[i] - lse);
                    double target = sparse ? (i == label ? 1 : 0) : y[i];
                    z[i] = (float) (gradScale * (p - target));
                }
                MemorySegment.copy(z, 0, dz, F32, at, cols);
            }
        });
    }

    /** The row maximum to subtract; 0 for a row of -inf (no -inf - -inf; the row still gives NaN: 0 / 0). */
    private static float shift(float[] x, int cols) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < cols; i++) m = Math.max(m, x[i]);
        return m == Float.NEGATIVE_INFINITY ? 0f : m;
    }

    /** Runs {@code body} for every row of {@code cols} elements, about TASK elements per task. */
    private static void forRows(ParallelRunner par, long size, int cols, boolean twoRows, RowBody body) {
        long rows = size / cols;
        long rowsPerTask = Math.max(1, TASK / cols);
        int tasks = size < JavaChunks.PARALLEL_MIN ? 1 : JavaChunks.tasks(rows, rowsPerTask);
        long per = tasks == 1 ? rows : rowsPerTask;
        par.forRange(tasks, t -> {
            float[] x = new float[cols];
            float[] y = twoRows ? new float[cols] : null;
            long r1 = Math.min(rows, (t + 1) * per);
            for (long r = t * per; r < r1; r++) body.run(r, x, y);
        });
    }
}
