package dev.panamax.data;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A random transform of one example, for augmentation with {@link Dataset#mapRandom}. It must
 * draw all its randomness from {@code random} (a stream private to this example and epoch) and
 * return a new example without writing into the one it is given.
 */
@FunctionalInterface
public interface RandomTransform {

    Example apply(Example example, RandomGenerator random);

    /** This transform, then {@code next}, drawing from the same stream. */
    default RandomTransform andThen(RandomTransform next) {
        Objects.requireNonNull(next, "next");
        return (example, random) -> next.apply(apply(example, random), random);
    }
}
