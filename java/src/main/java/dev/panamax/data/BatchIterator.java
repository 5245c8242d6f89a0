package dev.panamax.data;

import java.util.Iterator;

/**
 * The batches of one epoch, in order. Closing it stops any background work for the epoch; after
 * that {@link #hasNext()} is false.
 */
public interface BatchIterator extends Iterator<Batch>, AutoCloseable {

    /** Stops background work for this epoch; safe to call more than once. */
    @Override
    void close();
}
