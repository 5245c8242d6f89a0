package dev.panamax.data;

import dev.panamax.tensor.Shape;
import java.util.Objects;

/**
 * A dataset cut into batches, what the trainer walks once per epoch with {@link #epoch(int)}.
 * Batch b of an epoch stacks examples {@code b * batchSize} onwards along a new leading axis.
 *
 * <p>Without {@link #prefetch} batches are assembled on the consumer's thread when asked for.
 * With it, worker threads decode, augment and assemble batches ahead of the consumer; the
 * batches and their order are the same either way.
 */
public final class Batches {
    private final Dataset dataset;
    private final int batchSize;
    private final boolean dropRemainder;
    private final int prefetchBuffer;
    private final int prefetchWorkers;

    Batches(Dataset dataset, int batchSize, boolean dropRemainder) {
        this(dataset, batchSize, dropRemainder, 0, 0);
    }

    private Batches(Dataset dataset, int batchSize, boolean dropRemainder, int prefetchBuffer, int prefetchWorkers) {
        this.dataset = Objects.requireNonNull(dataset, "dataset");
        if (batchSize < 1) {
            throw new IllegalArgumentException("Dataset.batch: batchSize must be 1 or more, got " + batchSize);
        }
        this.batchSize = batchSize;
        this.dropRemainder = dropRemainder;
        this.prefetchBuffer = prefetchBuffer;
        this.prefetchWorkers = prefetchWorkers;
    }

    /**
     * Prepares up to {@code bufferSize} batches ahead of the consumer on background threads, one
     * per available processor at most.
     */
    public Batches prefetch(int bufferSize) {
        return prefetch(bufferSize, Math.min(Math.max(bufferSize, 1), Runtime.getRuntime().availableProcessors()));
    }

    /** Prepares up to {@code bufferSize} batches ahead of the consumer on {@code workers} background threads. */
    public Batches prefetch(int bufferSize, int workers) {
        if (bufferSize < 1) {
            throw new IllegalArgumentException("Batches.prefetch: bufferSize must be 1 or more, got " + bufferSize);
        }
        if (workers < 1) {
            throw new IllegalArgumentException("Batches.prefetch: workers must be 1 or more, got " + workers);
        }
        return new Batches(dataset, batchSize, dropRemainder, bufferSize, workers);
    }

    /** The dataset these batches come from. */
    public Dataset dataset() {
        return dataset;
    }

    public int batchSize() {
        return batchSize;
    }

    public boolean dropRemainder() {
        return dropRemainder;
    }

    /** Batches ahead of the consumer, 0 without prefetching. */
    public int prefetchBuffer() {
        return prefetchBuffer;
    }

    /** Number of batches in each epoch. */
    public int batchesPerEpoch() {
        int n = dataset.size();
        return dropRemainder ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /**
     * The batches of epoch {@code epoch}, in order. Close the iterator to stop its workers early;
     * with prefetching, workers stop by themselves at the end of the epoch, on a failure, or once
     * an abandoned iterator is garbage collected.
     */
    public BatchIterator epoch(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("Batches.epoch: epoch must be 0 or more, got " + epoch);
        }
        return prefetchBuffer == 0
                ? new SequentialBatchIterator(this, epoch)
                : new PrefetchingBatchIterator(this, epoch, prefetchBuffer, prefetchWorkers);
    }

    /** Batch {@code index} of epoch {@code epoch}, assembled on the calling thread. */
    public Batch get(int epoch, int index) {
        int count = batchesPerEpoch();
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException("Batches.get: batch " + index + " is out of range for " + count
                    + " batches per epoch");
        }
        int start = index * batchSize;
        int rows = Math.min(batchSize, dataset.size() - start);
        Example first = dataset.get(epoch, start);
        float[] x = new float[Math.multiplyExact(rows, first.x().length)];
        float[] y = new float[Math.multiplyExact(rows, first.y().length)];
        for (int i = 0; i < rows; i++) {
            Example e = i == 0 ? first : dataset.get(epoch, start + i);
            if (!e.xShape().equals(first.xShape()) || !e.yShape().equals(first.yShape())) {
                throw new IllegalArgumentException("Batches: example " + (start + i) + " of epoch " + epoch + " has x "
                        + e.xShape() + " and y " + e.yShape() + ", but example " + start + " of the same batch has x "
                        + first.xShape() + " and y " + first.yShape() + "; a batch needs equal shapes");
            }
            System.arraycopy(e.x(), 0, x, i * e.x().length, e.x().length);
            System.arraycopy(e.y(), 0, y, i * e.y().length, e.y().length);
        }
        return new Batch(new FloatArray(x, stacked(rows, first.xShape())), new FloatArray(y, stacked(rows, first.yShape())));
    }

    private static Shape stacked(int rows, Shape rowShape) {
        long[] dims = new long[rowShape.rank() + 1];
        dims[0] = rows;
        System.arraycopy(rowShape.dims(), 0, dims, 1, rowShape.rank());
        return Shape.of(dims);
    }
}
