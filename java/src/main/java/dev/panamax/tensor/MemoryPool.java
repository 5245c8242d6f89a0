package dev.panamax.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;

/**
 * Recycles off-heap blocks between scopes that do the same work again and again (one training
 * step after another), so that steady state maps no fresh pages and calls no allocator: a scope
 * opened with {@link MemoryScope#open(String, MemoryPool)} takes blocks from here and gives them
 * back when it closes. Blocks are handed out zeroed, like any scope's memory, and each is a view
 * bound to its scope: used after that scope closed, it throws as usual.
 *
 * <p>Sizes are rounded up to a power of two (at least 4 KiB) so that blocks of neighbouring sizes
 * are shared. The pool keeps what it has handed out until {@link #close()}.
 */
public final class MemoryPool implements AutoCloseable {
    private static final long MIN_BLOCK = 4096;

    private final String name;
    private final Arena arena = Arena.ofShared();
    /** Free blocks by size class: index k holds blocks of 2^k bytes (no boxing on the hot path). */
    @SuppressWarnings("unchecked")
    private final ArrayDeque<MemorySegment>[] free = new ArrayDeque[64];
    private long reservedBytes;
    private long freshAllocations;
    private boolean open = true;
    private static final java.util.concurrent.atomic.AtomicLong LIVE_BYTES = new java.util.concurrent.atomic.AtomicLong();

    public MemoryPool(String name) {
        this.name = name;
    }

    /** A zeroed block of at least {@code bytes}, 64-byte aligned. */
    synchronized MemorySegment take(long bytes) {
        if (!open) throw new IllegalStateException("MemoryPool '" + name + "' is closed");
        long size = blockSize(bytes);
        ArrayDeque<MemorySegment> q = free[Long.numberOfTrailingZeros(size)];
        MemorySegment block = q == null ? null : q.pollLast();
        if (block == null) {
            block = arena.allocate(size, MemoryScope.ALIGNMENT);
            reservedBytes += size;
            LIVE_BYTES.addAndGet(size);
            freshAllocations++;
        } else {
            block.asSlice(0, bytes).fill((byte) 0);
        }
        return block;
    }

    synchronized void give(MemorySegment block) {
        if (!open) return;
        int sizeClass = Long.numberOfTrailingZeros(block.byteSize());
        if (free[sizeClass] == null) free[sizeClass] = new ArrayDeque<>();
        free[sizeClass].addLast(block);
    }

    private static long blockSize(long bytes) {
        long size = Math.max(MIN_BLOCK, Long.highestOneBit(bytes));
        return size < bytes ? size << 1 : size;
    }

    /** Bytes held by all open pools of this JVM. */
    static long liveBytes() {
        return LIVE_BYTES.get();
    }

    /** Bytes this pool holds, in use or free. */
    public synchronized long reservedBytes() {
        return reservedBytes;
    }

    /** How many blocks were newly allocated (rather than recycled) so far. */
    public synchronized long freshAllocations() {
        return freshAllocations;
    }

    /** Frees every block; scopes still using blocks of this pool must be closed first. */
    @Override
    public synchronized void close() {
        if (open) {
            open = false;
            java.util.Arrays.fill(free, null);
            arena.close();
            LIVE_BYTES.addAndGet(-reservedBytes);
        }
    }

    @Override
    public String toString() {
        return "MemoryPool[" + name + ", " + reservedBytes + " bytes]";
    }
}
