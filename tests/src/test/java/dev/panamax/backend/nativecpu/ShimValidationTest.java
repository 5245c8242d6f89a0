package dev.panamax.backend.nativecpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.backend.Backends;
import dev.panamax.backend.Conv2dSpec;
import dev.panamax.backend.PostOps;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shim's own checks, reached by calling it directly with what the Java layer never passes:
 * each returns a status and a message naming the function and the values, and the JVM goes on.
 */
class ShimValidationTest {

    @BeforeAll
    static void loadNatives() {
        Backends.get("native");
    }

    private static NativeException expectShimError(Runnable call, String... parts) {
        NativeException e = assertThrows(NativeException.class, call::run);
        assertEquals(ShimStatus.INVALID_ARGUMENT, e.status(), e.getMessage());
        for (String p : parts) assertTrue(e.getMessage().contains(p), "message lacks '" + p + "': " + e.getMessage());
        return e;
    }

    @Test
    void nullPointersAreRefusedBeforeOpenBlasSeesThem() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment m = arena.allocate(4L * 4 * 4, 64);
            expectShimError(() -> Shim.matmul(m, MemorySegment.NULL, m, 2, 2, 2, false, false, 1, 0),
                    "pmx_matmul_f32", "a is NULL");
            expectShimError(() -> Shim.matmul(MemorySegment.NULL, m, m, 2, 2, 2, false, false, 1, 0),
                    "pmx_matmul_f32", "dst is NULL");
        }
    }

    @Test
    void tooSmallBuffersAreRefused() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment small = arena.allocate(4L * 5, 64);
            MemorySegment big = arena.allocate(4L * 100, 64);
            expectShimError(() -> Shim.matmul(small, big, big, 2, 3, 4, false, false, 1, 0),
                    "pmx_matmul_f32", "dst holds 5 floats but 6 are needed");
            expectShimError(() -> Shim.matmul(big, small, big, 2, 3, 4, false, false, 1, 0),
                    "a holds 5 floats but 8 are needed");
        }
    }

    @Test
    void nonPositiveAndOversizedDimensionsAreRefused() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment m = arena.allocate(64, 64);
            expectShimError(() -> Shim.matmul(m, m, m, -1, 2, 2, false, false, 1, 0), "m must be 1 to 2147483647, got -1");
            expectShimError(() -> Shim.matmul(m, m, m, 2, 0, 2, false, false, 1, 0), "n must be 1 to 2147483647, got 0");
            expectShimError(() -> Shim.matmul(m, m, m, 2, 2, 1L << 31, false, false, 1, 0), "k must be 1 to 2147483647");
        }
    }

    @Test
    void aPointerThatIsNoConvolutionHandleIsRefused() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment notAHandle = arena.allocate(1024, 64);
            MemorySegment buf = arena.allocate(1024, 64);
            expectShimError(() -> Shim.conv2dForward(buf, notAHandle, buf, buf, null),
                    "pmx_conv2d_fwd", "not a live convolution handle");
            expectShimError(() -> Shim.conv2dForward(buf, MemorySegment.NULL, buf, buf, null), "conv is NULL");
        }
    }

    @Test
    void aDestroyedConvolutionThrowsInsteadOfTouchingFreedMemory() {
        NativeConv2d conv = new NativeConv2d(Conv2dSpec.parse("n1_c3h8w8_oc4k3s1p1"), PostOps.NONE, 1);
        assertEquals(4, conv.dstDims()[3]);
        conv.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, conv::dstDims);
        assertTrue(e.getMessage().contains("conv2d") && e.getMessage().contains("n1_c3h8w8_oc4k3s1p1")
                && e.getMessage().contains("destroyed"), e.getMessage());
        conv.close(); // destroying twice is harmless
    }

    @Test
    void invalidConvDescriptionsAreRefusedByTheShim() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            NativeException e = expectShimError(() -> Shim.check(dev.panamax.bindings.panamax_h.pmx_conv2d_create(out,
                    MemorySegment.NULL)), "pmx_conv2d_create", "desc is NULL");
            assertTrue(e.getMessage().contains("INVALID_ARGUMENT"));
        }
    }

    @Test
    void threadCountIsValidated() {
        expectShimError(() -> Shim.threadsSet(0), "pmx_threads_set", "got 0");
    }

    @Test
    void gemmEngineIsValidated() {
        expectShimError(() -> Shim.check(dev.panamax.bindings.panamax_h.pmx_gemm_engine_set(3)),
                "pmx_gemm_engine_set", "engine must be 0 to 2, got 3");
        assertEquals(GemmEngine.AUTO, Shim.gemmEngineGet(), "a refused engine changes nothing");
    }
}
