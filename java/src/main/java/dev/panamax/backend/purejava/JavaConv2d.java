package dev.panamax.backend.purejava;

import static dev.panamax.backend.purejava.Sizes.ceilDiv;
import static dev.panamax.backend.purejava.Sizes.roundUp4;
import static dev.panamax.backend.purejava.Sizes.toInt;

import dev.panamax.backend.Activation;
import dev.panamax.backend.Conv2dSpec;
import dev.panamax.backend.PostOps;
import dev.panamax.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * Forward convolution with fused post-ops, {@code dst = act(conv(src, w) + bias [+ dst])}: one
 * GEMM per group and tile of output pixels, computed transposed so the kernel's inner loop
 * runs over pixels: {@code dstᵀ[o][q] = Σ_k wᵀ[o][k] · col[k][q]} with {@code col} the im2col
 * matrix of the tile. im2col reads a channel-major copy of the input image, where a row of col
 * is runs of input rows rather than a gather across channels. Depthwise convolutions use a
 * direct loop. Each task owns one tile of dst, so results do not depend on the thread count.
 * With the Vector API kernel, stride-1 single-group convolutions skip im2col
 * ({@link JavaConv2dDirect}), with bit-identical results. Operands are already checked.
 */
final class JavaConv2d {
    /** im2col rows per GEMM block: the block of col stays in L2. */
    private static final int KC = 256;
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT;

    private JavaConv2d() {
    }

    static void forward(ParallelRunner par, Conv2dSpec spec, PostOps postOps, Tensor src, Tensor weights, Tensor bias,
                        Tensor dst) {
        ConvGeometry geo = new ConvGeometry(spec);
        if (goesDirect(geo)) {
            JavaConv2dDirect.forward(par, new Plan(geo, postOps, weights.segment(), bias == null ? null : bias.segment(),
                    false), src.segment(), dst.segment());
        } else {
            im2colForward(par, geo, postOps, src, weights, bias, dst);
        }
    }

    /**
     * Whether {@link #forward} skips im2col. The direct path's GEMMs run along output channels, a
     * short j: they pay only with the vector kernel, which keeps blocks of whole vectors of them in
     * registers. C2's loops want the im2col path's long rows of pixels.
     */
    static boolean goesDirect(ConvGeometry geo) {
        return GemmKernel.VECTORIZED && geo.outC >= GemmKernel.lanes() && JavaConv2dDirect.applies(geo);
    }

    /** The im2col path, which takes any convolution; tests compare it with {@link JavaConv2dDirect}. */
    static void im2colForward(ParallelRunner par, ConvGeometry geo, PostOps postOps, Tensor src, Tensor weights,
                              Tensor bias, Tensor dst) {
        Plan plan = new Plan(geo, postOps, weights.segment(), bias == null ? null : bias.segment(), true);
        MemorySegment s = src.segment();
        MemorySegment d = dst.segment();
        int tilesPerImage = ceilDiv(plan.geo.outPixels, ConvGeometry.PIXELS);
        PerWorker.forEach(par, toInt((long) plan.geo.batch * tilesPerImage), () -> new Worker(plan, s, d),
                (w, task) -> w.tile(task / tilesPerImage, task % tilesPerImage * ConvGeometry.PIXELS));
    }

    /** The weights (transposed per group for the im2col GEMM), the bias, and the post-ops. */
    static final class Plan {
        final ConvGeometry geo;
        /** Per group: {@code og4 x kTotal4} row-major, zero-padded; empty unless asked for. */
        final float[][] wT;
        /** The weights as given, {@code [kh * kw * cig][outC]}. */
        final float[] hwio;
        final float[] bias;
        final boolean sum;
        final Activation activation;
        final double alpha;

        Plan(ConvGeometry geo, PostOps postOps, MemorySegment weights, MemorySegment biasSegment, boolean transposed) {
            this.geo = geo;
            hwio = new float[toInt((long) geo.kTotal * geo.outC)];
            MemorySegment.copy(weights, F32, 0, hwio, 0, hwio.length);
            wT = new float[geo.depthwise || !transposed ? 0 : geo.groups][geo.og4 * geo.kTotal4];
            for (int g = 0; g < wT.length; g++) {
                for (int o = 0; o < geo.og; o++) {
                    for (int kk = 0; kk < geo.kTotal; kk++) {
                        wT[g][o * geo.kTotal4 + kk] = hwio[kk * geo.outC + g * geo.og + o];
                    }
                }
            }
            bias = biasSegment == null ? null : biasSegment.toArray(F32);
            sum = postOps.sum();
            activation = postOps.activation();
            alpha = postOps.alpha();
        }
    }

    /**
     * {@code out[0, count)}, bound for dst at byte offset {@code at}: the sum with dst's old content
     * (read through {@code old}), then the activation, each rounded to float as oneDNN does.
     */
    static void postOps(Plan plan, MemorySegment dst, long at, float[] out, float[] old, int count) {
        if (plan.sum) {
            MemorySegment.copy(dst, F32, at, old, 0, count);
            for (int i = 0; i < count; i++) out[i] += old[i];
        }
        if (plan.activation != Activation.LINEAR) {
            for (int i = 0; i < count; i++) out[i] = (float) plan.activation.apply(out[i], plan.alpha);
        }
    }

    /** Scratch of one worker: the current input image, the im2col block, and the output tile. */
    private static final class Worker {
        /** Pixels per step of the transposes between NHWC and channel-major: the block stays in L1. */
        private static final int TRANSPOSE_PIXELS = 16;

        private final Plan plan;
        private final ConvGeometry p;
        private final MemorySegment src;
        private final MemorySegment dst;
        private final float[] image;
        /** The current image channel-major, {@code [inC][inH · inW]}, for im2col; unused when depthwise. */
        private final float[] planes;
        private int loadedImage = -1;
        private final float[][] col;
        private final float[][] acc;
        private final float[] out;
        private final float[] old;
        private final int[] rowBase;
        private final int[] colBase;
        /** The tile's pieces of output rows: first pixel in the tile, output row, first column, length. */
        private final int[] segmentQ;
        private final int[] segmentRow;
        private final int[] segmentCol;
        private final int[] segmentLength;
        private int segments;

        Worker(Plan plan, MemorySegment src, MemorySegment dst) {
            this.plan = plan;
            this.p = plan.geo;
            this.src = src;
            this.dst = dst;
            int pixels = p.tile;
            this.image = new float[p.imageSize()];
            this.planes = p.depthwise ? null : new float[p.imageSize()];
            this.col = p.depthwise ? null : new float[Math.min(KC, p.kTotal4)][pixels];
            this.acc = p.depthwise ? null : new float[p.og4][pixels];
            this.out = new float[pixels * p.outC];
            this.old = plan.sum ? new float[pixels * p.outC] : null;
            this.rowBase = new int[pixels];
            this.colBase = new int[pixels];
            int most = Math.min(pixels, pixels / p.outW + 2);
            this.segmentQ = new int[most];
            this.segmentRow = new int[most];
            this.segmentCol = new int[most];
            this.segmentLength = new int[most];
        }

        /** Output pixels [q0, q0 + PIXELS) of image {@code img}, all channels. */
        void tile(int img, int q0) {
            if (img != loadedImage) {
                MemorySegment.copy(src, F32, (long) img * image.length * Float.BYTES, image, 0, image.length);
                if (!p.depthwise) {
                    toPlanes();
                }
                loadedImage = img;
            }
            int pc = Math.min(ConvGeometry.PIXELS, p.outPixels - q0);
            if (p.depthwise) {
                for (int q = 0; q < pc; q++) {
                    rowBase[q] = p.rowBase(q0 + q);
                    colBase[q] = p.colBase(q0 + q);
                }
                depthwise(pc);
            } else {
                segments = 0;
                for (int q = 0; q < pc; ) {
                    int col = (q0 + q) % p.outW;
                    int length = Math.min(pc - q, p.outW - col);
                    segmentQ[segments] = q;
                    segmentRow[segments] = (q0 + q) / p.outW;
                    segmentCol[segments] = col;
                    segmentLength[segments] = length;
                    segments++;
                    q += length;
                }
                for (int g = 0; g < p.groups; g++) {
                    group(g, q0, pc);
                }
            }
            long at = ((long) img * p.outPixels + q0) * p.outC * Float.BYTES;
            postOps(plan, dst, at, out, old, pc * p.outC);
            MemorySegment.copy(out, 0, dst, F32, at, pc * p.outC);
        }

        /** The tile's output channels of group g (bias included): a GEMM per block of im2col rows. */
        private void group(int g, int q0, int pc) {
            for (int o = 0; o < p.og4; o++) {
                Arrays.fill(acc[o], 0, pc, 0f);
            }
            for (int k0 = 0; k0 < p.kTotal; k0 += KC) {
                int kc = Math.min(KC, p.kTotal - k0);
                int kc4 = roundUp4(kc);
                im2col(g, k0, kc, kc4, q0, pc);
                GemmKernel.accumulate(plan.wT[g], k0, p.kTotal4, col, acc, p.og4, kc4, pc);
            }
            // A block of pixels at a time: the lines of acc and out it touches stay in L1.
            for (int qb = 0; qb < pc; qb += TRANSPOSE_PIXELS) {
                int qe = Math.min(pc, qb + TRANSPOSE_PIXELS);
                for (int o = 0; o < p.og; o++) {
                    int oc = g * p.og + o;
                    float b = plan.bias == null ? 0f : plan.bias[oc];
                    float[] row = acc[o];
                    for (int q = qb; q < qe; q++) {
                        out[q * p.outC + oc] = row[q] + b;
                    }
                }
            }
        }

        /**
         * Depthwise tile: channel c of pixel q sums input channel c under the kernel, in the
         * same term order as the GEMM path; the channel loop is contiguous in src, weights and dst.
         */
        private void depthwise(int pc) {
            int channels = p.outC;
            Arrays.fill(out, 0, pc * channels, 0f);
            float[] hwio = plan.hwio;
            for (int q = 0; q < pc; q++) {
                int o0 = q * channels;
                for (int r = 0; r < p.kh; r++) {
                    int ih = rowBase[q] + r * p.dh;
                    if (ih < 0 || ih >= p.inH) continue;
                    for (int s = 0; s < p.kw; s++) {
                        int iw = colBase[q] + s * p.dw;
                        if (iw < 0 || iw >= p.inW) continue;
                        int i0 = (ih * p.inW + iw) * channels;
                        int w0 = (r * p.kw + s) * channels;
                        for (int c = 0; c < channels; c++) {
                            out[o0 + c] = Math.fma(image[i0 + c], hwio[w0 + c], out[o0 + c]);
                        }
                    }
                }
                if (plan.bias != null) {
                    for (int c = 0; c < channels; c++) {
                        out[o0 + c] += plan.bias[c];
                    }
                }
            }
        }

        /** planes[c][x] = image[x][c]: NHWC to channel-major, a block of pixels at a time. */
        private void toPlanes() {
            int pixels = p.inH * p.inW;
            int channels = p.inC;
            for (int x0 = 0; x0 < pixels; x0 += TRANSPOSE_PIXELS) {
                int x1 = Math.min(pixels, x0 + TRANSPOSE_PIXELS);
                for (int c = 0; c < channels; c++) {
                    int to = c * pixels;
                    for (int x = x0; x < x1; x++) {
                        planes[to + x] = image[x * channels + c];
                    }
                }
            }
        }

        /**
         * col[kk - k0][q] = input of group g under kernel row kk for pixel q0 + q; zero outside the
         * image. Along a piece of an output row, a kernel row reads one input row of one channel
         * plane: a contiguous run at stride 1.
         */
        private void im2col(int g, int k0, int kc, int kc4, int q0, int pc) {
            int plane = p.inH * p.inW;
            int k1 = k0 + kc;
            for (int kk = k0; kk < k1; ) {
                int rs = kk / p.cig;
                int ci0 = kk % p.cig;
                int ci1 = Math.min(p.cig, ci0 + (k1 - kk));
                int dy = (rs / p.kw) * p.dh;
                int dx = (rs % p.kw) * p.dw;
                // Output columns whose window column dx lies inside the image: [owLo, owHi).
                int owLo = Math.max(0, Math.ceilDiv(p.pl - dx, p.sw));
                int owHi = Math.min(p.outW, Math.floorDiv(p.inW - 1 + p.pl - dx, p.sw) + 1);
                boolean padded = false;
                for (int t = 0; t < segments && !padded; t++) {
                    int ih = segmentRow[t] * p.sh - p.pt + dy;
                    padded = ih < 0 || ih >= p.inH || segmentCol[t] < owLo
                            || segmentCol[t] + segmentLength[t] > owHi;
                }
                for (int ci = ci0; ci < ci1; ci++) {
                    float[] row = col[kk - k0 + ci - ci0];
                    if (padded) {
                        Arrays.fill(row, 0, pc, 0f);
                    }
                    int from = (g * p.cig + ci) * plane + dx - p.pl;
                    for (int t = 0; t < segments; t++) {
                        int ih = segmentRow[t] * p.sh - p.pt + dy;
                        int ow0 = segmentCol[t];
                        int lo = Math.max(ow0, owLo);
                        int hi = Math.min(ow0 + segmentLength[t], owHi);
                        if (ih < 0 || ih >= p.inH || lo >= hi) continue;
                        int at = segmentQ[t] + lo - ow0;
                        int in = from + ih * p.inW + lo * p.sw;
                        if (p.sw == 1) {
                            System.arraycopy(planes, in, row, at, hi - lo);
                        } else {
                            for (int ow = lo; ow < hi; ow++, in += p.sw) {
                                row[at++] = planes[in];
                            }
                        }
                    }
                }
                kk += ci1 - ci0;
            }
            for (int r = kc; r < kc4; r++) { // padding rows meet zero weights; keep them finite
                Arrays.fill(col[r], 0, pc, 0f);
            }
        }
    }
}
