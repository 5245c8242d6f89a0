package dev.panamax.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Owner of off-heap memory: every tensor is allocated in the scope its caller names, and
 * closing the scope frees all of them at once. A tensor used after its scope closed throws
 * {@link IllegalStateException}. Scopes are shared: tensors may be read and written from any
 * thread while the scope is open.
 *
 * <pre>{@code
 * try (MemoryScope batch = MemoryScope.open("batch")) {
 *     Tensor x = Tensor.zeros(batch, 128, 784);
 *     ...
 * } // x's memory is freed here
 * }</pre>
 *
 * <p>A child scope ({@link #openChild}) frees its tensors on its own, earlier than its parent, and
 * at the latest when the parent closes: what lives as long as a model at most but is replaced
 * before (weights packed for a backend) goes there.
 */
public final class MemoryScope implements AutoCloseable {
    /** Alignment of every allocation: a cache line, and what AVX-512 loads prefer. */
    public static final long ALIGNMENT = 64;

    private final String name;
    private final Arena arena;
    private final MemoryPool pool;
    private final java.util.List<MemorySegment> pooledBlocks;
    /** The part of each pooled block a caller asked for, in allocation order. */
    private final java.util.List<MemorySegment> handedOut;
    private volatile boolean open = true;
    /** The scope whose close closes this one, or null. */
    private final MemoryScope parent;
    /** Open child scopes; guarded by itself. */
    private final java.util.Set<MemoryScope> children = new java.util.HashSet<>();
    /** Bytes this scope took straight from its arena (not from a pool), given back on close. */
    private final java.util.concurrent.atomic.AtomicLong arenaBytes = new java.util.concurrent.atomic.AtomicLong();
    private static final java.util.concurrent.atomic.AtomicLong LIVE_BYTES = new java.util.concurrent.atomic.AtomicLong();

    private MemoryScope(String name, MemoryPool pool, MemoryScope parent) {
        this.name = name;
        this.arena = Arena.ofShared();
        this.pool = pool;
        this.pooledBlocks = pool == null ? null : new java.util.ArrayList<>();
        this.handedOut = pool == null ? null : new java.util.ArrayList<>();
        this.parent = parent;
    }

    /** Opens a scope; {@code name} appears in error messages about its tensors. */
    public static MemoryScope open(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("MemoryScope.open: name must be non-empty, got " + name);
        }
        return new MemoryScope(name, null, null);
    }

    /**
     * Opens a scope whose memory comes from {@code pool} and goes back to it on close (for scopes
     * opened once per training step); otherwise it behaves like any scope.
     */
    public static MemoryScope open(String name, MemoryPool pool) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("MemoryScope.open: name must be non-empty, got " + name);
        }
        return new MemoryScope(name, java.util.Objects.requireNonNull(pool, "pool"), null);
    }

    /** Opens an unnamed scope. */
    public static MemoryScope open() {
        return new MemoryScope("unnamed", null, null);
    }

    /**
     * Opens a scope that closes when this one does, if it was not closed before; its memory is its
     * own (freed by its own close), never this scope's pool.
     */
    public MemoryScope openChild(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("MemoryScope.openChild: name must be non-empty, got " + name);
        }
        synchronized (children) {
            // checked under the lock that close takes, so no child is added once close has begun
            checkOpen("openChild");
            MemoryScope child = new MemoryScope(name, null, this);
            children.add(child);
            return child;
        }
    }

    public String name() {
        return name;
    }

    public boolean isOpen() {
        return open && arena.scope().isAlive();
    }

    /** Allocates {@code bytes} zeroed, 64-byte aligned bytes owned by this scope. */
    public MemorySegment allocate(long bytes) {
        checkOpen("allocate");
        if (bytes < 1) {
            throw new IllegalArgumentException("MemoryScope '" + name + "'.allocate: bytes must be positive, got " + bytes);
        }
        if (pool == null) {
            MemorySegment segment = arena.allocate(bytes, ALIGNMENT);
            arenaBytes.addAndGet(bytes);
            LIVE_BYTES.addAndGet(bytes);
            return segment;
        }
        MemorySegment block = pool.take(bytes);
        synchronized (pooledBlocks) {
            pooledBlocks.add(block);
            handedOut.add(block.asSlice(0, bytes));
        }
        // a view that dies with this scope, so use after close throws as for any scope
        return block.asSlice(0, bytes).reinterpret(arena, null);
    }

    /**
     * Sets every byte this scope has allocated back to zero, as fresh allocations are: a recorded
     * training step reuses its scope's tensors on each replay. Only for scopes opened on a pool.
     */
    public void zeroAllocations() {
        checkOpen("zeroAllocations");
        if (pool == null) {
            throw new IllegalStateException("MemoryScope '" + name + "'.zeroAllocations: only pooled scopes track"
                    + " their allocations");
        }
        synchronized (pooledBlocks) {
            for (int i = 0, n = handedOut.size(); i < n; i++) handedOut.get(i).fill((byte) 0);
        }
    }

    /**
     * Off-heap bytes held by every open scope and every pool in this JVM (requested sizes): what
     * Panamax's tensors and step memory take. Steady-state training keeps it flat.
     */
    public static long liveBytes() {
        return LIVE_BYTES.get() + MemoryPool.liveBytes();
    }

    /** Throws {@link IllegalStateException} naming {@code what} if this scope is closed. */
    public void checkOpen(String what) {
        if (!isOpen()) {
            throw new IllegalStateException(what + ": memory scope '" + name + "' is closed");
        }
    }

    /** Frees every tensor of this scope and of its open child scopes. Closing twice is harmless. */
    @Override
    public synchronized void close() {
        if (open) {
            java.util.List<MemoryScope> orphans;
            synchronized (children) {
                open = false;
                orphans = new java.util.ArrayList<>(children);
                children.clear();
            }
            orphans.forEach(MemoryScope::close);
            if (parent != null) {
                synchronized (parent.children) {
                    parent.children.remove(this);
                }
            }
            arena.close();
            LIVE_BYTES.addAndGet(-arenaBytes.getAndSet(0));
            if (pool != null) {
                synchronized (pooledBlocks) {
                    pooledBlocks.forEach(pool::give);
                    pooledBlocks.clear();
                    handedOut.clear();
                }
            }
        }
    }

    @Override
    public String toString() {
        return "MemoryScope[" + name + (isOpen() ? "" : ", closed") + "]";
    }
}
