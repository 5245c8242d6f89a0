package dev.panamax.backend.purejava;

import static dev.panamax.backend.purejava.Sizes.ceilDiv;
import static dev.panamax.backend.purejava.Sizes.toInt;

import dev.panamax.backend.Pool2dSpec;
import dev.panamax.tensor.DType;
import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * 2-D max and average pooling over NHWC tensors, channels in the inner loops. Max pooling's
 * workspace is an int32 tensor of dst's shape holding, for each output element, the spatial
 * offset {@code ih · inWidth + iw} of its (first) maximum in the image. Every output sums its
 * terms in window order, and every input gradient in output order, whatever the thread count.
 */
final class JavaPooling {
    /** Channels per backward task: a task owns them for one image. */
    private static final int CB = 64;
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT;
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT;

    private JavaPooling() {
    }

    static Tensor workspace(Pool2dSpec spec, MemoryScope scope) {
        if (spec == null) throw new IllegalArgumentException("pool2d: spec is null");
        if (spec.kind() != Pool2dSpec.Kind.MAX) return null;
        if (scope == null) throw new IllegalArgumentException("pool2d: scope is null");
        return Tensor.zeros(scope, DType.INT32, spec.dstShape());
    }

    /** The Java layout of the workspace; OpChecks already checked its presence for the kind. */
    private static void checkWorkspace(Pool2dSpec spec, Tensor workspace) {
        if (workspace == null) return;
        if (workspace.dtype() != DType.INT32 || !workspace.layout().isRowMajor()
                || !workspace.shape().equals(spec.dstShape())) {
            throw new IllegalArgumentException("pool2d: the java backend's workspace is int32 " + spec.dstShape()
                    + " from pool2dWorkspace; got workspace=" + workspace.describeShape() + " in layout '"
                    + workspace.layout() + "' for " + spec);
        }
    }

    static void forward(ParallelRunner par, Pool2dSpec spec, Tensor src, Tensor dst, Tensor workspace) {
        checkWorkspace(spec, workspace);
        Geometry p = new Geometry(spec);
        MemorySegment s = src.segment();
        MemorySegment d = dst.segment();
        MemorySegment ws = workspace == null ? null : workspace.segment();
        int rowsPerTask = Math.max(1, (1 << 14) / (p.outW * p.c));
        int tasksPerImage = ceilDiv(p.outH, rowsPerTask);
        PerWorker.forEach(par, toInt((long) p.batch * tasksPerImage), () -> new ForwardWorker(p, s, d, ws),
                (w, task) -> {
                    int oh0 = task % tasksPerImage * rowsPerTask;
                    w.rows(task / tasksPerImage, oh0, Math.min(p.outH, oh0 + rowsPerTask));
                });
    }

    static void backward(ParallelRunner par, Pool2dSpec spec, Tensor diffDst, Tensor workspace, Tensor diffSrc) {
        checkWorkspace(spec, workspace);
        Geometry p = new Geometry(spec);
        MemorySegment dy = diffDst.segment();
        MemorySegment dx = diffSrc.segment();
        MemorySegment ws = workspace == null ? null : workspace.segment();
        int blocks = ceilDiv(p.c, CB);
        PerWorker.forEach(par, p.batch * blocks, () -> new BackwardWorker(p, dy, dx, ws),
                (w, task) -> w.block(task / blocks, task % blocks * CB));
    }

    /** The spec as ints. */
    private static final class Geometry {
        final int batch;
        final int inH;
        final int inW;
        final int c;
        final int outH;
        final int outW;
        final int kh;
        final int kw;
        final int sh;
        final int sw;
        final int pt;
        final int pl;
        final Pool2dSpec.Kind kind;

        Geometry(Pool2dSpec spec) {
            batch = toInt(spec.batch());
            inH = toInt(spec.inHeight());
            inW = toInt(spec.inWidth());
            c = toInt(spec.channels());
            outH = toInt(spec.outHeight());
            outW = toInt(spec.outWidth());
            kh = toInt(spec.kernelHeight());
            kw = toInt(spec.kernelWidth());
            sh = toInt(spec.strideHeight());
            sw = toInt(spec.strideWidth());
            pt = toInt(spec.padTop());
            pl = toInt(spec.padLeft());
            kind = spec.kind();
            toInt((long) inH * inW * c);
        }

        int ih0(int oh) {
            return Math.max(0, oh * sh - pt);
        }

        int ih1(int oh) {
            return Math.min(inH, oh * sh - pt + kh);
        }

        int iw0(int ow) {
            return Math.max(0, ow * sw - pl);
        }

        int iw1(int ow) {
            return Math.min(inW, ow * sw - pl + kw);
        }

        /** What an average divides by: the window inside the image, or the whole window. */
        int divisor(int oh, int ow) {
            return kind == Pool2dSpec.Kind.AVG_INCLUDE_PAD ? kh * kw
                    : (ih1(oh) - ih0(oh)) * (iw1(ow) - iw0(ow));
        }
    }

    private static final class ForwardWorker {
        private final Geometry p;
        private final MemorySegment src;
        private final MemorySegment dst;
        private final MemorySegment workspace;
        private final float[] image;
        private int loadedImage = -1;
        private final float[] out;
        private final int[] arg;
        private final double[] sum;

        ForwardWorker(Geometry p, MemorySegment src, MemorySegment dst, MemorySegment workspace) {
            this.p = p;
            this.src = src;
            this.dst = dst;
            this.workspace = workspace;
            image = new float[p.inH * p.inW * p.c];
            out = new float[p.outW * p.c];
            arg = new int[p.outW * p.c];
            sum = new double[p.c];
        }

        void rows(int img, int oh0, int oh1) {
            if (img != loadedImage) {
                MemorySegment.copy(src, F32, (long) img * image.length * Float.BYTES, image, 0, image.length);
                loadedImage = img;
            }
            for (int oh = oh0; oh < oh1; oh++) {
                for (int ow = 0; ow < p.outW; ow++) {
                    if (p.kind == Pool2dSpec.Kind.MAX) max(oh, ow);
                    else average(oh, ow);
                }
                long at = (((long) img * p.outH + oh) * p.outW) * p.c;
                MemorySegment.copy(out, 0, dst, F32, at * Float.BYTES, out.length);
                if (workspace != null) {
                    MemorySegment.copy(arg, 0, workspace, I32, at * Integer.BYTES, arg.length);
                }
            }
        }

        /** The first maximum in window order (rows, then columns); padding never wins. */
        private void max(int oh, int ow) {
            int o0 = ow * p.c;
            boolean first = true;
            for (int ih = p.ih0(oh); ih < p.ih1(oh); ih++) {
                for (int iw = p.iw0(ow); iw < p.iw1(ow); iw++) {
                    int pos = ih * p.inW + iw;
                    int i0 = pos * p.c;
                    if (first) {
                        System.arraycopy(image, i0, out, o0, p.c);
                        Arrays.fill(arg, o0, o0 + p.c, pos);
                        first = false;
                        continue;
                    }
                    for (int ch = 0; ch < p.c; ch++) {
                        float v = image[i0 + ch];
                        if (v > out[o0 + ch]) {
                            out[o0 + ch] = v;
                            arg[o0 + ch] = pos;
                        }
                    }
                }
            }
        }

        private void average(int oh, int ow) {
            Arrays.fill(sum, 0);
            for (int ih = p.ih0(oh); ih < p.ih1(oh); ih++) {
                for (int iw = p.iw0(ow); iw < p.iw1(ow); iw++) {
                    int i0 = (ih * p.inW + iw) * p.c;
                    for (int ch = 0; ch < p.c; ch++) sum[ch] += image[i0 + ch];
                }
            }
            double divisor = p.divisor(oh, ow);
            int o0 = ow * p.c;
            for (int ch = 0; ch < p.c; ch++) out[o0 + ch] = (float) (sum[ch] / divisor);
        }
    }

    /** Scratch of one backward worker: one image's gradient for a block of channels. */
    private static final class BackwardWorker {
        private final Geometry p;
        private final MemorySegment dy;
        private final MemorySegment dx;
        private final MemorySegment workspace;
        private final float[] grad;
        private final float[] dyRow;
        private final int[] argRow;

        BackwardWorker(Geometry p, MemorySegment dy, MemorySegment dx, MemorySegment workspace) {
            this.p = p;
            this.dy = dy;
            this.dx = dx;
            this.workspace = workspace;
            grad = new float[p.inH * p.inW * Math.min(CB, p.c)];
            dyRow = new float[p.outW * p.c];
            argRow = workspace == null ? null : new int[p.outW * p.c];
        }

        /** diffSrc of image img, channels [c0, c0 + CB). */
        void block(int img, int c0) {
            int cb = Math.min(CB, p.c - c0);
            int pixels = p.inH * p.inW;
            Arrays.fill(grad, 0, pixels * cb, 0f);
            for (int oh = 0; oh < p.outH; oh++) {
                long at = (((long) img * p.outH + oh) * p.outW) * p.c;
                MemorySegment.copy(dy, F32, at * Float.BYTES, dyRow, 0, dyRow.length);
                if (p.kind == Pool2dSpec.Kind.MAX) {
                    MemorySegment.copy(workspace, I32, at * Integer.BYTES, argRow, 0, argRow.length);
                    for (int ow = 0; ow < p.outW; ow++) {
                        int o0 = ow * p.c + c0;
                        for (int ch = 0; ch < cb; ch++) {
                            grad[argRow[o0 + ch] * cb + ch] += dyRow[o0 + ch];
                        }
                    }
                } else {
                    for (int ow = 0; ow < p.outW; ow++) {
                        int o0 = ow * p.c + c0;
                        float divisor = p.divisor(oh, ow);
                        for (int ih = p.ih0(oh); ih < p.ih1(oh); ih++) {
                            for (int iw = p.iw0(ow); iw < p.iw1(ow); iw++) {
                                int g0 = (ih * p.inW + iw) * cb;
                                for (int ch = 0; ch < cb; ch++) grad[g0 + ch] += dyRow[o0 + ch] / divisor;
                            }
                        }
                    }
                }
            }
            long base = (long) img * pixels * p.c;
            if (cb == p.c) {
                MemorySegment.copy(grad, 0, dx, F32, base * Float.BYTES, pixels * cb);
            } else {
                for (int pos = 0; pos < pixels; pos++) {
                    MemorySegment.copy(grad, pos * cb, dx, F32, (base + (long) pos * p.c + c0) * Float.BYTES, cb);
                }
            }
        }
    }
}
