package dev.panamax.backend.nativecpu;

import dev.panamax.backend.Pool2dSpec;
import dev.panamax.tensor.Layout;
import java.lang.foreign.MemorySegment;

/** One oneDNN pooling (forward for training and inference, backward) for one spec and thread count. */
final class NativePool2d extends NativeHandle {
    private final long workspaceBytes;
    private final Layout workspaceLayout;

    NativePool2d(Pool2dSpec spec, int threads) {
        super(Shim.pool2dCreate(spec), "pool2d: the native primitive for " + spec);
        this.workspaceBytes = Shim.pool2dWorkspaceSize(handle());
        this.workspaceLayout = Layout.backendPacked(NativeBackend.NAME, "pool2d-workspace:" + spec.descriptor()
                + ":t" + threads);
    }

    /** Bytes max pooling keeps for backward; 0 for average pooling. */
    long workspaceBytes() {
        return workspaceBytes;
    }

    Layout workspaceLayout() {
        return workspaceLayout;
    }

    @Override
    void destroy(MemorySegment handle) {
        Shim.pool2dDestroy(handle);
    }
}
