package dev.panamax.backend.nativecpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.backend.Backends;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shim's own checks of pmx_gather_rows and pmx_scatter_add_rows, reached by calling it
 * directly with what the Java checks never let through: every index is checked before anything
 * is written, and buffers must be large enough.
 */
class GatherShimValidationTest {

    @BeforeAll
    static void loadNatives() {
        Backends.get("native");
    }

    private static void expectShimError(Runnable call, String... parts) {
        NativeException e = assertThrows(NativeException.class, call::run);
        assertEquals(ShimStatus.INVALID_ARGUMENT, e.status(), e.getMessage());
        for (String p : parts) assertTrue(e.getMessage().contains(p), "message lacks '" + p + "': " + e.getMessage());
    }

    @Test
    void outOfRangeIndicesAreRefusedBeforeAnythingIsWritten() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment table = arena.allocateFrom(ValueLayout.JAVA_FLOAT, 0, 1, 2, 3, 4, 5);
            MemorySegment dst = arena.allocateFrom(ValueLayout.JAVA_FLOAT, 7, 7, 7, 7);
            MemorySegment indices = arena.allocateFrom(ValueLayout.JAVA_INT, 1, 3);
            expectShimError(() -> Shim.gatherRows(dst, table, indices, 3, 2), "pmx_gather_rows",
                    "index 3 (at position 1 of indices) is out of range for a table of 3 rows");
            assertArrayEquals(new float[] {7, 7, 7, 7}, dst.toArray(ValueLayout.JAVA_FLOAT));
            MemorySegment negative = arena.allocateFrom(ValueLayout.JAVA_INT, -1, 0);
            MemorySegment diffTable = arena.allocateFrom(ValueLayout.JAVA_FLOAT, 7, 7, 7, 7, 7, 7);
            expectShimError(() -> Shim.scatterAddRows(diffTable, dst, negative, 3, 2), "pmx_scatter_add_rows",
                    "index -1 (at position 0 of indices)");
            assertArrayEquals(new float[] {7, 7, 7, 7, 7, 7}, diffTable.toArray(ValueLayout.JAVA_FLOAT));
        }
    }

    @Test
    void tooSmallBuffersAndEmptyViewsAreRefused() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment table = arena.allocate(4L * 6, 64);
            MemorySegment small = arena.allocate(4L * 3, 64);
            MemorySegment indices = arena.allocateFrom(ValueLayout.JAVA_INT, 0, 2);
            expectShimError(() -> Shim.gatherRows(small, table, indices, 3, 2), "pmx_gather_rows",
                    "dst holds 3 floats but 4 are needed");
            expectShimError(() -> Shim.gatherRows(table, small, indices, 3, 2),
                    "table holds 3 floats but 6 are needed");
            expectShimError(() -> Shim.scatterAddRows(table, small, indices, 3, 2), "pmx_scatter_add_rows",
                    "diff_dst holds 3 floats but 4 are needed");
            expectShimError(() -> Shim.gatherRows(table, table, indices, 0, 2), "rows and cols must be at least 1");
            expectShimError(() -> Shim.gatherRows(table, table, MemorySegment.NULL, 3, 2), "indices");
        }
    }
}
