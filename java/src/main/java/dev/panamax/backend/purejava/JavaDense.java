package dev.panamax.backend.purejava;

import static dev.panamax.backend.purejava.Sizes.ceilDiv;
import static dev.panamax.backend.purejava.Sizes.toInt;

import dev.panamax.backend.Activation;
import dev.panamax.backend.PostOps;
import dev.panamax.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The dense (inner product) layer as matrix products plus an epilogue: {@code dst = act(x · kernel
 * + bias)}, and its backward pass. Operands are already checked ({@code OpChecks.dense*}).
 */
final class JavaDense {
    /** Elements per epilogue or bias-gradient task: big enough to amortize a task, small enough to balance. */
    private static final int CHUNK = 1 << 14;
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT;

    private JavaDense() {
    }

    static void forward(ParallelRunner par, Tensor x, Tensor kernel, Tensor bias, PostOps postOps, Tensor dst) {
        JavaGemm.gemm(par, x, false, kernel, false, 1f, 0f, dst);
        Activation act = postOps.activation();
        if (bias == null && act == Activation.LINEAR) return;
        int rows = toInt(dst.shape().dim(0));
        int cols = toInt(dst.shape().dim(1));
        float[] b = bias == null ? null : bias.toFloatArray();
        double alpha = postOps.alpha();
        MemorySegment d = dst.segment();
        int rowsPerTask = Math.max(1, CHUNK / cols);
        PerWorker.forEach(par, ceilDiv(rows, rowsPerTask), () -> new float[cols], (line, task) -> {
            int r1 = Math.min(rows, (task + 1) * rowsPerTask);
            for (int r = task * rowsPerTask; r < r1; r++) {
                long at = (long) r * cols * Float.BYTES;
                MemorySegment.copy(d, F32, at, line, 0, cols);
                for (int j = 0; j < cols; j++) {
                    float v = b == null ? line[j] : line[j] + b[j];
                    line[j] = act == Activation.LINEAR ? v : (float) act.apply(v, alpha);
                }
                MemorySegment.copy(line, 0, d, F32, at, cols);
            }
        });
    }

    static void backward(ParallelRunner par, Tensor x, Tensor kernel, Tensor diffDst, Tensor diffX, Tensor diffKernel,
                         Tensor diffBias) {
        if (diffX != null) {
            JavaGemm.gemm(par, diffDst, false, kernel, true, 1f, 0f, diffX);
        }
        JavaGemm.gemm(par, x, true, diffDst, false, 1f, 0f, diffKernel);
        if (diffBias != null) {
            columnSums(par, diffDst, diffBias);
        }
    }

    /** {@code sums[j] = Σ_i m[i][j]} in double, each column summed top to bottom by one task. */
    static void columnSums(ParallelRunner par, Tensor matrix, Tensor sums) {
        int rows = toInt(matrix.shape().dim(0));
        int cols = toInt(matrix.shape().dim(1));
        MemorySegment src = matrix.segment();
        MemorySegment dst = sums.segment();
        int colsPerTask = 256;
        PerWorker.forEach(par, ceilDiv(cols, colsPerTask), () -> new float[colsPerTask], (line, task) -> {
            int j0 = task * colsPerTask;
            int width = Math.min(colsPerTask, cols - j0);
            double[] acc = new double[width];
            for (int r = 0; r < rows; r++) {
                MemorySegment.copy(src, F32, ((long) r * cols + j0) * Float.BYTES, line, 0, width);
                for (int j = 0; j < width; j++) acc[j] += line[j];
            }
            for (int j = 0; j < width; j++) dst.setAtIndex(F32, j0 + j, (float) acc[j]);
        });
    }
}
