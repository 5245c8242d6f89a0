package dev.panamax.data;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** A fresh uniformly random permutation of all examples each epoch (see {@link Dataset#shuffle}). */
final class ShuffledDataset implements Dataset {
    // Prefetch workers may straddle an epoch boundary, and repeat() asks for several inner epochs
    // per outer one; a few cached permutations cover both without recomputing per example.
    private static final int CACHED_EPOCHS = 4;

    private final Dataset source;
    private final long seed;
    private final Map<Integer, int[]> permutations = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, int[]> eldest) {
            return size() > CACHED_EPOCHS;
        }
    };

    ShuffledDataset(Dataset source, long seed) {
        this.source = source;
        this.seed = seed;
    }

    @Override
    public int size() {
        return source.size();
    }

    @Override
    public Example get(int epoch, int index) {
        DatasetIndex.check(epoch, index, size());
        return source.get(epoch, permutation(epoch)[index]);
    }

    private int[] permutation(int epoch) {
        synchronized (permutations) {
            return permutations.computeIfAbsent(epoch, this::newPermutation);
        }
    }

    /** Fisher-Yates with a generator seeded from (seed, epoch). */
    private int[] newPermutation(int epoch) {
        int n = size();
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        SplittableRandom random = new SplittableRandom(SeedMixer.mix(seed, SeedMixer.SHUFFLE, epoch));
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
