package dev.panamax.backend.nativecpu;

import java.util.Arrays;

/**
 * A small direct-mapped cache in front of a primitive map, keyed by the identity of the spec and
 * post-op objects and the thread count. A replayed training step passes the very same spec objects
 * on every call, so its lookups build no key object; other callers miss here and take the map.
 * Entries are immutable, so racing readers see either a whole entry or none.
 */
final class IdentityFrontCache<V> {
    private static final int SLOTS = 64;

    private record Entry<V>(Object spec, Object postOps, int threads, V value) {
    }

    @SuppressWarnings("unchecked")
    private final Entry<V>[] entries = new Entry[SLOTS];

    V get(Object spec, Object postOps, int threads) {
        Entry<V> e = entries[slot(spec)];
        return e != null && e.spec() == spec && e.postOps() == postOps && e.threads() == threads ? e.value() : null;
    }

    void put(Object spec, Object postOps, int threads, V value) {
        entries[slot(spec)] = new Entry<>(spec, postOps, threads, value);
    }

    /** Forgets every entry (the primitives they name were destroyed). */
    void clear() {
        Arrays.fill(entries, null);
    }

    private static int slot(Object spec) {
        return System.identityHashCode(spec) & (SLOTS - 1);
    }
}
