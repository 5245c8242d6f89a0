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
    private final long rows;
    private final long channels;
    private final float epsilon;
    private final boolean fuseRelu;

    NativeBatchNorm(long rows, long channels, float epsilon, boolean fuseRelu, int threads) {
        super(Shim.batchNormCreate(rows, channels, epsilon, fuseRelu),
                "batch_norm: the native primitive for " + rows + "x" + channels);
        this.rows = rows;
        this.channels = channels;
        this.epsilon = epsilon;
        this.fuseRelu = fuseRelu;
        this.workspaceBytes = Shim.batchNormWorkspaceSize(handle());
        this.workspaceLayout = Layout.backendPacked(NativeBackend.NAME, "batchnorm-workspace:" + rows + "x" + channels
                + ":t" + threads);
    }

    /** Whether this primitive normalizes this problem. */
    boolean isFor(long rows, long channels, float epsilon, boolean fuseRelu) {
        return this.rows == rows && this.channels == channels
                && Float.floatToIntBits(this.epsilon) == Float.floatToIntBits(epsilon) && this.fuseRelu == fuseRelu;
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
