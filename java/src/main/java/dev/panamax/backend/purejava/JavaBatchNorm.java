package dev.panamax.backend.purejava;

import static dev.panamax.backend.purejava.Sizes.ceilDiv;
import static dev.panamax.backend.purejava.Sizes.toInt;

import dev.panamax.tensor.DType;
import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Batch norm over every axis but the last, with statistics and gradient sums in double. Rows
 * are split into chunks of a fixed size; each chunk's partial sums are added in chunk order,
 * so results do not depend on the thread count. The fused ReLU's workspace is an int8 tensor
 * of src's shape: 1 where the output is positive, the only places its gradient passes.
 */
final class JavaBatchNorm {
    /** Elements per chunk of rows. */
    private static final int CHUNK = 1 << 14;
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT;

    private JavaBatchNorm() {
    }

    static Tensor workspace(Shape srcShape, boolean fuseRelu, MemoryScope scope) {
        if (!fuseRelu) return null;
        if (srcShape == null || scope == null) {
            throw new IllegalArgumentException("batch_norm: srcShape and scope must not be null; got srcShape="
                    + srcShape + ", scope=" + scope);
        }
        return Tensor.zeros(scope, DType.INT8, srcShape);
    }

    private static void checkWorkspace(Tensor src, Tensor workspace) {
        if (workspace == null) return;
        if (workspace.dtype() != DType.INT8 || !workspace.layout().isRowMajor()
                || !workspace.shape().equals(src.shape())) {
            throw new IllegalArgumentException("batch_norm: the java backend's workspace is int8 " + src.shape()
                    + " from batchNormWorkspace; got workspace=" + workspace.describeShape() + " in layout '"
                    + workspace.layout() + "' for src=" + src.describeShape());
        }
    }

    /** src as {@code [rows, channels]} split into fixed chunks of whole rows. */
    private record Rows(int rows, int channels, int rowsPerChunk, int chunks) {
        static Rows of(Tensor src) {
            int channels = toInt(src.shape().dim(-1));
            int rows = toInt(src.size() / channels);
            int perChunk = Math.max(1, CHUNK / channels);
            return new Rows(rows, channels, perChunk, ceilDiv(rows, perChunk));
        }

        int first(int chunk) {
            return chunk * rowsPerChunk;
        }

        int count(int chunk) {
            return Math.min(rowsPerChunk, rows - chunk * rowsPerChunk);
        }

        long byteOffset(int chunk) {
            return (long) first(chunk) * channels * Float.BYTES;
        }
    }

    static void forwardTraining(ParallelRunner par, Tensor src, Tensor gamma, Tensor beta, float epsilon,
                                float momentum, Tensor movingMean, Tensor movingVariance, boolean fuseRelu, Tensor dst,
                                Tensor batchMean, Tensor batchVariance, Tensor workspace) {
        checkWorkspace(src, workspace);
        Rows r = Rows.of(src);
        MemorySegment x = src.segment();
        int c = r.channels();
        // Two passes (mean, then squared deviations) are exact where E[x²] - E[x]² cancels.
        double[][] sums = new double[r.chunks()][c];
        PerWorker.forEach(par, r.chunks(), () -> new float[r.rowsPerChunk() * c], (buf, chunk) -> {
            int n = r.count(chunk) * c;
            MemorySegment.copy(x, F32, r.byteOffset(chunk), buf, 0, n);
            double[] s = sums[chunk];
            for (int row = 0; row < n; row += c) {
                for (int ch = 0; ch < c; ch++) s[ch] += buf[row + ch];
            }
        });
        double[] mean = total(sums, c);
        for (int ch = 0; ch < c; ch++) mean[ch] /= r.rows();
        double[][] squares = new double[r.chunks()][c];
        PerWorker.forEach(par, r.chunks(), () -> new float[r.rowsPerChunk() * c], (buf, chunk) -> {
            int n = r.count(chunk) * c;
            MemorySegment.copy(x, F32, r.byteOffset(chunk), buf, 0, n);
            double[] s = squares[chunk];
            for (int row = 0; row < n; row += c) {
                for (int ch = 0; ch < c; ch++) {
                    double d = buf[row + ch] - mean[ch];
                    s[ch] += d * d;
                }
            }
        });
        double[] variance = total(squares, c);
        for (int ch = 0; ch < c; ch++) variance[ch] /= r.rows();
        normalize(par, r, x, gamma, beta, mean, variance, epsilon, fuseRelu, dst.segment(),
                workspace == null ? null : workspace.segment());
        MemorySegment bm = batchMean.segment();
        MemorySegment bv = batchVariance.segment();
        MemorySegment mm = movingMean.segment();
        MemorySegment mv = movingVariance.segment();
        double m = momentum;
        for (int ch = 0; ch < c; ch++) {
            bm.setAtIndex(F32, ch, (float) mean[ch]);
            bv.setAtIndex(F32, ch, (float) variance[ch]);
            mm.setAtIndex(F32, ch, (float) (mm.getAtIndex(F32, ch) * m + mean[ch] * (1 - m)));
            mv.setAtIndex(F32, ch, (float) (mv.getAtIndex(F32, ch) * m + variance[ch] * (1 - m)));
        }
    }

    static void forwardInference(ParallelRunner par, Tensor src, Tensor gamma, Tensor beta, Tensor mean,
                                 Tensor variance, float epsilon, boolean fuseRelu, Tensor dst) {
        Rows r = Rows.of(src);
        normalize(par, r, src.segment(), gamma, beta, doubles(mean), doubles(variance), epsilon, fuseRelu,
                dst.segment(), null);
    }

    /** {@code dst = [relu]((x - mean) · gamma / sqrt(var + eps) + beta)}; the ReLU mask into workspace when given. */
    private static void normalize(ParallelRunner par, Rows r, MemorySegment x, Tensor gamma, Tensor beta,
                                  double[] mean, double[] variance, float epsilon, boolean fuseRelu, MemorySegment dst,
                                  MemorySegment mask) {
        int c = r.channels();
        double[] scale = doubles(gamma);
        double[] shift = doubles(beta);
        for (int ch = 0; ch < c; ch++) scale[ch] /= Math.sqrt(variance[ch] + epsilon);
        PerWorker.forEach(par, r.chunks(), () -> new Scratch(r.rowsPerChunk() * c), (s, chunk) -> {
            int n = r.count(chunk) * c;
            MemorySegment.copy(x, F32, r.byteOffset(chunk), s.values, 0, n);
            for (int row = 0; row < n; row += c) {
                for (int ch = 0; ch < c; ch++) {
                    int i = row + ch;
                    float y = (float) ((s.values[i] - mean[ch]) * scale[ch] + shift[ch]);
                    s.values[i] = fuseRelu && !(y > 0) ? 0f : y;
                    s.flags[i] = (byte) (y > 0 ? 1 : 0);
                }
            }
            MemorySegment.copy(s.values, 0, dst, F32, r.byteOffset(chunk), n);
            if (mask != null) {
                MemorySegment.copy(s.flags, 0, mask, ValueLayout.JAVA_BYTE, (long) r.first(chunk) * c, n);
            }
        });
    }

    static void backward(ParallelRunner par, Tensor src, Tensor diffDst, Tensor gamma, Tensor batchMean,
                         Tensor batchVariance, float epsilon, boolean fuseRelu, Tensor workspace, Tensor diffSrc,
                         Tensor diffGamma, Tensor diffBeta) {
        checkWorkspace(src, workspace);
        Rows r = Rows.of(src);
        int c = r.channels();
        MemorySegment x = src.segment();
        MemorySegment dy = diffDst.segment();
        MemorySegment mask = fuseRelu ? workspace.segment() : null;
        double[] mean = doubles(batchMean);
        double[] invStd = doubles(batchVariance);
        for (int ch = 0; ch < c; ch++) invStd[ch] = 1 / Math.sqrt(invStd[ch] + epsilon);
        // Per chunk: Σ dy and Σ dy · x̂, with dy masked by the fused ReLU.
        double[][] sumDy = new double[r.chunks()][c];
        double[][] sumDyXhat = new double[r.chunks()][c];
        PerWorker.forEach(par, r.chunks(), () -> new Scratch(r.rowsPerChunk() * c), (s, chunk) -> {
            int n = s.load(r, chunk, x, dy, mask);
            double[] a = sumDy[chunk];
            double[] b = sumDyXhat[chunk];
            for (int row = 0; row < n; row += c) {
                for (int ch = 0; ch < c; ch++) {
                    double dyi = s.grads[row + ch];
                    a[ch] += dyi;
                    b[ch] += dyi * (s.values[row + ch] - mean[ch]) * invStd[ch];
                }
            }
        });
        double[] dBeta = total(sumDy, c);
        double[] dGamma = total(sumDyXhat, c);
        double rows = r.rows();
        double[] k = doubles(gamma); // gamma · invStd / N
        for (int ch = 0; ch < c; ch++) k[ch] *= invStd[ch] / rows;
        MemorySegment dx = diffSrc.segment();
        // dx = gamma · invStd / N · (N · dy - Σ dy - x̂ · Σ dy·x̂)
        PerWorker.forEach(par, r.chunks(), () -> new Scratch(r.rowsPerChunk() * c), (s, chunk) -> {
            int n = s.load(r, chunk, x, dy, mask);
            for (int row = 0; row < n; row += c) {
                for (int ch = 0; ch < c; ch++) {
                    int i = row + ch;
                    double xhat = (s.values[i] - mean[ch]) * invStd[ch];
                    s.values[i] = (float) (k[ch] * (rows * s.grads[i] - dBeta[ch] - xhat * dGamma[ch]));
                }
            }
            MemorySegment.copy(s.values, 0, dx, F32, r.byteOffset(chunk), n);
        });
        MemorySegment dg = diffGamma.segment();
        MemorySegment db = diffBeta.segment();
        for (int ch = 0; ch < c; ch++) {
            dg.setAtIndex(F32, ch, (float) dGamma[ch]);
            db.setAtIndex(F32, ch, (float) dBeta[ch]);
        }
    }

    /** One chunk's values, incoming gradients and ReLU flags. */
    private static final class Scratch {
        final float[] values;
        final float[] grads;
        final byte[] flags;

        Scratch(int size) {
            values = new float[size];
            grads = new float[size];
            flags = new byte[size];
        }

        /** Loads x and the (masked) dy of a chunk; returns its element count. */
        int load(Rows r, int chunk, MemorySegment x, MemorySegment dy, MemorySegment mask) {
            int n = r.count(chunk) * r.channels();
            MemorySegment.copy(x, F32, r.byteOffset(chunk), values, 0, n);
            MemorySegment.copy(dy, F32, r.byteOffset(chunk), grads, 0, n);
            if (mask != null) {
                MemorySegment.copy(mask, ValueLayout.JAVA_BYTE, (long) r.first(chunk) * r.channels(), flags, 0, n);
                for (int i = 0; i < n; i++) {
                    if (flags[i] == 0) grads[i] = 0f;
                }
            }
            return n;
        }
    }

    private static double[] total(double[][] partials, int c) {
        double[] t = new double[c];
        for (double[] p : partials) {
            for (int ch = 0; ch < c; ch++) t[ch] += p[ch];
        }
        return t;
    }

    private static double[] doubles(Tensor t) {
        float[] f = t.toFloatArray();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }
}
