package dev.panamax.layers;

import dev.panamax.autograd.Parameter;
import dev.panamax.backend.Backend;
import dev.panamax.backend.Conv2dSpec;
import dev.panamax.backend.PostOps;
import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Tensor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A convolution layer's kernel packed by its backend ({@link Backend#conv2dPackWeights}) for the
 * problems it runs in inference, so that predict and evaluate pack it once rather than on every
 * call. An entry holds for one backend, spec (the batch size included) and post-ops, and only while
 * the kernel's {@link Parameter#version()} is the one it was packed from; the most recently used
 * {@link #CAPACITY} are kept (predict's full batch and its last partial one, with room to spare).
 *
 * <p>Packed tensors live in child scopes of the kernel's scope (the model's): freed when replaced,
 * and at the latest with the model. Safe from many threads: a replaced entry that a forward pass
 * still reads is freed when that pass ends.
 */
final class PackedKernelCache {
    static final int CAPACITY = 4;

    private final Parameter kernel;
    /** Least recently used first; guarded by this. */
    private final List<Entry> entries = new ArrayList<>();

    PackedKernelCache(Parameter kernel) {
        this.kernel = Objects.requireNonNull(kernel, "kernel");
    }

    /**
     * {@code forward} applied to the kernel packed for {@code spec} and {@code postOps} on
     * {@code backend} (packed now unless a current entry exists), or to the plain kernel when the
     * backend runs plain HWIO weights. The packed tensor is valid only during {@code forward}.
     */
    <R> R withPacked(Backend backend, Conv2dSpec spec, PostOps postOps, Function<Tensor, R> forward) {
        Entry entry = acquire(backend, spec, postOps);
        try {
            return forward.apply(entry.packed != null ? entry.packed : kernel.value());
        } finally {
            release(entry);
        }
    }

    /** How many entries are kept now (for tests). */
    synchronized int size() {
        return entries.size();
    }

    private synchronized Entry acquire(Backend backend, Conv2dSpec spec, PostOps postOps) {
        long version = kernel.version();
        Entry hit = null;
        for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.version != version) {
                it.remove();
                retire(e);
            } else if (e.backend == backend && e.spec.equals(spec) && e.postOps.equals(postOps)) {
                hit = e;
            }
        }
        if (hit != null) {
            entries.remove(hit);
        } else {
            if (entries.size() == CAPACITY) retire(entries.removeFirst());
            hit = pack(backend, spec, postOps, version);
        }
        entries.add(hit);
        hit.users++;
        return hit;
    }

    private synchronized void release(Entry entry) {
        entry.users--;
        if (entry.retired && entry.users == 0) entry.free();
    }

    private static void retire(Entry entry) {
        entry.retired = true;
        if (entry.users == 0) entry.free();
    }

    private Entry pack(Backend backend, Conv2dSpec spec, PostOps postOps, long version) {
        MemoryScope scope = kernel.value().scope().openChild("packed " + kernel.name());
        try {
            Tensor packed = backend.conv2dPackWeights(spec, postOps, kernel.value(), scope);
            if (packed.layout().isRowMajor()) {
                // The backend runs plain HWIO (its "packing" is a copy): keep no copy, use the kernel itself.
                scope.close();
                return new Entry(backend, spec, postOps, version, null, null);
            }
            return new Entry(backend, spec, postOps, version, scope, packed);
        } catch (RuntimeException | Error e) {
            scope.close();
            throw e;
        }
    }

    /** One packed kernel; users and retired are guarded by the cache. */
    private static final class Entry {
        final Backend backend;
        final Conv2dSpec spec;
        final PostOps postOps;
        final long version;
        final MemoryScope scope;
        final Tensor packed;
        int users;
        boolean retired;

        Entry(Backend backend, Conv2dSpec spec, PostOps postOps, long version, MemoryScope scope, Tensor packed) {
            this.backend = backend;
            this.spec = spec;
            this.postOps = postOps;
            this.version = version;
            this.scope = scope;
            this.packed = packed;
        }

        void free() {
            if (scope != null) scope.close();
        }
    }
}
