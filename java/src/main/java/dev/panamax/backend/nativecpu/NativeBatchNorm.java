package dev.panamax.backend.nativecpu;

import dev.panamax.tensor.Layout;
import java.lang.foreign.MemorySegment;

/**
 * oneDNN batch normalization over {@code [rows, channels]} (every axis but the last folded into
 * rows), for one epsilon, ReLU fusion and thread count.
 */
final class NativeBatchNorm extends NativeHandle {
    private final long workspaceBytes;
    private final Layout workspaceLayout;

    NativeBatchNorm(long rows, long channels, float epsilon, boolean fuseRelu, int threads) {
        super(Shim.batchNormCreate(rows, channels, epsilon, fuseRelu),
                "batch_norm: the native primitive for " + rows + "x" + channels);
        this.workspaceBytes = Shim.batchNormWorkspaceSize(handle());
        this.workspaceLayout = Layout.backendPacked(NativeBackend.NAME, "batchnorm-workspace:" + rows + "x" + channels
                + ":t" + threads);
    }

    long workspaceBytes() {
        return workspaceBytes;
    }

    Layout workspaceLayout() {
        return workspaceLayout;
    }

    @Override
    void destroy(MemorySegment handle) {
        Shim.batchNormDestroy(handle);
    }
}
