package dev.panamax.backend.purejava;

import static dev.panamax.backend.purejava.Sizes.ceilDiv;
import static dev.panamax.backend.purejava.Sizes.roundUp4;
import static dev.panamax.backend.purejava.Sizes.toInt;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * Forward convolution without im2col, for stride 1, one group and no dilation along the width.
 * In the input padded with zeros (NHWC, padded width {@code PW}), output pixel {@code (oh, ow)}
 * under kernel row r reads the {@code kw · inC} consecutive floats from padded pixel
 * {@code (oh + r · dh, ow)}: its im2col row. Computed over the padded width (the extra columns
 * are dropped), consecutive output positions t are {@code inC} floats apart, so the im2col
 * matrix of kernel row r is the padded image itself at row stride inC:
 * {@code dst[t][o] = Σ_r Σ_{s,ci} padded[t + r·dh·PW + s][ci] · w[r][s][ci][o]}, one GEMM per
 * kernel row and tile, vectorized over output channels.
 *
 * <p>Every output sums the same terms in the same order as {@link JavaConv2d}'s im2col path
 * (r, then s, then ci, one fma each), so the two give bit-identical results. Each task owns whole
 * output rows of one image, so results do not depend on the thread count.
 */
final class JavaConv2dDirect {
    /** Output positions per tile, in whole padded rows (at least one): a tile of dst stays in L2. */
    private static final int POSITIONS = 256;
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT;

    private JavaConv2dDirect() {
    }

    /**
     * Stride 1 and one group keep consecutive output positions one pixel apart in the input, and
     * {@code dw == 1} keeps a kernel row's taps contiguous; the GEMM's k needs no padding to 4.
     */
    static boolean applies(ConvGeometry p) {
        return p.groups == 1 && p.sh == 1 && p.sw == 1 && p.dw == 1 && (p.kw * p.inC) % 4 == 0;
    }

    static void forward(ParallelRunner par, JavaConv2d.Plan plan, MemorySegment src, MemorySegment dst) {
        ConvGeometry p = plan.geo;
        float[][][] rows = weightRows(p, plan.hwio);
        int paddedW = p.outW + p.kw - 1;
        int rowsPerTile = Math.max(1, POSITIONS / paddedW);
        int tilesPerImage = ceilDiv(p.outH, rowsPerTile);
        PerWorker.forEach(par, toInt((long) p.batch * tilesPerImage), () -> new Worker(plan, rows, rowsPerTile, src, dst),
                (w, task) -> w.tile(task / tilesPerImage, task % tilesPerImage * rowsPerTile));
    }

    /** Per kernel row r: the GEMM's b, {@code [kw · inC][outC]}, rows of the HWIO weights. */
    private static float[][][] weightRows(ConvGeometry p, float[] hwio) {
        int k = p.kw * p.inC;
        float[][][] rows = new float[p.kh][k][];
        for (int r = 0; r < p.kh; r++) {
            for (int i = 0; i < k; i++) {
                int from = (r * k + i) * p.outC;
                rows[r][i] = Arrays.copyOfRange(hwio, from, from + p.outC);
            }
        }
        return rows;
    }

    /** Scratch of one worker: the current image, padded, and a tile of dst. */
    private static final class Worker {
        private final JavaConv2d.Plan plan;
        private final ConvGeometry p;
        private final float[][][] rows;
        private final int rowsPerTile;
        private final MemorySegment src;
        private final MemorySegment dst;
        private final int paddedW;
        /**
         * The image inside a zero border, {@code [outH + (kh-1)·dh][paddedW][inC]}, plus a few zero
         * pixels: the GEMM's rows rounded up to 4 read a little past the last one.
         */
        private final float[] padded;
        private int loadedImage = -1;
        /** {@code [positions4][outC]}: the tile over the padded width. */
        private final float[][] acc;
        private final float[] out;
        private final float[] old;

        Worker(JavaConv2d.Plan plan, float[][][] rows, int rowsPerTile, MemorySegment src, MemorySegment dst) {
            this.plan = plan;
            this.p = plan.geo;
            this.rows = rows;
            this.rowsPerTile = rowsPerTile;
            this.src = src;
            this.dst = dst;
            paddedW = p.outW + p.kw - 1;
            int paddedH = p.outH + (p.kh - 1) * p.dh;
            padded = new float[toInt(((long) paddedH * paddedW + p.kw + 4) * p.inC)];
            int tileRows = Math.min(rowsPerTile, p.outH);
            acc = new float[roundUp4(tileRows * paddedW)][p.outC];
            out = new float[tileRows * p.outW * p.outC];
            old = plan.sum ? new float[out.length] : null;
        }

        /** Output rows [oh0, oh0 + rowsPerTile) of image img, all channels. */
        void tile(int img, int oh0) {
            if (img != loadedImage) {
                load(img);
                loadedImage = img;
            }
            int rowCount = Math.min(rowsPerTile, p.outH - oh0);
            int m4 = roundUp4(rowCount * paddedW);
            for (int t = 0; t < m4; t++) {
                Arrays.fill(acc[t], 0f);
            }
            int k = p.kw * p.inC;
            for (int r = 0; r < p.kh; r++) {
                GemmKernel.accumulate(padded, (oh0 + r * p.dh) * paddedW * p.inC, p.inC, rows[r], acc, m4, k, p.outC);
            }
            float[] bias = plan.bias;
            for (int y = 0; y < rowCount; y++) {
                for (int ow = 0; ow < p.outW; ow++) {
                    float[] a = acc[y * paddedW + ow];
                    int o0 = (y * p.outW + ow) * p.outC;
                    for (int o = 0; o < p.outC; o++) {
                        out[o0 + o] = a[o] + (bias == null ? 0f : bias[o]);
                    }
                }
            }
            int count = rowCount * p.outW * p.outC;
            long at = ((long) img * p.outPixels + (long) oh0 * p.outW) * p.outC * Float.BYTES;
            JavaConv2d.postOps(plan, dst, at, out, old, count);
            MemorySegment.copy(out, 0, dst, F32, at, count);
        }

        /** Copies image img inside the zero border; the border is never written, so it stays zero. */
        private void load(int img) {
            long rowBytes = (long) p.inW * p.inC * Float.BYTES;
            long image = (long) img * p.inH * rowBytes;
            for (int ih = 0; ih < p.inH; ih++) {
                int to = ((ih + p.pt) * paddedW + p.pl) * p.inC;
                MemorySegment.copy(src, F32, image + ih * rowBytes, padded, to, p.inW * p.inC);
            }
        }
    }
}
