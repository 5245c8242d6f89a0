package dev.panamax.backend.nativecpu;

import java.lang.foreign.MemorySegment;

/**
 * Owner of one shim handle (a oneDNN primitive set). Any use after {@link #close()} throws
 * {@link IllegalStateException} instead of handing a freed pointer to native code.
 */
abstract class NativeHandle implements AutoCloseable {
    private final String description;
    private volatile MemorySegment handle;

    NativeHandle(MemorySegment handle, String description) {
        this.handle = handle;
        this.description = description;
    }

    /** The live handle; throws if it was destroyed. */
    final MemorySegment handle() {
        MemorySegment h = handle;
        if (h == null) {
            throw new IllegalStateException(description + " was destroyed");
        }
        return h;
    }

    /** Frees the native object behind {@code handle}. */
    abstract void destroy(MemorySegment handle);

    @Override
    public final synchronized void close() {
        if (handle != null) {
            MemorySegment h = handle;
            handle = null;
            destroy(h);
        }
    }
}
