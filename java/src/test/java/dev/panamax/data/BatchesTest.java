package dev.panamax.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.tensor.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BatchesTest {

    private static List<Batch> collect(BatchIterator it) {
        List<Batch> out = new ArrayList<>();
        try (it) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    private static long prefetchThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("panamax-prefetch-"))
                .count();
    }

    private static void awaitNoPrefetchThreads(String when) throws InterruptedException {
        for (int i = 0; i < 100 && prefetchThreads() > 0; i++) {
            Thread.sleep(20);
        }
        assertEquals(0, prefetchThreads(), "prefetch threads still alive " + when);
    }

    @Test
    void batchCountsWithAndWithoutDropRemainder() {
        Dataset d = DatasetTest.indexed(10);
        assertEquals(4, d.batch(3).batchesPerEpoch());
        assertEquals(3, d.batch(3, true).batchesPerEpoch());
        assertEquals(2, d.batch(5, true).batchesPerEpoch());
        assertEquals(2, d.batch(5).batchesPerEpoch());
        assertEquals(1, d.batch(64).batchesPerEpoch());
        assertEquals(0, d.batch(64, true).batchesPerEpoch());
        assertEquals(0, d.take(0).batch(4).batchesPerEpoch());

        List<Batch> keep = collect(d.batch(3).epoch(0));
        assertEquals(List.of(3, 3, 3, 1), keep.stream().map(Batch::size).toList());
        List<Batch> drop = collect(d.batch(3, true).epoch(0));
        assertEquals(List.of(3, 3, 3), drop.stream().map(Batch::size).toList());
        assertTrue(collect(d.batch(64, true).epoch(0)).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> d.batch(0));
    }

    @Test
    void batchesStackExamplesAlongANewLeadingAxis() {
        Dataset d = DatasetTest.indexed(5);
        Batch b = d.batch(2).get(0, 1);
        assertEquals(Shape.of(2, 3, 1), b.x().shape());
        assertEquals(Shape.of(2), b.y().shape(), "sparse labels stay a 1-D array of class indices");
        assertArrayEquals(new float[] {2, 20, 200, 3, 30, 300}, b.x().data());
        assertArrayEquals(new float[] {2, 3}, b.y().data());
        Batch last = d.batch(2).get(0, 2);
        assertEquals(Shape.of(1, 3, 1), last.x().shape());

        Batch oneHot = d.map(OneHot.of(5)).batch(4).get(0, 0);
        assertEquals(Shape.of(4, 5), oneHot.y().shape());
        assertThrows(IndexOutOfBoundsException.class, () -> d.batch(2).get(0, 3));
    }

    @Test
    void examplesOfDifferentShapesCannotShareABatch() {
        Dataset ragged = DatasetTest.indexed(4).map(e -> e.y()[0] == 2 ? e.withX(new float[2], Shape.of(2)) : e);
        var e = assertThrows(IllegalArgumentException.class, () -> ragged.batch(4).get(0, 0));
        assertTrue(e.getMessage().contains("example 2") && e.getMessage().contains("[2]")
                && e.getMessage().contains("[3, 1]"), e.getMessage());
    }

    @Test
    void iteratorEndsWithNoSuchElementAndStopsWhenClosed() {
        BatchIterator it = DatasetTest.indexed(4).batch(2).epoch(0);
        it.next();
        it.close();
        assertFalse(it.hasNext());
        assertThrows(NoSuchElementException.class, it::next);
        assertThrows(IllegalArgumentException.class, () -> DatasetTest.indexed(4).batch(2).epoch(-1));
    }

    @Test
    void prefetchGivesTheSameBatchesInTheSameOrder() throws InterruptedException {
        Dataset pipeline = DatasetTest.indexed(103)
                .shuffle(11)
                .mapRandom(5, (e, random) -> e.withX(new float[] {e.x()[0], random.nextFloat(), random.nextFloat()}))
                .map(Rescaling.of(0.5f, 1f));
        Batches plain = pipeline.batch(8);
        for (int epoch = 0; epoch < 3; epoch++) {
            List<Batch> expected = collect(plain.epoch(epoch));
            assertEquals(13, expected.size());
            assertEquals(expected, collect(plain.prefetch(4, 3).epoch(epoch)), "epoch " + epoch + ", 3 workers");
            assertEquals(expected, collect(plain.prefetch(1, 1).epoch(epoch)), "epoch " + epoch + ", 1 worker");
            assertEquals(expected, collect(plain.prefetch(32).epoch(epoch)), "epoch " + epoch + ", buffer > batches");
        }
        assertThrows(IllegalArgumentException.class, () -> plain.prefetch(0));
        assertThrows(IllegalArgumentException.class, () -> plain.prefetch(2, 0));
        awaitNoPrefetchThreads("after whole epochs");
    }

    @Test
    void prefetchRunsAheadOfTheConsumerOnWorkerThreads() throws InterruptedException {
        AtomicInteger assembled = new AtomicInteger();
        List<String> threads = Collections.synchronizedList(new ArrayList<>());
        Dataset counting = DatasetTest.indexed(40).map(e -> {
            assembled.incrementAndGet();
            threads.add(Thread.currentThread().getName());
            return e;
        });
        try (BatchIterator it = counting.batch(4).prefetch(3, 2).epoch(0)) {
            for (int i = 0; i < 500 && assembled.get() < 12; i++) {
                Thread.sleep(10);
            }
            assertEquals(12, assembled.get(), "three batches of four are prepared before the first is asked for");
            Thread.sleep(50);
            assertEquals(12, assembled.get(), "and no more: the buffer is bounded");
            it.next();
        }
        assertTrue(threads.stream().allMatch(n -> n.startsWith("panamax-prefetch-")), threads.toString());
        awaitNoPrefetchThreads("after close");
    }

    @Test
    void prefetchPropagatesAnExceptionFromMapWithItsCause() throws InterruptedException {
        IllegalStateException boom = new IllegalStateException("bad example 13");
        Dataset failing = DatasetTest.indexed(40).map(e -> {
            if (e.y()[0] == 13) {
                throw boom;
            }
            return e;
        });
        BatchIterator it = failing.batch(4).prefetch(4, 2).epoch(0);
        for (int i = 0; i < 3; i++) {
            assertEquals(4, it.next().size(), "batches before the failing one arrive");
        }
        var e = assertThrows(DataPipelineException.class, it::next);
        assertSame(boom, e.getCause());
        assertTrue(e.getMessage().contains("batch 3 of epoch 0"), e.getMessage());
        assertFalse(it.hasNext(), "a failed epoch is over");
        awaitNoPrefetchThreads("after a failure");

        // Without prefetch the same exception reaches the caller directly.
        assertSame(boom, assertThrows(IllegalStateException.class, () -> collect(failing.batch(4).epoch(0))));
    }

    @Test
    void anAbandonedPrefetchingIteratorReleasesItsWorkers() throws InterruptedException {
        Batches batches = DatasetTest.indexed(400).batch(4).prefetch(4, 2);
        abandonAfterOneBatch(batches);
        // Under the workers' 5 s idle timeout, so only the cleaner can have stopped them.
        for (int i = 0; i < 80 && prefetchThreads() > 0; i++) {
            System.gc();
            Thread.sleep(40);
        }
        assertEquals(0, prefetchThreads(), "workers of an unreachable iterator are stopped");
    }

    private static void abandonAfterOneBatch(Batches batches) {
        BatchIterator it = batches.epoch(0);
        assertEquals(4, it.next().size());
        assertTrue(prefetchThreads() > 0);
    }
}
