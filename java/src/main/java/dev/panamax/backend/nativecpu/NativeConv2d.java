package dev.panamax.backend.nativecpu;

import dev.panamax.backend.Conv2dSpec;
import dev.panamax.backend.PostOps;
import dev.panamax.tensor.Layout;
import dev.panamax.tensor.MemoryScope;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** One oneDNN convolution (forward with post-ops, and its backward passes) for one spec and thread count. */
final class NativeConv2d extends NativeHandle {
    private final Conv2dSpec spec;
    private final PostOps postOps;
    private final Layout weightsLayout;
    private final long packedBytes;
    // Working memory of calls given plain HWIO weights (packed on the fly) or no bias gradient:
    // one block per thread, made on its first such call and freed with this primitive.
    private final Arena scratchArena = Arena.ofShared();
    private final ThreadLocal<MemorySegment> packingScratch;
    private final ThreadLocal<MemorySegment> biasGradientScratch;

    NativeConv2d(Conv2dSpec spec, PostOps postOps, int threads) {
        super(Shim.conv2dCreate(spec, postOps), "conv2d: the native primitive for " + spec);
        this.spec = spec;
        this.postOps = postOps;
        this.packedBytes = Shim.conv2dPackedSize(handle());
        // Packed bytes are only valid for the primitive they were packed for.
        this.weightsLayout = Layout.backendPacked(NativeBackend.NAME, "conv2d:" + spec.descriptor()
                + (postOps.isNone() ? "" : ":" + postOps.activation().kerasName() + (postOps.sum() ? "+sum" : ""))
                + ":t" + threads);
        this.packingScratch = ThreadLocal.withInitial(() -> scratchArena.allocate(packedBytes, MemoryScope.ALIGNMENT));
        this.biasGradientScratch = ThreadLocal.withInitial(
                () -> scratchArena.allocate(spec.outChannels() * Float.BYTES, MemoryScope.ALIGNMENT));
    }

    /** This thread's block for weights packed on the fly; reused by the next such call on the thread. */
    MemorySegment packingScratch() {
        handle(); // throws once destroyed, before the arena is gone
        return packingScratch.get();
    }

    /** This thread's block for a bias gradient nobody asked for (the primitive computes it anyway). */
    MemorySegment biasGradientScratch() {
        handle();
        return biasGradientScratch.get();
    }

    Conv2dSpec spec() {
        return spec;
    }

    PostOps postOps() {
        return postOps;
    }

    Layout weightsLayout() {
        return weightsLayout;
    }

    long packedBytes() {
        return packedBytes;
    }

    String implementationName() {
        return Shim.conv2dImplName(handle());
    }

    long[] dstDims() {
        return Shim.conv2dDstDims(handle());
    }

    @Override
    void destroy(MemorySegment handle) {
        Shim.conv2dDestroy(handle);
        scratchArena.close();
    }
}
