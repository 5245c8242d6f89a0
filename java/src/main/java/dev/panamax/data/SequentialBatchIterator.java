package dev.panamax.data;

import java.util.NoSuchElementException;

/** Assembles each batch on the consumer's thread when it is asked for. */
final class SequentialBatchIterator implements BatchIterator {
    private final Batches batches;
    private final int epoch;
    private final int count;
    private int next;
    private boolean closed;

    SequentialBatchIterator(Batches batches, int epoch) {
        this.batches = batches;
        this.epoch = epoch;
        this.count = batches.batchesPerEpoch();
    }

    @Override
    public boolean hasNext() {
        return !closed && next < count;
    }

    @Override
    public Batch next() {
        if (!hasNext()) {
            throw new NoSuchElementException("Batches: epoch " + epoch + " has no batch " + next
                    + (closed ? " (iterator closed)" : " (" + count + " batches per epoch)"));
        }
        return batches.get(epoch, next++);
    }

    @Override
    public void close() {
        closed = true;
    }
}
