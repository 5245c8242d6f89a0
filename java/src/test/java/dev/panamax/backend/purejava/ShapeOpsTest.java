package dev.panamax.backend.purejava;

import static dev.panamax.backend.purejava.OpTestSupport.assertRejects;
import static dev.panamax.backend.purejava.OpTestSupport.tensor;
import static dev.panamax.backend.purejava.OpTestSupport.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Concat, split, transpose and pad against index-by-index references. */
class ShapeOpsTest {

    @ParameterizedTest(name = "axis={0}")
    @MethodSource("concatAxes")
    void concatMatchesReferenceAndSplitInvertsIt(int axis) {
        long[][] pieces = new long[3][];
        long[] base = {2, 3, 4};
        int a = axis < 0 ? axis + 3 : axis;
        for (int i = 0; i < 3; i++) {
            pieces[i] = base.clone();
            pieces[i][a] = i + 1; // 1, 2, 3 along the axis
        }
        try (MemoryScope scope = MemoryScope.open("concat")) {
            Random r = new Random(axis + 10);
            List<Tensor> srcs = new ArrayList<>();
            List<float[]> values = new ArrayList<>();
            for (long[] p : pieces) {
                float[] v = uniform(r, (int) Shape.of(p).size(), -1, 1);
                values.add(v);
                srcs.add(tensor(scope, v, p));
            }
            long[] outDims = base.clone();
            outDims[a] = 6;
            Tensor dst = Tensor.zeros(scope, outDims);
            JavaShapeOps.concat(axis, srcs, dst);
            // Reference: walk dst; find which piece and where along the axis.
            float[] got = dst.toFloatArray();
            long[] idx = new long[3];
            for (float g : got) {
                long along = idx[a];
                int piece = 0;
                while (along >= pieces[piece][a]) along -= pieces[piece++][a];
                long[] at = idx.clone();
                at[a] = along;
                float expected = values.get(piece)[(int) Shape.of(pieces[piece]).offsetOf(at)];
                if (g != expected) throw new AssertionError("concat at " + Arrays.toString(idx));
                for (int d = 2; d >= 0; d--) {
                    if (++idx[d] < outDims[d]) break;
                    idx[d] = 0;
                }
            }
            List<Tensor> back = new ArrayList<>();
            for (long[] p : pieces) back.add(Tensor.zeros(scope, p));
            JavaShapeOps.split(axis, dst, back);
            for (int i = 0; i < 3; i++) assertArrayEquals(values.get(i), back.get(i).toFloatArray(), "piece " + i);
        }
    }

    static Stream<Integer> concatAxes() {
        return Stream.of(0, 1, 2, -1, -3);
    }

    static Stream<Arguments> transposeCases() {
        List<Arguments> cases = new ArrayList<>();
        cases.add(Arguments.of(new long[] {3, 5}, new int[] {1, 0}));
        cases.add(Arguments.of(new long[] {130, 70}, new int[] {1, 0}));   // several tiles, ragged edges
        cases.add(Arguments.of(new long[] {1, 5}, new int[] {1, 0}));      // size-1 axes: a plain copy
        cases.add(Arguments.of(new long[] {3, 5}, new int[] {0, 1}));      // identity
        for (int[] p : permutations(3)) cases.add(Arguments.of(new long[] {2, 3, 4}, p));
        for (int[] p : permutations(4)) cases.add(Arguments.of(new long[] {2, 3, 1, 5}, p));
        for (int[] p : permutations(4)) cases.add(Arguments.of(new long[] {3, 4, 5, 6}, p));
        cases.add(Arguments.of(new long[] {8, 70, 3, 90}, new int[] {0, 3, 2, 1})); // NHWC-like, big tiles
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} perm={1}")
    @MethodSource("transposeCases")
    void transposeMatchesReference(long[] dims, int[] perm) {
        try (MemoryScope scope = MemoryScope.open("transpose")) {
            Shape in = Shape.of(dims);
            float[] x = new float[(int) in.size()];
            for (int i = 0; i < x.length; i++) x[i] = i; // every value distinct
            long[] outDims = new long[dims.length];
            for (int i = 0; i < dims.length; i++) outDims[i] = dims[perm[i]];
            Tensor dst = Tensor.zeros(scope, outDims);
            JavaShapeOps.transpose(tensor(scope, x, dims), perm, dst);
            float[] expected = new float[x.length];
            long[] idx = new long[dims.length];
            for (int o = 0; o < expected.length; o++) {
                long[] srcIdx = new long[dims.length];
                for (int i = 0; i < dims.length; i++) srcIdx[perm[i]] = idx[i];
                expected[o] = x[(int) in.offsetOf(srcIdx)];
                for (int d = dims.length - 1; d >= 0; d--) {
                    if (++idx[d] < outDims[d]) break;
                    idx[d] = 0;
                }
            }
            assertArrayEquals(expected, dst.toFloatArray());
        }
    }

    static Stream<Arguments> padCases() {
        return Stream.of(
                Arguments.of(new long[] {2, 3}, new long[] {1, 0}, new long[] {0, 2}, 0f),
                Arguments.of(new long[] {2, 3}, new long[] {0, 0}, new long[] {0, 0}, 5f),
                Arguments.of(new long[] {2, 4, 5, 3}, new long[] {0, 1, 2, 0}, new long[] {0, 2, 1, 0}, 0f), // NHWC
                Arguments.of(new long[] {2, 4, 5, 3}, new long[] {1, 0, 0, 1}, new long[] {0, 1, 0, 2}, -7.5f),
                Arguments.of(new long[] {3}, new long[] {2}, new long[] {3}, Float.NEGATIVE_INFINITY),
                Arguments.of(new long[] {50, 60, 70}, new long[] {0, 3, 0}, new long[] {1, 0, 0}, 1f));
    }

    @ParameterizedTest(name = "{0} before={1} after={2} value={3}")
    @MethodSource("padCases")
    void padMatchesReference(long[] dims, long[] before, long[] after, float value) {
        try (MemoryScope scope = MemoryScope.open("pad")) {
            Shape in = Shape.of(dims);
            float[] x = uniform(new Random(in.hashCode()), (int) in.size(), -1, 1);
            long[] outDims = new long[dims.length];
            for (int i = 0; i < dims.length; i++) outDims[i] = dims[i] + before[i] + after[i];
            Tensor dst = tensor(scope, uniform(new Random(0), (int) Shape.of(outDims).size(), 10, 11), outDims); // garbage
            JavaShapeOps.pad(tensor(scope, x, dims), before, after, value, dst);
            float[] expected = new float[(int) Shape.of(outDims).size()];
            long[] idx = new long[dims.length];
            for (int o = 0; o < expected.length; o++) {
                boolean inside = true;
                long[] srcIdx = new long[dims.length];
                for (int i = 0; i < dims.length; i++) {
                    srcIdx[i] = idx[i] - before[i];
                    inside &= srcIdx[i] >= 0 && srcIdx[i] < dims[i];
                }
                expected[o] = inside ? x[(int) in.offsetOf(srcIdx)] : value;
                for (int d = dims.length - 1; d >= 0; d--) {
                    if (++idx[d] < outDims[d]) break;
                    idx[d] = 0;
                }
            }
            assertArrayEquals(expected, dst.toFloatArray());
        }
    }

    @Test
    void badAxesPermsAndPaddingAreRejected() {
        try (MemoryScope scope = MemoryScope.open("bad")) {
            Tensor a = Tensor.zeros(scope, 2, 3);
            Tensor b = Tensor.zeros(scope, 2, 4);
            assertRejects(() -> JavaShapeOps.concat(2, List.of(a, b), Tensor.zeros(scope, 2, 7)),
                    "concat", "axis 2 is out of range for rank 2", "srcs=[float32[2, 3], float32[2, 4]]");
            assertRejects(() -> JavaShapeOps.concat(0, List.of(a, b), Tensor.zeros(scope, 4, 3)),
                    "concat", "srcs[1] differs from dst outside axis 0 (axis 1: 4 vs 3)");
            assertRejects(() -> JavaShapeOps.concat(-1, List.of(a, b), Tensor.zeros(scope, 2, 8)),
                    "concat", "add up to 7 along axis 1 but dst has 8");
            assertRejects(() -> JavaShapeOps.concat(0, List.of(), a), "concat", "srcs is empty");
            assertRejects(() -> JavaShapeOps.split(1, Tensor.zeros(scope, 2, 6), List.of(a, a)),
                    "split", "dsts[0] overlaps dsts[1]");
            assertRejects(() -> JavaShapeOps.transpose(a, new int[] {0, 0}, Tensor.zeros(scope, 2, 2)),
                    "transpose", "perm must be a permutation of [0, 2)", "perm=[0, 0]");
            assertRejects(() -> JavaShapeOps.transpose(a, new int[] {1, 0}, Tensor.zeros(scope, 2, 3)),
                    "transpose", "dst must be [3, 2]", "src=float32[2, 3]");
            assertRejects(() -> JavaShapeOps.transpose(a, new int[] {0}, Tensor.zeros(scope, 2, 3)),
                    "transpose", "perm=[0]");
            assertRejects(() -> JavaShapeOps.pad(a, new long[] {0, -1}, new long[] {0, 0}, 0f, Tensor.zeros(scope, 2, 2)),
                    "pad", "padding must be non-negative (axis 1: before=-1, after=0)");
            assertRejects(() -> JavaShapeOps.pad(a, new long[] {1}, new long[] {0}, 0f, Tensor.zeros(scope, 3, 3)),
                    "pad", "one amount per axis (2)");
            assertRejects(() -> JavaShapeOps.pad(a, new long[] {1, 0}, new long[] {0, 0}, 0f, Tensor.zeros(scope, 2, 3)),
                    "pad", "dst must be [3, 3]");
        }
    }

    private static List<int[]> permutations(int n) {
        List<int[]> out = new ArrayList<>();
        permute(new int[n], new boolean[n], 0, out);
        return out;
    }

    private static void permute(int[] p, boolean[] used, int k, List<int[]> out) {
        if (k == p.length) {
            out.add(p.clone());
            return;
        }
        for (int i = 0; i < p.length; i++) {
            if (used[i]) continue;
            used[i] = true;
            p[k] = i;
            permute(p, used, k + 1, out);
            used[i] = false;
        }
    }
}
