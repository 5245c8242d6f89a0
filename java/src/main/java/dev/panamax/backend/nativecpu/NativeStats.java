package dev.panamax.backend.nativecpu;

/**
 * Counters of the native runtime's expensive events since the libraries loaded, for checking
 * that steady state does none: a training step repeated on the same shapes creates no
 * primitive and reorders no activation. Take two snapshots and compare with {@link #since}.
 *
 * @param primitiveCreations oneDNN primitives created (compute and reorder primitives)
 * @param weightReorders weights packed into a primitive's layout, or weight gradients brought back to HWIO
 * @param activationReorders activations (sources, destinations, their gradients) converted between layouts
 */
public record NativeStats(long primitiveCreations, long weightReorders, long activationReorders) {

    /** Every reorder, of weights or activations. */
    public long reorders() {
        return weightReorders + activationReorders;
    }

    /** What happened between {@code earlier} and this snapshot. */
    public NativeStats since(NativeStats earlier) {
        return new NativeStats(primitiveCreations - earlier.primitiveCreations, weightReorders - earlier.weightReorders,
                activationReorders - earlier.activationReorders);
    }
}
