package dev.panamax.backend.nativecpu;

import dev.panamax.backend.Conv2dSpec;
import dev.panamax.backend.PostOps;
import dev.panamax.tensor.Layout;
import java.lang.foreign.MemorySegment;

/** One oneDNN convolution (forward with post-ops, and its backward passes) for one spec and thread count. */
final class NativeConv2d extends NativeHandle {
    private final Conv2dSpec spec;
    private final PostOps postOps;
    private final Layout weightsLayout;
    private final long packedBytes;

    NativeConv2d(Conv2dSpec spec, PostOps postOps, int threads) {
        super(Shim.conv2dCreate(spec, postOps), "conv2d: the native primitive for " + spec);
        this.spec = spec;
        this.postOps = postOps;
        this.packedBytes = Shim.conv2dPackedSize(handle());
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

    String implementationName() {
        return Shim.conv2dImplName(handle());
    }

    long[] dstDims() {
        return Shim.conv2dDstDims(handle());
    }

    @Override
    void destroy(MemorySegment handle) {
        Shim.conv2dDestroy(handle);
    }
}
