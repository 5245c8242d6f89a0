package dev.panamax.data;

import java.util.function.UnaryOperator;

/** Every example passed through a deterministic transform (see {@link Dataset#map}). */
final class MappedDataset implements Dataset {
    private final Dataset source;
    private final UnaryOperator<Example> transform;

    MappedDataset(Dataset source, UnaryOperator<Example> transform) {
        this.source = source;
        this.transform = transform;
    }

    @Override
    public int size() {
        return source.size();
    }

    @Override
    public Example get(int epoch, int index) {
        Example out = transform.apply(source.get(epoch, index));
        if (out == null) {
            throw new NullPointerException("Dataset.map: the transform returned null for example " + index
                    + " of epoch " + epoch);
        }
        return out;
    }
}
