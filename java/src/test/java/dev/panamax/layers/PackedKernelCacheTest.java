package dev.panamax.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.autograd.Parameter;
import dev.panamax.backend.Activation;
import dev.panamax.backend.Backend;
import dev.panamax.backend.Backends;
import dev.panamax.backend.Conv2dSpec;
import dev.panamax.backend.PostOps;
import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PackedKernelCacheTest {
    private static final Backend NATIVE = Backends.get("native");

    private static Conv2dSpec spec(int batch) {
        return Conv2dSpec.parse("n" + batch + "_c2h6w6_oc4k3s1p0");
    }

    private static Parameter kernel(MemoryScope scope) {
        Tensor t = Tensor.zeros(scope, spec(1).weightsShape().dims());
        float[] v = new float[(int) t.size()];
        for (int i = 0; i < v.length; i++) v[i] = (i % 7) - 3;
        t.copyFrom(v);
        return new Parameter("conv/kernel", t, true);
    }

    private static Tensor packed(PackedKernelCache cache, Conv2dSpec spec, PostOps postOps) {
        return cache.withPacked(NATIVE, spec, postOps, t -> t);
    }

    @Test
    void oneEntryPerVersionSpecAndPostOpsLeastRecentlyUsedReplacedAndFreed() {
        try (MemoryScope scope = MemoryScope.open("model")) {
            Parameter kernel = kernel(scope);
            PackedKernelCache cache = new PackedKernelCache(kernel);
            Tensor full = packed(cache, spec(8), PostOps.NONE);
            assertFalse(full.layout().isRowMajor(), "the native backend packs into its own layout");
            assertSame(full, packed(cache, spec(8), PostOps.NONE), "same problem, same version: the same tensor");
            Tensor relu = packed(cache, spec(8), PostOps.of(Activation.RELU));
            assertNotSame(full, relu, "other post-ops are another entry");
            List<Tensor> more = new ArrayList<>();
            for (int batch = 1; batch <= 3; batch++) more.add(packed(cache, spec(batch), PostOps.NONE));
            assertEquals(PackedKernelCache.CAPACITY, cache.size());
            assertFalse(full.scope().isOpen(), "the least recently used entry was replaced and freed");
            assertTrue(relu.scope().isOpen());
            assertSame(relu, packed(cache, spec(8), PostOps.of(Activation.RELU)));

            kernel.markModified();
            Tensor repacked = packed(cache, spec(8), PostOps.of(Activation.RELU));
            assertNotSame(relu, repacked, "a new version is packed anew");
            assertFalse(relu.scope().isOpen(), "entries of the old version are freed");
            for (Tensor t : more) assertFalse(t.scope().isOpen(), "entries of the old version are freed");
            assertEquals(1, cache.size());
        }
    }

    @Test
    void anEntryReplacedWhileAForwardPassReadsItIsFreedWhenThePassEnds() {
        try (MemoryScope scope = MemoryScope.open("model")) {
            Parameter kernel = kernel(scope);
            PackedKernelCache cache = new PackedKernelCache(kernel);
            Tensor[] inUse = new Tensor[1];
            cache.withPacked(NATIVE, spec(8), PostOps.NONE, t -> {
                inUse[0] = t;
                kernel.markModified(); // another thread's optimizer step, say
                Tensor newer = packed(cache, spec(8), PostOps.NONE);
                assertNotSame(t, newer);
                assertTrue(t.scope().isOpen(), "still read by this pass");
                return null;
            });
            assertFalse(inUse[0].scope().isOpen(), "freed once the pass ended");
        }
    }

    @Test
    void packedKernelsDieWithTheModelsScope() {
        Tensor packed;
        try (MemoryScope scope = MemoryScope.open("model")) {
            PackedKernelCache cache = new PackedKernelCache(kernel(scope));
            packed = packed(cache, spec(8), PostOps.NONE);
            assertTrue(packed.scope().isOpen());
        }
        assertFalse(packed.scope().isOpen());
    }

    @Test
    void onTheJavaBackendTheKernelItselfIsUsedAndNoCopyKept() {
        try (MemoryScope scope = MemoryScope.open("model")) {
            Parameter kernel = kernel(scope);
            PackedKernelCache cache = new PackedKernelCache(kernel);
            Tensor used = cache.withPacked(Backends.get("java"), spec(8), PostOps.NONE, t -> t);
            assertSame(kernel.value(), used, "the Java backend runs plain HWIO");
            float[] changed = kernel.value().toFloatArray();
            changed[0] = 42;
            kernel.assign(changed);
            assertArrayEquals(changed,
                    cache.withPacked(Backends.get("java"), spec(8), PostOps.NONE, Tensor::toFloatArray));
        }
    }
}
