package dev.panamax.backend.purejava;

import static dev.panamax.backend.purejava.JavaChunks.F32;
import static dev.panamax.backend.purejava.JavaChunks.TASK;

import dev.panamax.backend.ElementwiseOpChecks;
import dev.panamax.tensor.Tensor;
import java.lang.foreign.MemorySegment;

/**
 * Layer normalization over the last axis. Row statistics (mean, then the biased variance as
 * the mean squared deviation: two passes, no cancellation) are taken in double. The backward
 * pass recomputes {@code xhat} from the saved mean and variance; gamma and beta gradients are
 * summed in double per block of rows and the blocks added in order, so they do not depend on
 * the thread count.
 */
final class JavaLayerNorm {
    private JavaLayerNorm() {
    }

    static void forward(ParallelRunner par, Tensor src, Tensor gamma, Tensor beta, float epsilon, Tensor dst,
                        Tensor mean, Tensor variance) {
        ElementwiseOpChecks.layerNormForward(src, gamma, beta, epsilon, dst, mean, variance);
        int cols = JavaChunks.arrayLength("layerNormForward", src.shape().dim(-1));
        long rows = src.size() / cols;
        MemorySegment s = src.segment();
        MemorySegment d = dst.segment();
        MemorySegment ms = mean.segment();
        MemorySegment vs = variance.segment();
        float[] g = gamma.toFloatArray();
        float[] b = beta.toFloatArray();
        long per = rowsPerTask(cols);
        int tasks = blocks(src.size(), rows, per);
        long perTask = tasks == 1 ? rows : per;
        par.forRange(tasks, t -> {
            float[] x = new float[cols];
            long r1 = Math.min(rows, (t + 1) * perTask);
            for (long r = t * perTask; r < r1; r++) {
                long at = r * cols * Float.BYTES;
                MemorySegment.copy(s, F32, at, x, 0, cols);
                double mu = 0;
                for (int i = 0; i < cols; i++) mu += x[i];
                mu /= cols;
                double var = 0;
                for (int i = 0; i < cols; i++) {
                    double dev = x[i] - mu;
                    var += dev * dev;
                }
                var /= cols;
                double rstd = 1 / Math.sqrt(var + epsilon);
                for (int i = 0; i < cols; i++) x[i] = (float) (g[i] * ((x[i] - mu) * rstd) + b[i]);
                MemorySegment.copy(x, 0, d, F32, at, cols);
                ms.setAtIndex(F32, r, (float) mu);
                vs.setAtIndex(F32, r, (float) var);
            }
        });
    }

    /**
     * With {@code xhat = (x - mean) · rstd} and {@code g = dy · gamma}:
     * {@code diffSrc = rstd · (g - mean(g) - xhat · mean(g · xhat))}, {@code diffGamma = Σ dy · xhat},
     * {@code diffBeta = Σ dy}.
     */
    static void backward(ParallelRunner par, Tensor src, Tensor diffDst, Tensor gamma, Tensor mean, Tensor variance,
                         float epsilon, Tensor diffSrc, Tensor diffGamma, Tensor diffBeta) {
        ElementwiseOpChecks.layerNormBackward(src, diffDst, gamma, mean, variance, epsilon, diffSrc, diffGamma,
                diffBeta);
        int cols = JavaChunks.arrayLength("layerNormBackward", src.shape().dim(-1));
        long rows = src.size() / cols;
        MemorySegment s = src.segment();
        MemorySegment dys = diffDst.segment();
        MemorySegment dss = diffSrc.segment();
        MemorySegment ms = mean.segment();
        MemorySegment vs = variance.segment();
        float[] gam = gamma.toFloatArray();
        long per = rowsPerTask(cols);
        int tasks = blocks(src.size(), rows, per);
        long perTask = tasks == 1 ? rows : per;
        double[][] dGamma = new double[tasks][];
        double[][] dBeta = new double[tasks][];
        par.forRange(tasks, t -> {
            float[] x = new float[cols];
            float[] dy = new float[cols];
            double[] dg = new double[cols];
            double[] db = new double[cols];
            long r1 = Math.min(rows, (t + 1) * perTask);
            for (long r = t * perTask; r < r1; r++) {
                long at = r * cols * Float.BYTES;
                MemorySegment.copy(s, F32, at, x, 0, cols);
                MemorySegment.copy(dys, F32, at, dy, 0, cols);
                double mu = ms.getAtIndex(F32, r);
                double rstd = 1 / Math.sqrt(vs.getAtIndex(F32, r) + (double) epsilon);
                double sg = 0;
                double sgx = 0;
                for (int i = 0; i < cols; i++) {
                    double xhat = (x[i] - mu) * rstd;
                    double gi = (double) dy[i] * gam[i];
                    sg += gi;
                    sgx += gi * xhat;
                    dg[i] += dy[i] * xhat;
                    db[i] += dy[i];
                }
                double mg = sg / cols;
                double mgx = sgx / cols;
                for (int i = 0; i < cols; i++) {
                    double xhat = (x[i] - mu) * rstd;
                    x[i] = (float) (rstd * ((double) dy[i] * gam[i] - mg - xhat * mgx));
                }
                MemorySegment.copy(x, 0, dss, F32, at, cols);
            }
            dGamma[t] = dg;
            dBeta[t] = db;
        });
        float[] outG = new float[cols];
        float[] outB = new float[cols];
        for (int i = 0; i < cols; i++) {
            double sg = 0;
            double sb = 0;
            for (int t = 0; t < tasks; t++) {
                sg += dGamma[t][i];
                sb += dBeta[t][i];
            }
            outG[i] = (float) sg;
            outB[i] = (float) sb;
        }
        diffGamma.copyFrom(outG);
        diffBeta.copyFrom(outB);
    }

    private static long rowsPerTask(int cols) {
        return Math.max(1, TASK / cols);
    }

    /** One block for small inputs, else blocks of {@code per} rows: a function of the shape alone. */
    private static int blocks(long size, long rows, long per) {
        return size < JavaChunks.PARALLEL_MIN ? 1 : JavaChunks.tasks(rows, per);
    }
}
