package dev.panamax.data;

import java.lang.ref.Cleaner;
import java.util.ArrayDeque;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps up to {@code buffer} batches of one epoch in preparation on worker threads. Batch i is
 * always {@code batches.get(epoch, i)} and batches are handed out in index order, so the result
 * is the same as without prefetching whatever the workers' timing.
 *
 * <p>Workers are daemon threads owned by this iterator: they stop when the epoch is exhausted,
 * when a batch fails, on {@link #close()}, or, for an abandoned iterator, when it is garbage
 * collected. Idle workers also exit after a few seconds on their own.
 */
final class PrefetchingBatchIterator implements BatchIterator {
    private static final Cleaner CLEANER = Cleaner.create();
    private static final AtomicInteger THREAD_IDS = new AtomicInteger();
    private static final long IDLE_SECONDS = 5;

    private final Batches batches;
    private final int epoch;
    private final int count;
    private final ExecutorService workers;
    private final Cleaner.Cleanable cleanup;
    private final ArrayDeque<Future<Batch>> pending = new ArrayDeque<>();
    private int nextToSubmit;
    private int nextToReturn;
    private boolean closed;

    PrefetchingBatchIterator(Batches batches, int epoch, int buffer, int workerCount) {
        this.batches = batches;
        this.epoch = epoch;
        this.count = batches.batchesPerEpoch();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(workerCount, workerCount, IDLE_SECONDS, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), daemonThreads());
        pool.allowCoreThreadTimeOut(true);
        this.workers = pool;
        // The cleanup action holds the pool, never this iterator, so the iterator can be collected.
        this.cleanup = CLEANER.register(this, pool::shutdownNow);
        while (nextToSubmit < count && pending.size() < buffer) {
            submitNext();
        }
        if (count == 0) {
            close();
        }
    }

    @Override
    public boolean hasNext() {
        return !closed && nextToReturn < count;
    }

    @Override
    public Batch next() {
        if (!hasNext()) {
            throw new NoSuchElementException("Batches: epoch " + epoch + " has no batch " + nextToReturn
                    + (closed && nextToReturn < count ? " (iterator closed)" : " (" + count + " batches per epoch)"));
        }
        int index = nextToReturn;
        Batch batch = await(pending.removeFirst(), index);
        nextToReturn++;
        if (nextToSubmit < count) {
            submitNext();
        }
        if (nextToReturn == count) {
            close();
        }
        return batch;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            for (Future<Batch> f : pending) {
                f.cancel(true);
            }
            pending.clear();
            cleanup.clean();
        }
    }

    private void submitNext() {
        int index = nextToSubmit++;
        // Locals, not fields: a task that captured this iterator would keep an abandoned one reachable.
        Batches source = batches;
        int e = epoch;
        pending.addLast(workers.submit(() -> source.get(e, index)));
    }

    private Batch await(Future<Batch> future, int index) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            close();
            Throwable cause = e.getCause();
            throw new DataPipelineException("Batches: batch " + index + " of epoch " + epoch
                    + " failed on a prefetch worker: " + cause, cause);
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new DataPipelineException("Batches: interrupted while waiting for batch " + index + " of epoch "
                    + epoch, e);
        } catch (CancellationException e) {
            close();
            throw new DataPipelineException("Batches: batch " + index + " of epoch " + epoch + " was cancelled", e);
        }
    }

    private static ThreadFactory daemonThreads() {
        return task -> {
            Thread t = new Thread(task, "panamax-prefetch-" + THREAD_IDS.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
