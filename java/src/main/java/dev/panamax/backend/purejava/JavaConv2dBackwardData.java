package dev.panamax.backend.purejava;

import static dev.panamax.backend.purejava.Sizes.ceilDiv;
import static dev.panamax.backend.purejava.Sizes.roundUp4;
import static dev.panamax.backend.purejava.Sizes.toInt;

import dev.panamax.ComputeThreads;
import dev.panamax.backend.Conv2dSpec;
import dev.panamax.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * The input gradient of a convolution, {@code diffSrc = col2im(Wᵀ · diffDst)}: per tile of output
 * pixels and group, {@code dcolᵀ[q][k] = Σ_o diffDst[q][o] · W[k][o]} (a GEMM whose inner loop
 * runs over the im2col rows k), then each pixel's row of dcolᵀ is added into the input image at
 * its window, a run of contiguous channels per kernel tap.
 *
 * <p>A task owns a band of input rows of one image, so windows that straddle bands are computed
 * by both (and added only inside each band). Tiles come from a fixed grid and every element
 * sums its terms in the same order (tile, group, k block, pixel), so results do not depend on
 * the thread count.
 */
final class JavaConv2dBackwardData {
    /** Rows of dcolᵀ per GEMM block (im2col rows k): the block of W stays in L2. */
    private static final int NC = 256;
    /** Output channels per GEMM block. */
    private static final int KC = 256;
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT;

    private JavaConv2dBackwardData() {
    }

    static void run(ParallelRunner par, Conv2dSpec spec, Tensor diffDst, Tensor weights, Tensor diffSrc) {
        ConvGeometry geo = new ConvGeometry(spec);
        float[] hwio = new float[toInt((long) geo.kTotal * geo.outC)];
        MemorySegment.copy(weights.segment(), F32, 0, hwio, 0, hwio.length);
        float[][][][][] wBlocks = geo.depthwise ? null : packWeights(geo, hwio);
        MemorySegment dy = diffDst.segment();
        MemorySegment dx = diffSrc.segment();
        int bands = bands(geo);
        int rowsPerBand = ceilDiv(geo.inH, bands);
        PerWorker.forEach(par, geo.batch * bands, () -> new Worker(geo, hwio, wBlocks, dy, dx),
                (w, task) -> {
                    int h0 = task % bands * rowsPerBand;
                    w.band(task / bands, h0, Math.min(geo.inH, h0 + rowsPerBand));
                });
    }

    /**
     * Bands per image: one when the batch alone keeps every thread busy; otherwise enough for
     * about two tasks per thread, but each at least a few tiles tall so recomputed windows stay cheap.
     */
    private static int bands(ConvGeometry geo) {
        int threads = ComputeThreads.get();
        if (geo.batch >= threads) return 1;
        int tileRows = ceilDiv(geo.tile, geo.outW) * geo.sh + (geo.kh - 1) * geo.dh;
        int most = Math.max(1, geo.inH / Math.max(4, 2 * tileRows));
        return Math.min(most, ceilDiv(2 * threads, geo.batch));
    }

    /** Per group, output-channel block and k block: {@code W[k][g·og + o]} as {@code [o][k]}, zero-padded in o. */
    private static float[][][][][] packWeights(ConvGeometry geo, float[] hwio) {
        int oBlocks = ceilDiv(geo.og, KC);
        int kBlocks = ceilDiv(geo.kTotal, NC);
        float[][][][][] blocks = new float[geo.groups][oBlocks][kBlocks][][];
        for (int g = 0; g < geo.groups; g++) {
            for (int ob = 0; ob < oBlocks; ob++) {
                int o0 = ob * KC;
                int oc = Math.min(KC, geo.og - o0);
                for (int kb = 0; kb < kBlocks; kb++) {
                    int k0 = kb * NC;
                    int kc = Math.min(NC, geo.kTotal - k0);
                    float[][] b = new float[roundUp4(oc)][kc];
                    for (int o = 0; o < oc; o++) {
                        for (int k = 0; k < kc; k++) {
                            b[o][k] = hwio[(k0 + k) * geo.outC + g * geo.og + o0 + o];
                        }
                    }
                    blocks[g][ob][kb] = b;
                }
            }
        }
        return blocks;
    }

    /** Scratch of one worker: the image being accumulated, a tile of diffDst, and a block of dcolᵀ. */
    private static final class Worker {
        private final ConvGeometry p;
        private final float[] hwio;
        private final float[][][][][] wBlocks;
        private final MemorySegment dy;
        private final MemorySegment dx;
        private final float[] image;
        private final float[] dyTile;
        private final float[] aTile;
        private final float[][] dcol;
        private final int[] rowBase;
        private final int[] colBase;

        Worker(ConvGeometry geo, float[] hwio, float[][][][][] wBlocks, MemorySegment dy, MemorySegment dx) {
            this.p = geo;
            this.hwio = hwio;
            this.wBlocks = wBlocks;
            this.dy = dy;
            this.dx = dx;
            int pixels4 = roundUp4(geo.tile);
            image = new float[geo.imageSize()];
            dyTile = new float[geo.depthwise ? geo.outW * geo.outC : geo.tile * geo.outC];
            aTile = geo.depthwise ? null : new float[pixels4 * geo.og4];
            dcol = geo.depthwise ? null : new float[pixels4][Math.min(NC, geo.kTotal)];
            rowBase = new int[geo.tile];
            colBase = new int[geo.tile];
        }

        /** diffSrc rows [h0, h1) of image img. */
        void band(int img, int h0, int h1) {
            int rowFloats = p.inW * p.inC;
            Arrays.fill(image, h0 * rowFloats, h1 * rowFloats, 0f);
            // Output rows whose windows reach into the band.
            int ohLo = Math.max(0, ceilDiv(Math.max(0, h0 + p.pt - (p.kh - 1) * p.dh), p.sh));
            int ohHi = Math.min(p.outH - 1, Math.floorDiv(h1 - 1 + p.pt, p.sh));
            if (ohLo <= ohHi) {
                if (p.depthwise) {
                    depthwise(img, h0, h1, ohLo, ohHi);
                } else {
                    int t0 = ohLo * p.outW / ConvGeometry.PIXELS;
                    int t1 = ((ohHi + 1) * p.outW - 1) / ConvGeometry.PIXELS;
                    for (int t = t0; t <= t1; t++) {
                        tile(img, t * ConvGeometry.PIXELS, h0, h1);
                    }
                }
            }
            MemorySegment.copy(image, h0 * rowFloats, dx, F32, ((long) img * p.inH + h0) * rowFloats * Float.BYTES,
                    (h1 - h0) * rowFloats);
        }

        private void tile(int img, int q0, int h0, int h1) {
            int pc = Math.min(ConvGeometry.PIXELS, p.outPixels - q0);
            int pc4 = roundUp4(pc);
            MemorySegment.copy(dy, F32, ((long) img * p.outPixels + q0) * p.outC * Float.BYTES, dyTile, 0,
                    pc * p.outC);
            for (int q = 0; q < pc; q++) {
                rowBase[q] = p.rowBase(q0 + q);
                colBase[q] = p.colBase(q0 + q);
            }
            for (int g = 0; g < p.groups; g++) {
                // aTile[q][o] = diffDst[q][g·og + o], zero-padded to pc4 x og4.
                Arrays.fill(aTile, 0, pc4 * p.og4, 0f);
                for (int q = 0; q < pc; q++) {
                    System.arraycopy(dyTile, q * p.outC + g * p.og, aTile, q * p.og4, p.og);
                }
                float[][][][] blocks = wBlocks[g];
                for (int kb = 0; kb * NC < p.kTotal; kb++) {
                    int k0 = kb * NC;
                    int kc = Math.min(NC, p.kTotal - k0);
                    for (int q = 0; q < pc4; q++) {
                        Arrays.fill(dcol[q], 0, kc, 0f);
                    }
                    for (int ob = 0; ob < blocks.length; ob++) {
                        float[][] b = blocks[ob][kb];
                        GemmKernel.accumulate(aTile, ob * KC, p.og4, b, dcol, pc4, b.length, kc);
                    }
                    col2im(g, k0, kc, pc, h0, h1);
                }
            }
        }

        /** Adds dcolᵀ[q][k - k0] to the input under kernel row k of pixel q, inside rows [h0, h1). */
        private void col2im(int g, int k0, int kc, int pc, int h0, int h1) {
            int k1 = k0 + kc;
            for (int q = 0; q < pc; q++) {
                float[] row = dcol[q];
                for (int kk = k0; kk < k1; ) {
                    int rs = kk / p.cig;
                    int ci0 = kk % p.cig;
                    int run = Math.min(p.cig - ci0, k1 - kk);
                    int ih = rowBase[q] + (rs / p.kw) * p.dh;
                    int iw = colBase[q] + (rs % p.kw) * p.dw;
                    if (ih >= h0 && ih < h1 && iw >= 0 && iw < p.inW) {
                        int at = (ih * p.inW + iw) * p.inC + g * p.cig + ci0;
                        int from = kk - k0;
                        for (int i = 0; i < run; i++) {
                            image[at + i] += row[from + i];
                        }
                    }
                    kk += run;
                }
            }
        }

        /** Depthwise: every output pixel adds diffDst · w into its window, channels contiguous. */
        private void depthwise(int img, int h0, int h1, int ohLo, int ohHi) {
            int channels = p.outC;
            for (int oh = ohLo; oh <= ohHi; oh++) {
                MemorySegment.copy(dy, F32, (((long) img * p.outH + oh) * p.outW) * channels * Float.BYTES, dyTile,
                        0, p.outW * channels);
                for (int r = 0; r < p.kh; r++) {
                    int ih = oh * p.sh - p.pt + r * p.dh;
                    if (ih < h0 || ih >= h1) continue;
                    for (int ow = 0; ow < p.outW; ow++) {
                        int d0 = ow * channels;
                        for (int s = 0; s < p.kw; s++) {
                            int iw = ow * p.sw - p.pl + s * p.dw;
                            if (iw < 0 || iw >= p.inW) continue;
                            int i0 = (ih * p.inW + iw) * channels;
                            int w0 = (r * p.kw + s) * channels;
                            for (int c = 0; c < channels; c++) {
                                image[i0 + c] = Math.fma(dyTile[d0 + c], hwio[w0 + c], image[i0 + c]);
                            }
                        }
                    }
                }
            }
        }
    }
}
