package dev.panamax.backend;

/**
 * The random numbers of dropout: a counter-based generator (SplitMix64's finalizer over
 * {@code seed + (i + 1) · golden ratio}), so element i's draw depends on the seed and i alone.
 * Every backend computes the same mask for the same seed, in any order, on any thread count.
 * The native shim implements the same function.
 */
public final class DropoutRandom {
    private DropoutRandom() {
    }

    /** A float in [0, 1) with 24 random bits, for element {@code index} under {@code seed}. */
    public static float uniform(long seed, long index) {
        long z = seed + (index + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z >>> 40) * 0x1.0p-24f;
    }
}
