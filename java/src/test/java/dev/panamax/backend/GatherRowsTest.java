package dev.panamax.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.tensor.DType;
import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * gatherRows and scatterAddRows on both backends against a plain loop, small and above the sizes
 * where they go parallel (several column blocks): results are bit-identical, as both add in
 * position order; bad arguments are refused by the shared Java checks.
 */
class GatherRowsTest {

    @ParameterizedTest(name = "{0}: {1} indices of a {2}x{3} table")
    @CsvSource({
        "java, 5, 4, 3",
        "native, 5, 4, 3",
        "java, 300, 40, 2500",
        "native, 300, 40, 2500",
    })
    void gatherAndScatterAddMatchAPlainLoop(String backend, int n, int rows, int cols) {
        Backend b = Backends.get(backend);
        SplittableRandom r = new SplittableRandom(n * 31L + cols);
        try (MemoryScope scope = MemoryScope.open("test")) {
            float[] table = new float[rows * cols];
            for (int i = 0; i < table.length; i++) table[i] = (float) r.nextDouble(-1, 1);
            int[] ix = new int[n];
            for (int i = 0; i < n; i++) ix[i] = r.nextInt(rows);
            float[] dy = new float[n * cols];
            for (int i = 0; i < dy.length; i++) dy[i] = (float) r.nextDouble(-1, 1);

            Tensor indices = ints(scope, ix, n);
            Tensor gathered = Tensor.zeros(scope, n, cols);
            gathered.fill(Float.NaN); // fully overwritten
            b.gatherRows(Tensor.of(scope, table, rows, cols), indices, gathered);
            float[] expected = new float[n * cols];
            for (int i = 0; i < n; i++) System.arraycopy(table, ix[i] * cols, expected, i * cols, cols);
            assertArrayEquals(expected, gathered.toFloatArray());

            Tensor diffTable = Tensor.zeros(scope, rows, cols);
            diffTable.fill(Float.NaN); // overwritten, not accumulated into
            b.scatterAddRows(Tensor.of(scope, dy, n, cols), indices, diffTable);
            float[] sums = new float[rows * cols];
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < cols; c++) sums[ix[i] * cols + c] += dy[i * cols + c];
            }
            assertArrayEquals(sums, diffTable.toFloatArray());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "native"})
    void indicesMayHaveAnyShape(String backend) {
        try (MemoryScope scope = MemoryScope.open("test")) {
            Tensor table = Tensor.of(scope, new float[] {0, 1, 2, 3, 4, 5}, 3, 2);
            Tensor dst = Tensor.zeros(scope, 2, 2, 2);
            Backends.get(backend).gatherRows(table, ints(scope, new int[] {2, 0, 1, 2}, 2, 2), dst);
            assertArrayEquals(new float[] {4, 5, 0, 1, 2, 3, 4, 5}, dst.toFloatArray());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "native"})
    void badArgumentsAreRefusedBeforeAnyWork(String backend) {
        Backend b = Backends.get(backend);
        try (MemoryScope scope = MemoryScope.open("test")) {
            Tensor table = Tensor.of(scope, new float[] {0, 1, 2, 3, 4, 5}, 3, 2);
            Tensor dst = Tensor.zeros(scope, 2, 2);
            dst.fill(7f);
            assertMessage(() -> b.gatherRows(table, ints(scope, new int[] {1, 3}, 2), dst),
                    "gatherRows: index 3 (at position 1 of indices) is out of range for a table of 3 rows");
            assertArrayEquals(new float[] {7, 7, 7, 7}, dst.toFloatArray(), "nothing written");
            assertMessage(() -> b.scatterAddRows(dst, ints(scope, new int[] {-2, 0}, 2), Tensor.zeros(scope, 3, 2)),
                    "scatterAddRows: index -2 (at position 0 of indices)", "table of 3 rows");
            assertMessage(() -> b.gatherRows(table, Tensor.of(scope, new float[] {0, 1}, 2), dst),
                    "indices must be row-major int32");
            assertMessage(() -> b.gatherRows(table, ints(scope, new int[] {0, 1}, 2), Tensor.zeros(scope, 2, 3)),
                    "dst must be [2, 2]");
            assertMessage(() -> b.gatherRows(Tensor.zeros(scope, 6), ints(scope, new int[] {0}, 1), dst),
                    "table must be [rows, cols]");
        }
    }

    private static Tensor ints(MemoryScope scope, int[] values, long... dims) {
        Tensor t = Tensor.zeros(scope, DType.INT32, Shape.of(dims));
        MemorySegment.copy(values, 0, t.segment(), ValueLayout.JAVA_INT, 0, values.length);
        return t;
    }

    private static void assertMessage(Runnable r, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        for (String p : parts) assertTrue(e.getMessage().contains(p), "message lacks '" + p + "': " + e.getMessage());
    }
}
