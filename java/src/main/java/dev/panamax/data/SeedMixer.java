package dev.panamax.data;

/**
 * Derives independent 64-bit seeds from a user seed and coordinates such as (epoch, example
 * index), so every random draw in the pipeline is a pure function of where it happens and never
 * of which thread gets there first. Each coordinate goes through SplitMix64's finalizer in turn.
 */
final class SeedMixer {
    /** Salts that keep the shuffle and augmentation streams apart when a user reuses a seed. */
    static final long SHUFFLE = 0x53485546464C45L;
    static final long AUGMENT = 0x4155474D454E54L;

    private SeedMixer() {
    }

    static long mix(long seed, long salt, long... coordinates) {
        long z = finalize(seed ^ salt);
        for (long c : coordinates) {
            z = finalize(z + 0x9E3779B97F4A7C15L * (c + 1));
        }
        return z;
    }

    private static long finalize(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
