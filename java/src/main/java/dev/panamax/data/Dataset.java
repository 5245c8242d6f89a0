package dev.panamax.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A finite, re-iterable sequence of examples, the counterpart of {@code tf.data.Dataset} for
 * Keras' {@code fit}. Operations return new datasets and leave this one unchanged.
 *
 * <p>A dataset is random access per epoch: {@link #get(int, int)} gives example {@code index} of
 * epoch {@code epoch}, and must return the same example whenever it is asked, from any thread.
 * That is what makes shuffling, augmentation and parallel prefetching deterministic: example i of
 * epoch e depends on (seeds, e, i) alone, never on the order in which threads ask for examples.
 * Transforms given to {@link #map} and {@link #mapRandom} must therefore be thread-safe and free
 * of hidden state.
 *
 * <p>Iterating a dataset directly walks epoch 0; {@link #examples(int)} walks any epoch.
 */
public interface Dataset extends Iterable<Example> {

    /** Number of examples in each epoch. */
    int size();

    /**
     * Example {@code index} (0 to {@code size() - 1}) of epoch {@code epoch} (0 or more).
     * The returned arrays belong to the caller.
     */
    Example get(int epoch, int index);

    /**
     * One example per row of {@code x} and {@code y}; a 1-D {@code y} gives scalar targets
     * (sparse class indices). The arrays are shared, not copied; each example is a copy of its rows.
     */
    static Dataset fromArrays(FloatArray x, FloatArray y) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
        if (x.shape().rank() == 0 || y.shape().rank() == 0 || x.rows() != y.rows()) {
            throw new IllegalArgumentException("Dataset.fromArrays: x " + x.shape() + " and y " + y.shape()
                    + " must have the same number of rows");
        }
        return new ArrayDataset(x, y);
    }

    /** Applies a deterministic transform to every example. */
    default Dataset map(UnaryOperator<Example> transform) {
        return new MappedDataset(this, Objects.requireNonNull(transform, "transform"));
    }

    /**
     * Applies a random transform (augmentation) to every example. Example i of epoch e gets its
     * own random stream derived from {@code (seed, e, i)}, so each epoch sees new variations and a
     * rerun with the same seed sees the same ones.
     */
    default Dataset mapRandom(long seed, RandomTransform transform) {
        return new RandomMappedDataset(this, seed, Objects.requireNonNull(transform, "transform"));
    }

    /**
     * Reshuffles all examples every epoch: a uniformly random permutation per epoch, different
     * from epoch to epoch and the same for the same seed (like {@code shuffle(buffer_size=n,
     * seed=seed, reshuffle_each_iteration=True)}).
     */
    default Dataset shuffle(long seed) {
        return new ShuffledDataset(this, seed);
    }

    /**
     * This dataset {@code times} times over in each epoch. Repetition k of epoch e draws from
     * this dataset's epoch {@code e * times + k}, so a shuffle or augmentation before the repeat
     * differs between repetitions, as in tf.data.
     */
    default Dataset repeat(int times) {
        return new RepeatedDataset(this, times);
    }

    /** The first {@code n} examples (all of them if there are fewer). */
    default Dataset take(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("Dataset.take: n must be 0 or more, got " + n);
        }
        return new SlicedDataset(this, 0, Math.min(n, size()));
    }

    /** All but the first {@code n} examples (none if there are fewer). */
    default Dataset skip(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("Dataset.skip: n must be 0 or more, got " + n);
        }
        int start = Math.min(n, size());
        return new SlicedDataset(this, start, size() - start);
    }

    /**
     * Holds out the last {@code validationFraction} of the examples, in order, as Keras'
     * {@code validation_split} does: training gets the first {@code floor(size * (1 - fraction))}
     * examples and validation the rest. Split before shuffling, so the parts stay disjoint.
     */
    default DatasetSplit split(double validationFraction) {
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("Dataset.split: validationFraction must be between 0 and 1 (exclusive), got "
                    + validationFraction);
        }
        int n = size();
        int trainingSize = (int) Math.floor(n * (1.0 - validationFraction));
        if (trainingSize == 0 || trainingSize == n) {
            throw new IllegalArgumentException("Dataset.split: validationFraction " + validationFraction + " of " + n
                    + " examples leaves " + (trainingSize == 0 ? "no training" : "no validation") + " examples");
        }
        return new DatasetSplit(take(trainingSize), skip(trainingSize));
    }

    /** Batches of {@code batchSize}; the last batch of an epoch may be smaller. */
    default Batches batch(int batchSize) {
        return new Batches(this, batchSize, false);
    }

    /** Batches of {@code batchSize}; with {@code dropRemainder} a last, smaller batch is left out. */
    default Batches batch(int batchSize, boolean dropRemainder) {
        return new Batches(this, batchSize, dropRemainder);
    }

    /** The examples of epoch {@code epoch}, in order. */
    default Iterable<Example> examples(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("Dataset.examples: epoch must be 0 or more, got " + epoch);
        }
        return () -> new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < size();
            }

            @Override
            public Example next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("Dataset: all " + size() + " examples of epoch " + epoch + " were read");
                }
                return get(epoch, next++);
            }
        };
    }

    /** The examples of epoch 0. */
    @Override
    default Iterator<Example> iterator() {
        return examples(0).iterator();
    }
}
