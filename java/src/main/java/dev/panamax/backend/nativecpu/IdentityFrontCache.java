package dev.panamax.backend.nativecpu;

import java.util.Arrays;

/**
 * A small cache in front of a primitive map, keyed by the identity of two objects of the call (the
 * spec and post-ops, or the source and scale tensors) and the thread count. A replayed training
 * step passes the very same objects on every call, so its lookups build no key object; other
 * callers miss here and take the map. Each key probes a few neighbouring slots. Entries are
 * immutable, so racing readers see either a whole entry or none.
 */
final class IdentityFrontCache<V> {
    private static final int SLOTS = 512;
    private static final int PROBES = 4;

    private record Entry<V>(Object first, Object second, int threads, V value) {
    }

    @SuppressWarnings("unchecked")
    private final Entry<V>[] entries = new Entry[SLOTS];
    private int nextVictim;

    V get(Object first, Object second, int threads) {
        int home = home(first, second);
        for (int i = 0; i < PROBES; i++) {
            Entry<V> e = entries[(home + i) & (SLOTS - 1)];
            if (e != null && e.first() == first && e.second() == second && e.threads() == threads) return e.value();
        }
        return null;
    }

    void put(Object first, Object second, int threads, V value) {
        int home = home(first, second);
        Entry<V> entry = new Entry<>(first, second, threads, value);
        for (int i = 0; i < PROBES; i++) {
            int slot = (home + i) & (SLOTS - 1);
            if (entries[slot] == null) {
                entries[slot] = entry;
                return;
            }
        }
        entries[(home + (nextVictim++ & (PROBES - 1))) & (SLOTS - 1)] = entry;
    }

    /** Forgets every entry (the primitives they name were destroyed). */
    void clear() {
        Arrays.fill(entries, null);
    }

    private static int home(Object first, Object second) {
        int h = System.identityHashCode(first) * 31 + System.identityHashCode(second);
        return (h ^ (h >>> 16)) & (SLOTS - 1);
    }
}
