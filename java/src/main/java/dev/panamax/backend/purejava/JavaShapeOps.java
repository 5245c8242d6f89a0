package dev.panamax.backend.purejava;

import static dev.panamax.backend.purejava.JavaChunks.F32;

import dev.panamax.backend.ElementwiseOpChecks;
import dev.panamax.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Concat, split, transpose and pad as bulk copies of the longest contiguous runs: axes that
 * move together are merged first, and a transpose that moves the innermost axis goes through
 * square tiles so both reads and writes stay contiguous.
 */
final class JavaShapeOps {
    /** Edge of a transpose tile, in elements: 64 x 64 floats (16 KiB) stays in L1. */
    private static final int TILE = 64;

    private JavaShapeOps() {
    }

    static void concat(int axis, List<Tensor> srcs, Tensor dst) {
        int a = ElementwiseOpChecks.concat(axis, srcs, dst);
        joinOrSplit(a, srcs, dst, true);
    }

    static void split(int axis, Tensor src, List<Tensor> dsts) {
        int a = ElementwiseOpChecks.split(axis, src, dsts);
        joinOrSplit(a, dsts, src, false);
    }

    /** For each index of the axes before {@code axis}, the pieces' slabs lie one after another in the whole. */
    private static void joinOrSplit(int axis, List<Tensor> pieces, Tensor whole, boolean join) {
        long[] dims = whole.shape().dims();
        long outer = 1;
        for (int i = 0; i < axis; i++) outer *= dims[i];
        long inner = whole.size() / outer / dims[axis];
        MemorySegment w = whole.segment();
        MemorySegment[] segs = new MemorySegment[pieces.size()];
        long[] slab = new long[pieces.size()];
        for (int i = 0; i < segs.length; i++) {
            segs[i] = pieces.get(i).segment();
            slab[i] = pieces.get(i).shape().dim(axis) * inner * Float.BYTES;
        }
        long at = 0;
        for (long o = 0; o < outer; o++) {
            for (int i = 0; i < segs.length; i++) {
                if (join) {
                    MemorySegment.copy(segs[i], o * slab[i], w, at, slab[i]);
                } else {
                    MemorySegment.copy(w, at, segs[i], o * slab[i], slab[i]);
                }
                at += slab[i];
            }
        }
    }

    /** {@code dst.shape[i] = src.shape[perm[i]]}. */
    static void transpose(Tensor src, int[] perm, Tensor dst) {
        ElementwiseOpChecks.transpose(src, perm, dst);
        MemorySegment s = src.segment();
        MemorySegment d = dst.segment();
        // Drop size-1 axes, then merge dst neighbours that are src neighbours in the same order.
        long[] srcDims = src.shape().dims();
        int[] order = new int[srcDims.length]; // position of each kept src axis among kept ones
        int kept = 0;
        for (int i = 0; i < srcDims.length; i++) order[i] = srcDims[i] == 1 ? -1 : kept++;
        List<int[]> groups = new ArrayList<>(); // runs of consecutive src axes, in dst order: {first, last}
        for (int p : perm) {
            if (order[p] < 0) continue;
            int[] last = groups.isEmpty() ? null : groups.get(groups.size() - 1);
            if (last != null && order[last[1]] + 1 == order[p]) {
                last[1] = p;
            } else {
                groups.add(new int[] {p, p});
            }
        }
        int k = groups.size();
        if (k <= 1) {
            MemorySegment.copy(s, 0, d, 0, src.byteSize());
            return;
        }
        // Merged problem: dst axis j has size mergedDim[j] and src stride mergedSrcStride[j].
        List<int[]> bySrc = new ArrayList<>(groups);
        bySrc.sort((x, y) -> Integer.compare(x[0], y[0]));
        long[] mergedDim = new long[k];
        long[] mergedSrcStride = new long[k];
        int srcInner = -1; // dst position of the group innermost in src
        long stride = 1;
        for (int gi = k - 1; gi >= 0; gi--) {
            int[] g = bySrc.get(gi);
            long size = 1;
            for (int a = g[0]; a <= g[1]; a++) size *= srcDims[a];
            int j = groups.indexOf(g);
            mergedDim[j] = size;
            mergedSrcStride[j] = stride;
            if (stride == 1) srcInner = j;
            stride *= size;
        }
        if (mergedSrcStride[k - 1] == 1) {
            copyRuns(s, d, mergedDim, mergedSrcStride);
        } else {
            tiled(s, d, mergedDim, mergedSrcStride, srcInner);
        }
    }

    /** The innermost dst axis is contiguous in src: copy runs of it. */
    private static void copyRuns(MemorySegment s, MemorySegment d, long[] dim, long[] srcStride) {
        int k = dim.length;
        long run = dim[k - 1];
        long rows = 1;
        for (int j = 0; j < k - 1; j++) rows *= dim[j];
        long[] idx = new long[k - 1];
        long from = 0;
        for (long r = 0; r < rows; r++) {
            MemorySegment.copy(s, from * Float.BYTES, d, r * run * Float.BYTES, run * Float.BYTES);
            for (int j = k - 2; j >= 0; j--) { // odometer over the outer dst axes
                from += srcStride[j];
                if (++idx[j] < dim[j]) break;
                from -= srcStride[j] * dim[j];
                idx[j] = 0;
            }
        }
    }

    /**
     * The innermost dst axis {@code A} (src stride > 1) and dst axis {@code B = srcInner}, which is
     * innermost in src, are swapped through TILE x TILE tiles: rows of B are read from src, rows of
     * A written to dst.
     */
    private static void tiled(MemorySegment s, MemorySegment d, long[] dim, long[] srcStride, int srcInner) {
        int k = dim.length;
        long[] dstStride = new long[k];
        long st = 1;
        for (int j = k - 1; j >= 0; j--) {
            dstStride[j] = st;
            st *= dim[j];
        }
        int a = k - 1;
        int b = srcInner;
        long na = dim[a];
        long nb = dim[b];
        // The other axes: an odometer over them.
        int[] others = new int[k - 2];
        for (int j = 0, o = 0; j < k; j++) {
            if (j != a && j != b) others[o++] = j;
        }
        long outer = 1;
        for (int j : others) outer *= dim[j];
        float[][] tile = new float[TILE][TILE];
        float[] line = new float[TILE];
        long[] idx = new long[others.length];
        long srcBase = 0;
        long dstBase = 0;
        for (long q = 0; q < outer; q++) {
            for (long a0 = 0; a0 < na; a0 += TILE) {
                int ta = (int) Math.min(TILE, na - a0);
                for (long b0 = 0; b0 < nb; b0 += TILE) {
                    int tb = (int) Math.min(TILE, nb - b0);
                    for (int i = 0; i < ta; i++) { // src: for fixed a, b runs contiguously
                        long from = srcBase + (a0 + i) * srcStride[a] + b0;
                        MemorySegment.copy(s, F32, from * Float.BYTES, tile[i], 0, tb);
                    }
                    for (int jb = 0; jb < tb; jb++) { // dst: for fixed b, a runs contiguously
                        for (int i = 0; i < ta; i++) line[i] = tile[i][jb];
                        long to = dstBase + (b0 + jb) * dstStride[b] + a0;
                        MemorySegment.copy(line, 0, d, F32, to * Float.BYTES, ta);
                    }
                }
            }
            for (int o = others.length - 1; o >= 0; o--) {
                int j = others[o];
                srcBase += srcStride[j];
                dstBase += dstStride[j];
                if (++idx[o] < dim[j]) break;
                srcBase -= srcStride[j] * dim[j];
                dstBase -= dstStride[j] * dim[j];
                idx[o] = 0;
            }
        }
    }

    /** Fills dst with {@code value}, then copies src's runs (from its innermost padded axis on) into place. */
    static void pad(Tensor src, long[] before, long[] after, float value, Tensor dst) {
        ElementwiseOpChecks.pad(src, before, after, value, dst);
        MemorySegment s = src.segment();
        MemorySegment d = dst.segment();
        long[] sd = src.shape().dims();
        long[] dd = dst.shape().dims();
        int rank = sd.length;
        int innermostPadded = -1;
        for (int i = 0; i < rank; i++) {
            if (before[i] != 0 || after[i] != 0) innermostPadded = i;
        }
        if (innermostPadded < 0) {
            MemorySegment.copy(s, 0, d, 0, src.byteSize());
            return;
        }
        fill(d, value);
        long[] dstStride = new long[rank];
        long st = 1;
        for (int i = rank - 1; i >= 0; i--) {
            dstStride[i] = st;
            st *= dd[i];
        }
        long run = 1;
        for (int i = innermostPadded; i < rank; i++) run *= sd[i];
        long offset = 0; // where src's first element lands
        for (int i = 0; i < rank; i++) offset += before[i] * dstStride[i];
        int outerAxes = innermostPadded; // an odometer over src's axes before the innermost padded one
        long[] idx = new long[outerAxes];
        long runs = src.size() / run;
        long to = offset;
        for (long r = 0; r < runs; r++) {
            MemorySegment.copy(s, r * run * Float.BYTES, d, to * Float.BYTES, run * Float.BYTES);
            for (int j = outerAxes - 1; j >= 0; j--) {
                to += dstStride[j];
                if (++idx[j] < sd[j]) break;
                to -= dstStride[j] * sd[j];
                idx[j] = 0;
            }
        }
    }

    private static void fill(MemorySegment d, float value) {
        if (Float.floatToRawIntBits(value) == 0) {
            d.fill((byte) 0);
            return;
        }
        float[] block = new float[(int) Math.min(JavaChunks.BLOCK, d.byteSize() / Float.BYTES)];
        Arrays.fill(block, value);
        long n = d.byteSize() / Float.BYTES;
        for (long at = 0; at < n; at += block.length) {
            MemorySegment.copy(block, 0, d, F32, at * Float.BYTES, (int) Math.min(block.length, n - at));
        }
    }
}
