package dev.panamax.backend.purejava;

import static dev.panamax.backend.purejava.Sizes.ceilDiv;
import static dev.panamax.backend.purejava.Sizes.roundUp4;
import static dev.panamax.backend.purejava.Sizes.toInt;

import dev.panamax.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * Matrix products on {@link GemmKernel}: operands are copied out of their segments in
 * cache-sized blocks, multiplied, and copied back. Each task owns one block of dst and sums
 * its whole k range, so results do not depend on the thread count. Operands are already
 * checked ({@code OpChecks.gemm}, {@code OpChecks.batchedMatmul}).
 */
final class JavaGemm {
    // A B panel of KC x NC floats (256 KiB) stays in L2 while the kernel sweeps C rows of NC
    // floats that stay in L1; 256 is also a trip count C2 vectorizes well.
    private static final int MC = 128;
    private static final int NC = 256;
    private static final int KC = 256;
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT;

    private JavaGemm() {
    }

    /** {@code dst = alpha · op(a) · op(b) + beta · dst} on 2-D tensors. */
    static void gemm(ParallelRunner par, Tensor a, boolean transposeA, Tensor b, boolean transposeB, float alpha,
                     float beta, Tensor dst) {
        int m = toInt(dst.shape().dim(0));
        int n = toInt(dst.shape().dim(1));
        int k = toInt(transposeA ? a.shape().dim(0) : a.shape().dim(1));
        Operands ops = new Operands(a.segment(), b.segment(), dst.segment());
        int rowBlocks = ceilDiv(m, MC);
        int colBlocks = ceilDiv(n, NC);
        PerWorker.forEach(par, rowBlocks * colBlocks,
                () -> new Worker(transposeA, transposeB, m, n, k, alpha, beta),
                (w, task) -> w.block(ops, task / colBlocks * MC, task % colBlocks * NC));
    }

    /** {@code dst[i] = op(a[i]) · op(b[i])} over the leading axis of 3-D tensors. */
    static void batched(ParallelRunner par, Tensor a, boolean transposeA, Tensor b, boolean transposeB, Tensor dst) {
        int batch = toInt(dst.shape().dim(0));
        int m = toInt(dst.shape().dim(1));
        int n = toInt(dst.shape().dim(2));
        int k = toInt(transposeA ? a.shape().dim(1) : a.shape().dim(2));
        MemorySegment sa = a.segment();
        MemorySegment sb = b.segment();
        MemorySegment sc = dst.segment();
        long aBytes = (long) m * k * Float.BYTES;
        long bBytes = (long) k * n * Float.BYTES;
        long cBytes = (long) m * n * Float.BYTES;
        int rowBlocks = ceilDiv(m, MC);
        int colBlocks = ceilDiv(n, NC);
        int perMatrix = rowBlocks * colBlocks;
        PerWorker.forEach(par, Math.multiplyExact(batch, perMatrix),
                () -> new Worker(transposeA, transposeB, m, n, k, 1f, 0f),
                (w, task) -> {
                    int i = task / perMatrix;
                    int block = task % perMatrix;
                    Operands ops = new Operands(sa.asSlice(i * aBytes, aBytes), sb.asSlice(i * bBytes, bBytes),
                            sc.asSlice(i * cBytes, cBytes));
                    w.block(ops, block / colBlocks * MC, block % colBlocks * NC);
                });
    }

    /** One product's memory: a, b and dst. */
    private record Operands(MemorySegment a, MemorySegment b, MemorySegment c) {
    }

    /** Scratch of one worker: packed blocks of a and b, and the dst tile they accumulate into. */
    private static final class Worker {
        private final boolean transposeA;
        private final boolean transposeB;
        private final int m;
        private final int n;
        private final int k;
        private final float alpha;
        private final float beta;
        private final float[] aBlock;
        private final float[][] bPanel;
        private final float[][] cTile;
        private final float[] line;

        Worker(boolean transposeA, boolean transposeB, int m, int n, int k, float alpha, float beta) {
            this.transposeA = transposeA;
            this.transposeB = transposeB;
            this.m = m;
            this.n = n;
            this.k = k;
            this.alpha = alpha;
            this.beta = beta;
            // Sized to the problem: small products are frequent and should not allocate full blocks.
            int mc4 = roundUp4(Math.min(MC, m));
            int nc = Math.min(NC, n);
            int kc4 = roundUp4(Math.min(KC, k));
            aBlock = new float[mc4 * kc4];
            bPanel = new float[kc4][nc];
            cTile = new float[mc4][nc];
            line = new float[Math.max(mc4, Math.max(nc, kc4))];
        }

        /** dst[i0 : i0+MC, j0 : j0+NC] = alpha · op(a)[i0 : i0+MC, :] · op(b)[:, j0 : j0+NC] + beta · dst. */
        void block(Operands ops, int i0, int j0) {
            int mc = Math.min(MC, m - i0);
            int nc = Math.min(NC, n - j0);
            int mc4 = roundUp4(mc);
            for (int i = 0; i < mc4; i++) {
                Arrays.fill(cTile[i], 0, nc, 0f);
            }
            for (int p0 = 0; p0 < k; p0 += KC) {
                int kc = Math.min(KC, k - p0);
                int kc4 = roundUp4(kc);
                packA(ops.a(), i0, mc, mc4, p0, kc, kc4);
                packB(ops.b(), p0, kc, kc4, j0, nc);
                GemmKernel.accumulate(aBlock, 0, kc4, bPanel, cTile, mc4, kc4, nc);
            }
            for (int i = 0; i < mc; i++) {
                long at = ((long) (i0 + i) * n + j0) * Float.BYTES;
                float[] row = cTile[i];
                if (alpha == 1f && beta == 0f) {
                    MemorySegment.copy(row, 0, ops.c(), F32, at, nc);
                    continue;
                }
                if (beta == 0f) { // dst is not read: NaN there must not leak through 0 · NaN
                    for (int j = 0; j < nc; j++) line[j] = alpha * row[j];
                } else {
                    MemorySegment.copy(ops.c(), F32, at, line, 0, nc);
                    for (int j = 0; j < nc; j++) line[j] = Math.fma(alpha, row[j], beta * line[j]);
                }
                MemorySegment.copy(line, 0, ops.c(), F32, at, nc);
            }
        }

        /** aBlock[i][p] = op(a)[i0 + i][p0 + p], zero-padded to mc4 x kc4 (row stride kc4). */
        private void packA(MemorySegment sa, int i0, int mc, int mc4, int p0, int kc, int kc4) {
            if (mc < mc4 || kc < kc4) {
                Arrays.fill(aBlock, 0, mc4 * kc4, 0f);
            }
            if (!transposeA) { // a is [m, k]: rows are contiguous in p
                for (int i = 0; i < mc; i++) {
                    MemorySegment.copy(sa, F32, ((long) (i0 + i) * k + p0) * Float.BYTES, aBlock, i * kc4, kc);
                }
            } else { // a is [k, m]: read a row of a, scatter it down a column of the block
                for (int p = 0; p < kc; p++) {
                    MemorySegment.copy(sa, F32, ((long) (p0 + p) * m + i0) * Float.BYTES, line, 0, mc);
                    for (int i = 0; i < mc; i++) {
                        aBlock[i * kc4 + p] = line[i];
                    }
                }
            }
        }

        /** bPanel[p][j] = op(b)[p0 + p][j0 + j]; rows kc..kc4 are zero. */
        private void packB(MemorySegment sb, int p0, int kc, int kc4, int j0, int nc) {
            if (!transposeB) { // b is [k, n]
                for (int p = 0; p < kc; p++) {
                    MemorySegment.copy(sb, F32, ((long) (p0 + p) * n + j0) * Float.BYTES, bPanel[p], 0, nc);
                }
            } else { // b is [n, k]
                for (int j = 0; j < nc; j++) {
                    MemorySegment.copy(sb, F32, ((long) (j0 + j) * k + p0) * Float.BYTES, line, 0, kc);
                    for (int p = 0; p < kc; p++) {
                        bPanel[p][j] = line[p];
                    }
                }
            }
            for (int p = kc; p < kc4; p++) {
                Arrays.fill(bPanel[p], 0, nc, 0f);
            }
        }
    }
}
