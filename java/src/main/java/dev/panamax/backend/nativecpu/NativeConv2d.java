package dev.panamax.backend.nativecpu;

import dev.panamax.backend.Conv2dSpec;
import dev.panamax.backend.PostOps;
import dev.panamax.tensor.Layout;
import java.lang.foreign.MemorySegment;

/**
 * One oneDNN convolution primitive, created for one spec and thread count and run many times.
 * Guards its handle: any use after {@link #close()} throws {@link IllegalStateException}
 * instead of handing a freed pointer to native code.
 */
final class NativeConv2d implements AutoCloseable {
    private final Conv2dSpec spec;
    private final PostOps postOps;
    private final Layout weightsLayout;
    private final long packedBytes;
    private MemorySegment handle;

    NativeConv2d(Conv2dSpec spec, PostOps postOps, int threads) {
        this.spec = spec;
        this.postOps = postOps;
        this.handle = Shim.conv2dCreate(spec, postOps);
        this.packedBytes = Shim.conv2dPackedSize(handle);
        // Packed bytes are only valid for the primitive they were packed for.
        this.weightsLayout = Layout.backendPacked(NativeBackend.NAME, "conv2d:" + spec.descriptor()
                + (postOps.isNone() ? "" : ":" + postOps.activation().kerasName() + (postOps.sum() ? "+sum" : ""))
                + ":t" + threads);
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

    /** The live handle; throws if this primitive was destroyed. */
    synchronized MemorySegment handle() {
        if (handle == null) {
            throw new IllegalStateException("conv2d: the native primitive for " + spec + " was destroyed");
        }
        return handle;
    }

    String implementationName() {
        return Shim.conv2dImplName(handle());
    }

    long[] dstDims() {
        return Shim.conv2dDstDims(handle());
    }

    @Override
    public synchronized void close() {
        if (handle != null) {
            MemorySegment h = handle;
            handle = null;
            Shim.conv2dDestroy(h);
        }
    }
}
