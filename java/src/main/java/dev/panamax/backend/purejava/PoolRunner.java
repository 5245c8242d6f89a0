package dev.panamax.backend.purejava;

import dev.panamax.ComputeThreads;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * The Java backend's {@link ParallelRunner}: up to {@link ComputeThreads#get()} workers of a
 * private pool (never the common pool) take indices one at a time, so uneven tasks balance. A
 * new thread count retires the old pool, which ops still running on it keep until they finish.
 */
final class PoolRunner implements ParallelRunner {
    private Workers workers;

    @Override
    public void forRange(int count, IntConsumer body) {
        int threads = ComputeThreads.get();
        int jobCount = Math.min(threads, count);
        if (jobCount <= 1 || onOwnWorker()) { // nested loops run on the worker that asked
            ParallelRunner.SERIAL.forRange(count, body);
            return;
        }
        AtomicInteger next = new AtomicInteger();
        // The pool would rethrow a copy of a failure; keep the original, and stop handing out indices.
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Callable<Void> job = () -> {
            try {
                for (int i; (i = next.getAndIncrement()) < count; ) {
                    body.accept(i);
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
                next.set(count);
            }
            return null;
        };
        List<Callable<Void>> jobs = new ArrayList<>(jobCount);
        for (int i = 0; i < jobCount; i++) {
            jobs.add(job);
        }
        Workers pool = acquire(threads);
        try {
            for (Future<Void> f : pool.pool.invokeAll(jobs)) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("java backend: interrupted while waiting for workers", e);
        } finally {
            release(pool);
        }
        if (failure.get() != null) {
            throw rethrow(failure.get());
        }
    }

    /** A worker of a Java backend pool: waiting there for more workers could starve the pool. */
    private static boolean onOwnWorker() {
        return Thread.currentThread() instanceof ForkJoinWorkerThread t && t.getName().startsWith(THREAD_PREFIX);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) throw r;
        if (t instanceof Error e) throw e;
        throw new IllegalStateException("java backend: a worker failed", t);
    }

    /** A pool and the ops running on it; it shuts down once retired and idle. */
    private static final class Workers {
        final ForkJoinPool pool;
        final int threads;
        int users;
        boolean retired;

        Workers(int threads) {
            this.threads = threads;
            this.pool = new ForkJoinPool(threads, PoolRunner::newWorker, null, false);
        }
    }

    private synchronized Workers acquire(int threads) {
        if (workers == null || workers.threads != threads) {
            retire();
            workers = new Workers(threads);
        }
        workers.users++;
        return workers;
    }

    private synchronized void release(Workers w) {
        w.users--;
        if (w.retired && w.users == 0) {
            w.pool.shutdown();
        }
    }

    private void retire() {
        if (workers != null) {
            workers.retired = true;
            if (workers.users == 0) {
                workers.pool.shutdown();
            }
            workers = null;
        }
    }

    private static final String THREAD_PREFIX = "panamax-java-";

    private static ForkJoinWorkerThread newWorker(ForkJoinPool p) {
        ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
        t.setName(THREAD_PREFIX + t.getPoolIndex());
        t.setDaemon(true);
        return t;
    }

    /** Shuts the worker threads down (once running ops finish); the next loop starts new ones. */
    synchronized void close() {
        retire();
    }
}
