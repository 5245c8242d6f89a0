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
 * matrix of the tile. Depthwise convolutions use a direct loop. Each task owns one tile of
 * dst, so results do not depend on the thread count. Operands are already checked.
 */
final class JavaConv2d {
    /** im2col rows per GEMM block: the block of col stays in L2. */
    private static final int KC = 256;
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT;

    private JavaConv2d() {
    }

    static void forward(ParallelRunner par, Conv2dSpec spec, PostOps postOps, Tensor src, Tensor weights, Tensor bias,
                        Tensor dst) {
        Plan plan = new Plan(new ConvGeometry(spec), postOps, weights.segment(),
                bias == null ? null : bias.segment());
        MemorySegment s = src.segment();
        MemorySegment d = dst.segment();
        int tilesPerImage = ceilDiv(plan.geo.outPixels, ConvGeometry.PIXELS);
        PerWorker.forEach(par, toInt((long) plan.geo.batch * tilesPerImage), () -> new Worker(plan, s, d),
                (w, task) -> w.tile(task / tilesPerImage, task % tilesPerImage * ConvGeometry.PIXELS));
    }

    /** The weights, transposed per group for the GEMM, and the post-ops. */
    private static final class Plan {
        final ConvGeometry geo;
        /** Per group: {@code og4 x kTotal4} row-major, zero-padded. */
        final float[][] wT;
        /** The weights as given, {@code [kh * kw * cig][outC]}. */
        final float[] hwio;
        final float[] bias;
        final boolean sum;
        final Activation activation;
        final double alpha;

        Plan(ConvGeometry geo, PostOps postOps, MemorySegment weights, MemorySegment biasSegment) {
            this.geo = geo;
            hwio = new float[toInt((long) geo.kTotal * geo.outC)];
            MemorySegment.copy(weights, F32, 0, hwio, 0, hwio.length);
            wT = new float[geo.depthwise ? 0 : geo.groups][geo.og4 * geo.kTotal4];
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

    /** Scratch of one worker: the current input image, the im2col block, and the output tile. */
    private static final class Worker {
        private final Plan plan;
        private final ConvGeometry p;
        private final MemorySegment src;
        private final MemorySegment dst;
        private final float[] image;
        private int loadedImage = -1;
        private final float[][] col;
        private final float[][] acc;
        private final float[] out;
        private final float[] old;
        private final int[] rowBase;
        private final int[] colBase;

        Worker(Plan plan, MemorySegment src, MemorySegment dst) {
            this.plan = plan;
            this.p = plan.geo;
            this.src = src;
            this.dst = dst;
            int pixels = p.tile;
            this.image = new float[p.imageSize()];
            this.col = p.depthwise ? null : new float[Math.min(KC, p.kTotal4)][pixels];
            this.acc = p.depthwise ? null : new float[p.og4][pixels];
            this.out = new float[pixels * p.outC];
            this.old = plan.sum ? new float[pixels * p.outC] : null;
            this.rowBase = new int[pixels];
            this.colBase = new int[pixels];
        }

        /** Output pixels [q0, q0 + PIXELS) of image {@code img}, all channels. */
        void tile(int img, int q0) {
            if (img != loadedImage) {
                MemorySegment.copy(src, F32, (long) img * image.length * Float.BYTES, image, 0, image.length);
                loadedImage = img;
            }
            int pc = Math.min(ConvGeometry.PIXELS, p.outPixels - q0);
            for (int q = 0; q < pc; q++) {
                rowBase[q] = p.rowBase(q0 + q);
                colBase[q] = p.colBase(q0 + q);
            }
            if (p.depthwise) {
                depthwise(pc);
            } else {
                for (int g = 0; g < p.groups; g++) {
                    group(g, pc);
                }
            }
            long at = ((long) img * p.outPixels + q0) * p.outC * Float.BYTES;
            postOps(at, pc * p.outC);
            MemorySegment.copy(out, 0, dst, F32, at, pc * p.outC);
        }

        /** The sum with dst's old content, then the activation, each rounded to float as oneDNN does. */
        private void postOps(long at, int count) {
            if (plan.sum) {
                MemorySegment.copy(dst, F32, at, old, 0, count);
                for (int i = 0; i < count; i++) out[i] += old[i];
            }
            if (plan.activation != Activation.LINEAR) {
                for (int i = 0; i < count; i++) out[i] = (float) plan.activation.apply(out[i], plan.alpha);
            }
        }

        /** The tile's output channels of group g (bias included): a GEMM per block of im2col rows. */
        private void group(int g, int pc) {
            for (int o = 0; o < p.og4; o++) {
                Arrays.fill(acc[o], 0, pc, 0f);
            }
            for (int k0 = 0; k0 < p.kTotal; k0 += KC) {
                int kc = Math.min(KC, p.kTotal - k0);
                int kc4 = roundUp4(kc);
                im2col(g, k0, kc, kc4, pc);
                GemmKernel.accumulate(plan.wT[g], k0, p.kTotal4, col, acc, p.og4, kc4, pc);
            }
            for (int o = 0; o < p.og; o++) {
                int oc = g * p.og + o;
                float b = plan.bias == null ? 0f : plan.bias[oc];
                float[] row = acc[o];
                for (int q = 0; q < pc; q++) {
                    out[q * p.outC + oc] = row[q] + b;
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

        /** col[kk - k0][q] = input of group g under kernel row kk for pixel q; zero outside the image. */
        private void im2col(int g, int k0, int kc, int kc4, int pc) {
            int k1 = k0 + kc;
            for (int kk = k0; kk < k1; ) {
                int rs = kk / p.cig;
                int ci0 = kk % p.cig;
                int ci1 = Math.min(p.cig, ci0 + (k1 - kk));
                int dy = (rs / p.kw) * p.dh;
                int dx = (rs % p.kw) * p.dw;
                int row0 = kk - k0 - ci0;
                for (int q = 0; q < pc; q++) {
                    int ih = rowBase[q] + dy;
                    int iw = colBase[q] + dx;
                    if (ih >= 0 && ih < p.inH && iw >= 0 && iw < p.inW) {
                        int at = (ih * p.inW + iw) * p.inC + g * p.cig;
                        for (int ci = ci0; ci < ci1; ci++) {
                            col[row0 + ci][q] = image[at + ci];
                        }
                    } else {
                        for (int ci = ci0; ci < ci1; ci++) {
                            col[row0 + ci][q] = 0f;
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
