package dev.panamax.layers;

import dev.panamax.tensor.MemoryScope;
import java.util.SplittableRandom;

/**
 * What a layer needs to create its weights: the scope they live in (the model's, for the model's
 * lifetime) and a random stream for initializers, derived from the model's seed and the layer's
 * position so that one seed makes a model's initial weights identical on every run.
 */
public record BuildContext(MemoryScope scope, SplittableRandom random) {

    public static BuildContext of(MemoryScope scope, long seed) {
        return new BuildContext(scope, new SplittableRandom(seed));
    }
}
