package dev.panamax.backend.purejava;

import dev.panamax.ComputeThreads;
import dev.panamax.backend.Backend;
import dev.panamax.backend.Conv2dSpec;
import dev.panamax.backend.OpChecks;
import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The pure-Java backend: the specification the other backends are tested against, so every
 * op is written for correctness first and runs on any JVM without native code.
 *
 * <p>Both ops reduce to one kernel, {@link #gemmAccumulate}, on heap arrays: operands are copied
 * out of their segments in cache-sized blocks, multiplied, and copied back (depthwise
 * convolutions use a direct loop instead). Every sum runs in increasing {@code k} with one
 * {@link Math#fma} per term, so results do not depend on the thread count. Work is split over {@link ComputeThreads#get()} workers of a private pool.
 */
public final class JavaBackend implements Backend {
    static final String NAME = "java";

    // Block sizes: a B panel of KC x NC floats (256 KiB) stays in L2 while the kernel sweeps
    // C rows of NC floats that stay in L1; 256 is also a trip count C2 vectorizes well.
    private static final int MC = 128;
    private static final int NC = 256;
    private static final int KC = 256;
    /** Output pixels per convolution tile: the kernel's contiguous inner loop runs over them. */
    private static final int PIXELS = 256;

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT;

    private Workers workers;

    @Override
    public String name() {
        return NAME;
    }

    // ---------------------------------------------------------------- matmul

    @Override
    public void matmul(Tensor a, boolean transposeA, Tensor b, boolean transposeB, Tensor dst) {
        long[] mnk = OpChecks.matmul(a, transposeA, b, transposeB, dst);
        MemorySegment sa = a.segment();
        MemorySegment sb = b.segment();
        MemorySegment sc = dst.segment();
        // Blocks of dst are written while other blocks still read a and b.
        if (sc.asOverlappingSlice(sa).isPresent() || sc.asOverlappingSlice(sb).isPresent()) {
            throw new IllegalArgumentException("matmul: dst overlaps an operand; got a=" + a.describeShape()
                    + ", b=" + b.describeShape() + ", dst=" + dst.describeShape());
        }
        int m = toInt(mnk[0]);
        int n = toInt(mnk[1]);
        int k = toInt(mnk[2]);
        int rowBlocks = ceilDiv(m, MC);
        int colBlocks = ceilDiv(n, NC);
        parallelFor(rowBlocks * colBlocks, () -> new MatmulWorker(sa, transposeA, sb, transposeB, sc, m, n, k),
                (w, task) -> w.block(task / colBlocks * MC, task % colBlocks * NC));
    }

    /** Scratch of one worker: packed blocks of a and b, and the dst tile they accumulate into. */
    private static final class MatmulWorker {
        private final MemorySegment sa;
        private final MemorySegment sb;
        private final MemorySegment sc;
        private final boolean transposeA;
        private final boolean transposeB;
        private final int m;
        private final int n;
        private final int k;
        private final float[] aBlock;
        private final float[][] bPanel;
        private final float[][] cTile;
        private final float[] line;

        MatmulWorker(MemorySegment sa, boolean transposeA, MemorySegment sb, boolean transposeB, MemorySegment sc,
                     int m, int n, int k) {
            this.sa = sa;
            this.sb = sb;
            this.sc = sc;
            this.transposeA = transposeA;
            this.transposeB = transposeB;
            this.m = m;
            this.n = n;
            this.k = k;
            // Sized to the problem: small products are frequent and should not allocate full blocks.
            int mc4 = roundUp4(Math.min(MC, m));
            int nc = Math.min(NC, n);
            int kc4 = roundUp4(Math.min(KC, k));
            aBlock = new float[mc4 * kc4];
            bPanel = new float[kc4][nc];
            cTile = new float[mc4][nc];
            line = new float[Math.max(mc4, Math.max(nc, kc4))];
        }

        /** dst[i0 : i0+MC, j0 : j0+NC] = op(a)[i0 : i0+MC, :] · op(b)[:, j0 : j0+NC]. */
        void block(int i0, int j0) {
            int mc = Math.min(MC, m - i0);
            int nc = Math.min(NC, n - j0);
            int mc4 = roundUp4(mc);
            for (int i = 0; i < mc4; i++) {
                Arrays.fill(cTile[i], 0, nc, 0f);
            }
            for (int p0 = 0; p0 < k; p0 += KC) {
                int kc = Math.min(KC, k - p0);
                int kc4 = roundUp4(kc);
                packA(i0, mc, mc4, p0, kc, kc4);
                packB(p0, kc, kc4, j0, nc);
                gemmAccumulate(aBlock, 0, kc4, bPanel, cTile, mc4, kc4, nc);
            }
            for (int i = 0; i < mc; i++) {
                MemorySegment.copy(cTile[i], 0, sc, F32, ((long) (i0 + i) * n + j0) * Float.BYTES, nc);
            }
        }

        /** aBlock[i][p] = op(a)[i0 + i][p0 + p], zero-padded to mc4 x kc4 (row stride kc4). */
        private void packA(int i0, int mc, int mc4, int p0, int kc, int kc4) {
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
        private void packB(int p0, int kc, int kc4, int j0, int nc) {
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

    // ---------------------------------------------------------------- conv2d

    @Override
    public Tensor conv2dPackWeights(Conv2dSpec spec, Tensor weights, MemoryScope scope) {
        OpChecks.conv2dWeights(spec, weights);
        if (scope == null) {
            throw new IllegalArgumentException("conv2d: scope is null");
        }
        // The Java backend runs on plain HWIO, so its packed form is a row-major copy.
        Tensor packed = Tensor.zeros(scope, weights.dtype(), weights.shape());
        MemorySegment.copy(weights.segment(), 0, packed.segment(), 0, weights.byteSize());
        return packed;
    }

    @Override
    public void conv2dForward(Conv2dSpec spec, Tensor src, Tensor weights, Tensor bias, Tensor dst) {
        OpChecks.conv2dForward(spec, src, weights, bias, dst);
        if (!weights.layout().isRowMajor()) {
            throw new IllegalArgumentException("conv2d: weights are in layout '" + weights.layout()
                    + "' packed by another backend; the java backend needs HWIO row-major weights");
        }
        ConvPlan plan = new ConvPlan(spec, weights.segment(), bias == null ? null : bias.segment());
        MemorySegment s = src.segment();
        MemorySegment d = dst.segment();
        int tilesPerImage = ceilDiv(plan.outPixels, PIXELS);
        parallelFor(toInt(spec.batch() * tilesPerImage), () -> new ConvWorker(plan, s, d),
                (w, task) -> w.tile(task / tilesPerImage, task % tilesPerImage * PIXELS));
    }

    /**
     * A convolution as one GEMM per group and tile of output pixels, computed transposed so the
     * kernel's inner loop runs over pixels: {@code dstᵀ[o][q] = Σ_k wᵀ[o][k] · col[k][q]}, where
     * {@code k = (r * kw + s) * cig + ci} walks the HWIO rows of one group and {@code col} is the
     * im2col matrix of the tile.
     */
    private static final class ConvPlan {
        final int inH;
        final int inW;
        final int inC;
        final int outW;
        final int outC;
        final int outPixels;
        final int kw;
        final int sh;
        final int sw;
        final int pt;
        final int pl;
        final int dh;
        final int dw;
        final int groups;
        final int cig;
        final int og;
        final int og4;
        final int kTotal;
        final int kTotal4;
        /** Per group: {@code og4 x kTotal4} row-major, zero-padded. */
        final float[][] wT;
        /** One input channel per output channel: a direct loop beats a GEMM of one row. */
        final boolean depthwise;
        /** The weights as given, {@code [kh * kw * cig][outC]}. */
        final float[] hwio;
        final float[] bias;

        ConvPlan(Conv2dSpec spec, MemorySegment weights, MemorySegment biasSegment) {
            inH = toInt(spec.inHeight());
            inW = toInt(spec.inWidth());
            inC = toInt(spec.inChannels());
            outW = toInt(spec.outWidth());
            outC = toInt(spec.outChannels());
            outPixels = toInt(Math.multiplyExact(spec.outHeight(), spec.outWidth()));
            kw = toInt(spec.kernelWidth());
            sh = toInt(spec.strideHeight());
            sw = toInt(spec.strideWidth());
            pt = toInt(spec.padTop());
            pl = toInt(spec.padLeft());
            dh = toInt(spec.dilationHeight());
            dw = toInt(spec.dilationWidth());
            groups = toInt(spec.groups());
            cig = inC / groups;
            og = outC / groups;
            og4 = roundUp4(og);
            kTotal = toInt(spec.kernelHeight() * spec.kernelWidth() * cig);
            kTotal4 = roundUp4(kTotal);
            toInt((long) inH * inW * inC); // one image must fit a Java array
            hwio = new float[toInt((long) kTotal * outC)];
            MemorySegment.copy(weights, F32, 0, hwio, 0, hwio.length);
            depthwise = cig == 1 && og == 1;
            wT = new float[depthwise ? 0 : groups][og4 * kTotal4];
            for (int g = 0; g < wT.length; g++) {
                for (int o = 0; o < og; o++) {
                    for (int kk = 0; kk < kTotal; kk++) {
                        wT[g][o * kTotal4 + kk] = hwio[kk * outC + g * og + o];
                    }
                }
            }
            bias = biasSegment == null ? null : biasSegment.toArray(F32);
        }
    }

    /** Scratch of one worker: the current input image, the im2col block, and the output tile. */
    private static final class ConvWorker {
        private final ConvPlan p;
        private final MemorySegment src;
        private final MemorySegment dst;
        private final float[] image;
        private int loadedImage = -1;
        private final float[][] col;
        private final float[][] acc;
        private final float[] out;
        private final int[] rowBase;
        private final int[] colBase;

        ConvWorker(ConvPlan plan, MemorySegment src, MemorySegment dst) {
            this.p = plan;
            this.src = src;
            this.dst = dst;
            int pixels = Math.min(PIXELS, plan.outPixels);
            this.image = new float[plan.inH * plan.inW * plan.inC];
            this.col = plan.depthwise ? null : new float[Math.min(KC, plan.kTotal4)][pixels];
            this.acc = plan.depthwise ? null : new float[plan.og4][pixels];
            this.out = new float[pixels * plan.outC];
            this.rowBase = new int[pixels];
            this.colBase = new int[pixels];
        }

        /** Output pixels [q0, q0 + PIXELS) of image {@code img}, all channels. */
        void tile(int img, int q0) {
            if (img != loadedImage) {
                MemorySegment.copy(src, F32, (long) img * image.length * Float.BYTES, image, 0, image.length);
                loadedImage = img;
            }
            int pc = Math.min(PIXELS, p.outPixels - q0);
            for (int q = 0; q < pc; q++) {
                int oh = (q0 + q) / p.outW;
                int ow = (q0 + q) % p.outW;
                rowBase[q] = oh * p.sh - p.pt;
                colBase[q] = ow * p.sw - p.pl;
            }
            if (p.depthwise) {
                depthwise(pc);
            } else {
                for (int g = 0; g < p.groups; g++) {
                    group(g, pc);
                }
            }
            long at = ((long) img * p.outPixels + q0) * p.outC * Float.BYTES;
            MemorySegment.copy(out, 0, dst, F32, at, pc * p.outC);
        }

        /** The tile's output channels of group g: a GEMM per block of im2col rows. */
        private void group(int g, int pc) {
            for (int o = 0; o < p.og4; o++) {
                Arrays.fill(acc[o], 0, pc, 0f);
            }
            for (int k0 = 0; k0 < p.kTotal; k0 += KC) {
                int kc = Math.min(KC, p.kTotal - k0);
                int kc4 = roundUp4(kc);
                im2col(g, k0, kc, kc4, pc);
                gemmAccumulate(p.wT[g], k0, p.kTotal4, col, acc, p.og4, kc4, pc);
            }
            for (int o = 0; o < p.og; o++) {
                int oc = g * p.og + o;
                float b = p.bias == null ? 0f : p.bias[oc];
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
            int kh = p.kTotal / p.kw;
            for (int q = 0; q < pc; q++) {
                int o0 = q * channels;
                for (int r = 0; r < kh; r++) {
                    int ih = rowBase[q] + r * p.dh;
                    if (ih < 0 || ih >= p.inH) continue;
                    for (int s = 0; s < p.kw; s++) {
                        int iw = colBase[q] + s * p.dw;
                        if (iw < 0 || iw >= p.inW) continue;
                        int i0 = (ih * p.inW + iw) * channels;
                        int w0 = (r * p.kw + s) * channels;
                        for (int c = 0; c < channels; c++) {
                            out[o0 + c] = Math.fma(image[i0 + c], p.hwio[w0 + c], out[o0 + c]);
                        }
                    }
                }
                if (p.bias != null) {
                    for (int c = 0; c < channels; c++) {
                        out[o0 + c] += p.bias[c];
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

    // ---------------------------------------------------------------- the kernel

    /**
     * {@code c[i][j] += Σ_p a[aOff + i·lda + p] · b[p][j]} for {@code i < m4, p < k4, j < n};
     * {@code m4} and {@code k4} are multiples of 4 (callers zero-pad). Four rows of c take four
     * terms per pass, each term one fma in increasing p. Rows are separate arrays on purpose:
     * C2 vectorizes the j loop only when it can tell the arrays apart.
     */
    static void gemmAccumulate(float[] a, int aOff, int lda, float[][] b, float[][] c, int m4, int k4, int n) {
        for (int i = 0; i < m4; i += 4) {
            float[] c0 = c[i];
            float[] c1 = c[i + 1];
            float[] c2 = c[i + 2];
            float[] c3 = c[i + 3];
            int a0 = aOff + i * lda;
            int a1 = a0 + lda;
            int a2 = a1 + lda;
            int a3 = a2 + lda;
            for (int p = 0; p < k4; p += 4) {
                float x00 = a[a0 + p], x01 = a[a0 + p + 1], x02 = a[a0 + p + 2], x03 = a[a0 + p + 3];
                float x10 = a[a1 + p], x11 = a[a1 + p + 1], x12 = a[a1 + p + 2], x13 = a[a1 + p + 3];
                float x20 = a[a2 + p], x21 = a[a2 + p + 1], x22 = a[a2 + p + 2], x23 = a[a2 + p + 3];
                float x30 = a[a3 + p], x31 = a[a3 + p + 1], x32 = a[a3 + p + 2], x33 = a[a3 + p + 3];
                float[] b0 = b[p];
                float[] b1 = b[p + 1];
                float[] b2 = b[p + 2];
                float[] b3 = b[p + 3];
                for (int j = 0; j < n; j++) {
                    float y0 = b0[j], y1 = b1[j], y2 = b2[j], y3 = b3[j];
                    c0[j] = Math.fma(x03, y3, Math.fma(x02, y2, Math.fma(x01, y1, Math.fma(x00, y0, c0[j]))));
                    c1[j] = Math.fma(x13, y3, Math.fma(x12, y2, Math.fma(x11, y1, Math.fma(x10, y0, c1[j]))));
                    c2[j] = Math.fma(x23, y3, Math.fma(x22, y2, Math.fma(x21, y1, Math.fma(x20, y0, c2[j]))));
                    c3[j] = Math.fma(x33, y3, Math.fma(x32, y2, Math.fma(x31, y1, Math.fma(x30, y0, c3[j]))));
                }
            }
        }
    }

    // ---------------------------------------------------------------- threads

    /** A task body that gets its worker's scratch state. */
    private interface Body<W> {
        void run(W worker, int task);
    }

    /**
     * Runs tasks {@code 0..count-1} on up to {@link ComputeThreads#get()} workers, each with its
     * own scratch from {@code scratch}; tasks are handed out one at a time so uneven ones balance.
     */
    private <W> void parallelFor(int count, Supplier<W> scratch, Body<W> body) {
        int threads = ComputeThreads.get();
        int jobCount = Math.min(threads, count);
        AtomicInteger next = new AtomicInteger();
        Callable<Void> job = () -> {
            W w = scratch.get();
            for (int t; (t = next.getAndIncrement()) < count; ) {
                body.run(w, t);
            }
            return null;
        };
        if (jobCount <= 1) {
            call(job);
            return;
        }
        List<Callable<Void>> jobs = new ArrayList<>(jobCount);
        for (int i = 0; i < jobCount; i++) {
            jobs.add(job);
        }
        Workers pool = acquire(threads);
        try {
            for (Future<Void> f : pool.pool.invokeAll(jobs)) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("java backend: interrupted while waiting for workers", e);
        } finally {
            release(pool);
        }
    }

    private static void call(Callable<Void> job) {
        try {
            job.call();
        } catch (Exception e) {
            throw rethrow(e);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) throw r;
        if (t instanceof Error e) throw e;
        throw new IllegalStateException("java backend: a worker failed", t);
    }

    /** A pool and the ops running on it; it shuts down once retired and idle. */
    private static final class Workers {
        final ForkJoinPool pool;
        final int threads;
        int users;
        boolean retired;

        Workers(int threads) {
            this.threads = threads;
            this.pool = new ForkJoinPool(threads, JavaBackend::newWorker, null, false);
        }
    }

    /**
     * The pool for {@code threads} workers, never the common pool. A new thread count retires
     * the old pool, which ops still running on it keep until they finish.
     */
    private synchronized Workers acquire(int threads) {
        if (workers == null || workers.threads != threads) {
            retire();
            workers = new Workers(threads);
        }
        workers.users++;
        return workers;
    }

    private synchronized void release(Workers w) {
        w.users--;
        if (w.retired && w.users == 0) {
            w.pool.shutdown();
        }
    }

    private void retire() {
        if (workers != null) {
            workers.retired = true;
            if (workers.users == 0) {
                workers.pool.shutdown();
            }
            workers = null;
        }
    }

    private static ForkJoinWorkerThread newWorker(ForkJoinPool p) {
        ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
        t.setName("panamax-java-" + t.getPoolIndex());
        t.setDaemon(true);
        return t;
    }

    /** Shuts the worker threads down (once running ops finish); the next op starts new ones. */
    @Override
    public synchronized void close() {
        retire();
    }

    // ---------------------------------------------------------------- helpers

    private static int roundUp4(int x) {
        return (x + 3) & ~3;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private static int toInt(long v) {
        if (v > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("java backend: dimension " + v + " is too large for a Java array");
        }
        return (int) v;
    }

    @Override
    public String toString() {
        return "JavaBackend[threads=" + ComputeThreads.get() + "]";
    }
}
