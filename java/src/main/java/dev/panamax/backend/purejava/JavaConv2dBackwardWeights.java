package dev.panamax.backend.purejava;

import static dev.panamax.backend.purejava.Sizes.ceilDiv;
import static dev.panamax.backend.purejava.Sizes.roundUp4;

import dev.panamax.ComputeThreads;
import dev.panamax.backend.Conv2dSpec;
import dev.panamax.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * The weight and bias gradients of a convolution: {@code diffWᵀ[o][k] = Σ_{n,q} diffDstᵀ[o][q] · col[q][k]}
 * per group, a GEMM whose inner loop runs over the im2col rows k, and {@code diffBias[o] = Σ diffDst}.
 *
 * <p>A task owns a block of diffW (group, output channels, im2col rows) and sums over every image
 * and pixel in order, so results do not depend on the thread count. Depthwise weights sum one
 * partial per image, then add the partials in image order.
 */
final class JavaConv2dBackwardWeights {
    /** im2col rows per task at most: the inner loop's length, and the granularity of the work split. */
    private static final int KB = 128;
    /** Output channels per task. */
    private static final int OB = 128;
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT;

    private JavaConv2dBackwardWeights() {
    }

    static void run(ParallelRunner par, Conv2dSpec spec, Tensor src, Tensor diffDst, Tensor diffWeights,
                    Tensor diffBias) {
        ConvGeometry geo = new ConvGeometry(spec);
        MemorySegment x = src.segment();
        MemorySegment dy = diffDst.segment();
        MemorySegment dw = diffWeights.segment();
        if (geo.depthwise) {
            depthwise(par, geo, x, dy, dw);
        } else {
            int oBlocks = ceilDiv(geo.og, OB);
            // Every diffW element sums in the same order however the rows are split, so the split
            // may follow the thread count: a multiple of it, for tasks of equal size.
            int threads = ComputeThreads.get();
            int base = geo.groups * oBlocks * ceilDiv(geo.kTotal, KB);
            int kBlocks = Math.min(ceilDiv(geo.kTotal, 4),
                    ceilDiv(ceilDiv(base, threads) * threads, geo.groups * oBlocks));
            int kb = roundUp4(ceilDiv(geo.kTotal, kBlocks));
            int kBlocksUsed = ceilDiv(geo.kTotal, kb);
            int perGroup = kBlocksUsed * oBlocks;
            PerWorker.forEach(par, geo.groups * perGroup, () -> new Worker(geo, kb, x, dy, dw), (w, task) -> {
                int rest = task % perGroup;
                w.block(task / perGroup, rest / kBlocksUsed * OB, rest % kBlocksUsed * kb);
            });
        }
        if (diffBias != null) {
            biasGradient(par, geo, dy, diffBias.segment());
        }
    }

    /** Scratch of one worker: the current image, a tile of diffDstᵀ and its im2col rows, and the diffW block. */
    private static final class Worker {
        private final ConvGeometry p;
        private final MemorySegment x;
        private final MemorySegment dy;
        private final MemorySegment dw;
        private final float[] image;
        private final float[] dyTile;
        /** diffDstᵀ of one tile: {@code [OB][pixels4]}, row stride pixels4. */
        private final float[] aTile;
        /** im2colᵀ of one tile: {@code [pixels4][kBlock]}. */
        private final float[][] colT;
        /** The diffWᵀ block: {@code [OB4][kBlock]}. */
        private final float[][] acc;
        private final float[] line;
        private final int stride;
        private final int kBlock;

        Worker(ConvGeometry geo, int kBlock, MemorySegment x, MemorySegment dy, MemorySegment dw) {
            this.p = geo;
            this.x = x;
            this.dy = dy;
            this.dw = dw;
            int pixels4 = roundUp4(geo.tile);
            int ob4 = roundUp4(Math.min(OB, geo.og));
            int kb = Math.min(kBlock, geo.kTotal);
            this.kBlock = kBlock;
            stride = pixels4;
            image = new float[geo.imageSize()];
            dyTile = new float[geo.tile * geo.outC];
            aTile = new float[ob4 * pixels4];
            colT = new float[pixels4][kb];
            acc = new float[ob4][kb];
            line = new float[geo.outC];
        }

        /** diffW rows [k0, k0 + kBlock) and output channels [g·og + o0, g·og + o0 + OB). */
        void block(int g, int o0, int k0) {
            int oc = Math.min(OB, p.og - o0);
            int oc4 = roundUp4(oc);
            int kc = Math.min(kBlock, p.kTotal - k0);
            for (int o = 0; o < oc4; o++) {
                Arrays.fill(acc[o], 0, kc, 0f);
            }
            for (int img = 0; img < p.batch; img++) {
                MemorySegment.copy(x, F32, (long) img * image.length * Float.BYTES, image, 0, image.length);
                for (int q0 = 0; q0 < p.outPixels; q0 += ConvGeometry.PIXELS) {
                    int pc = Math.min(ConvGeometry.PIXELS, p.outPixels - q0);
                    int pc4 = roundUp4(pc);
                    packDiffDst(img, q0, pc, pc4, g * p.og + o0, oc, oc4);
                    im2colT(g, k0, kc, q0, pc, pc4);
                    GemmKernel.accumulate(aTile, 0, stride, colT, acc, oc4, pc4, kc);
                }
            }
            // diffW is HWIO: row k, column g·og + o.
            for (int k = 0; k < kc; k++) {
                long at = ((long) (k0 + k) * p.outC + g * p.og + o0) * Float.BYTES;
                for (int o = 0; o < oc; o++) line[o] = acc[o][k];
                MemorySegment.copy(line, 0, dw, F32, at, oc);
            }
        }

        /** aTile[o][q] = diffDst[q0 + q][c0 + o], zero-padded to oc4 x pc4. */
        private void packDiffDst(int img, int q0, int pc, int pc4, int c0, int oc, int oc4) {
            MemorySegment.copy(dy, F32, ((long) img * p.outPixels + q0) * p.outC * Float.BYTES, dyTile, 0,
                    pc * p.outC);
            for (int o = 0; o < oc4; o++) {
                int row = o * stride;
                if (o >= oc) {
                    Arrays.fill(aTile, row, row + pc4, 0f);
                    continue;
                }
                for (int q = 0; q < pc; q++) {
                    aTile[row + q] = dyTile[q * p.outC + c0 + o];
                }
                for (int q = pc; q < pc4; q++) {
                    aTile[row + q] = 0f;
                }
            }
        }

        /** colT[q][k - k0] = input of group g under kernel row k for pixel q0 + q; zero outside the image. */
        private void im2colT(int g, int k0, int kc, int q0, int pc, int pc4) {
            int k1 = k0 + kc;
            for (int q = 0; q < pc; q++) {
                float[] row = colT[q];
                int rb = p.rowBase(q0 + q);
                int cb = p.colBase(q0 + q);
                for (int kk = k0; kk < k1; ) {
                    int rs = kk / p.cig;
                    int ci0 = kk % p.cig;
                    int run = Math.min(p.cig - ci0, k1 - kk);
                    int ih = rb + (rs / p.kw) * p.dh;
                    int iw = cb + (rs % p.kw) * p.dw;
                    if (ih >= 0 && ih < p.inH && iw >= 0 && iw < p.inW) {
                        System.arraycopy(image, (ih * p.inW + iw) * p.inC + g * p.cig + ci0, row, kk - k0, run);
                    } else {
                        Arrays.fill(row, kk - k0, kk - k0 + run, 0f);
                    }
                    kk += run;
                }
            }
            for (int q = pc; q < pc4; q++) { // padding pixels meet zero gradients; keep them finite
                Arrays.fill(colT[q], 0, kc, 0f);
            }
        }
    }

    /** Depthwise: per image, {@code partial[r][s][c] = Σ_q x · diffDst}; then the partials in image order. */
    private static void depthwise(ParallelRunner par, ConvGeometry p, MemorySegment x, MemorySegment dy,
                                  MemorySegment dw) {
        int channels = p.outC;
        int taps = p.kh * p.kw * channels;
        float[][] partial = new float[p.batch][taps];
        PerWorker.forEach(par, p.batch, () -> new float[][] {new float[p.imageSize()], new float[p.outW * channels]},
                (scratch, img) -> {
                    float[] image = scratch[0];
                    float[] dyRow = scratch[1];
                    float[] sum = partial[img];
                    MemorySegment.copy(x, F32, (long) img * image.length * Float.BYTES, image, 0, image.length);
                    for (int oh = 0; oh < p.outH; oh++) {
                        MemorySegment.copy(dy, F32, ((long) img * p.outH + oh) * p.outW * channels * Float.BYTES,
                                dyRow, 0, p.outW * channels);
                        for (int r = 0; r < p.kh; r++) {
                            int ih = oh * p.sh - p.pt + r * p.dh;
                            if (ih < 0 || ih >= p.inH) continue;
                            for (int ow = 0; ow < p.outW; ow++) {
                                for (int s = 0; s < p.kw; s++) {
                                    int iw = ow * p.sw - p.pl + s * p.dw;
                                    if (iw < 0 || iw >= p.inW) continue;
                                    int i0 = (ih * p.inW + iw) * channels;
                                    int w0 = (r * p.kw + s) * channels;
                                    int d0 = ow * channels;
                                    for (int c = 0; c < channels; c++) {
                                        sum[w0 + c] = Math.fma(image[i0 + c], dyRow[d0 + c], sum[w0 + c]);
                                    }
                                }
                            }
                        }
                    }
                });
        float[] total = partial[0];
        for (int img = 1; img < p.batch; img++) {
            for (int i = 0; i < taps; i++) total[i] += partial[img][i];
        }
        MemorySegment.copy(total, 0, dw, F32, 0, taps);
    }

    /** {@code diffBias[o] = Σ_{n,q} diffDst[n][q][o]}: one double partial per image, added in image order. */
    private static void biasGradient(ParallelRunner par, ConvGeometry p, MemorySegment dy, MemorySegment db) {
        double[][] partial = new double[p.batch][p.outC];
        PerWorker.forEach(par, p.batch, () -> new float[p.outW * p.outC], (row, img) -> {
            double[] sum = partial[img];
            for (int oh = 0; oh < p.outH; oh++) {
                MemorySegment.copy(dy, F32, ((long) img * p.outH + oh) * p.outW * p.outC * Float.BYTES, row, 0,
                        p.outW * p.outC);
                for (int ow = 0; ow < p.outW; ow++) {
                    int d0 = ow * p.outC;
                    for (int o = 0; o < p.outC; o++) sum[o] += row[d0 + o];
                }
            }
        });
        for (int o = 0; o < p.outC; o++) {
            double s = 0;
            for (int img = 0; img < p.batch; img++) s += partial[img][o];
            db.setAtIndex(F32, o, (float) s);
        }
    }
}
