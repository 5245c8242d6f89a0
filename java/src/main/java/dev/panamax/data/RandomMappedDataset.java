package dev.panamax.data;

import java.util.SplittableRandom;

/**
 * Every example passed through a random transform with a stream of its own, seeded from
 * (seed, epoch, index) (see {@link Dataset#mapRandom}).
 */
final class RandomMappedDataset implements Dataset {
    private final Dataset source;
    private final long seed;
    private final RandomTransform transform;

    RandomMappedDataset(Dataset source, long seed, RandomTransform transform) {
        this.source = source;
        this.seed = seed;
        this.transform = transform;
    }

    @Override
    public int size() {
        return source.size();
    }

    @Override
    public Example get(int epoch, int index) {
        Example in = source.get(epoch, index);
        Example out = transform.apply(in, new SplittableRandom(SeedMixer.mix(seed, SeedMixer.AUGMENT, epoch, index)));
        if (out == null) {
            throw new NullPointerException("Dataset.mapRandom: the transform returned null for example " + index
                    + " of epoch " + epoch);
        }
        return out;
    }
}
