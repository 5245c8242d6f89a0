package dev.panamax.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.tensor.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class DatasetTest {

    /** n examples; x of example i is [i, 10 i, 100 i] as a [3, 1] array, y is the scalar i. */
    static Dataset indexed(int n) {
        float[] x = new float[n * 3];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            x[3 * i] = i;
            x[3 * i + 1] = 10 * i;
            x[3 * i + 2] = 100 * i;
            y[i] = i;
        }
        return Dataset.fromArrays(FloatArray.of(x, n, 3, 1), FloatArray.of(y, n));
    }

    static int[] labels(Dataset d, int epoch) {
        int[] out = new int[d.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) d.get(epoch, i).y()[0];
        }
        return out;
    }

    static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }

    @Test
    void fromArraysMakesOneExamplePerRow() {
        Dataset d = indexed(4);
        assertEquals(4, d.size());
        Example e = d.get(0, 2);
        assertArrayEquals(new float[] {2, 20, 200}, e.x());
        assertEquals(Shape.of(3, 1), e.xShape());
        assertArrayEquals(new float[] {2}, e.y());
        assertEquals(0, e.yShape().rank(), "a 1-D y gives scalar targets");
    }

    @Test
    void fromArraysRejectsDifferentRowCountsNamingBothShapes() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.fromArrays(FloatArray.of(new float[6], 3, 2), FloatArray.of(new float[2], 2)));
        assertTrue(e.getMessage().contains("[3, 2]") && e.getMessage().contains("[2]"), e.getMessage());
    }

    @Test
    void examplesAreCopiesSoTransformsCannotCorruptTheSource() {
        float[] x = {1, 2, 3, 4};
        Dataset d = Dataset.fromArrays(FloatArray.of(x, 2, 2), FloatArray.of(new float[] {0, 1}, 2));
        d.get(0, 1).x()[0] = 99;
        assertArrayEquals(new float[] {1, 2, 3, 4}, x);
        assertArrayEquals(new float[] {3, 4}, d.get(0, 1).x());
    }

    @Test
    void getChecksItsArguments() {
        Dataset d = indexed(3);
        assertThrows(IndexOutOfBoundsException.class, () -> d.get(0, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> d.shuffle(1).get(0, -1));
        assertThrows(IllegalArgumentException.class, () -> d.get(-1, 0));
    }

    @Test
    void mapTransformsEveryExample() {
        Dataset doubled = indexed(5).map(e -> e.withX(Arrays.copyOf(e.x(), 1), Shape.of(1)));
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(new float[] {i}, doubled.get(3, i).x());
            assertEquals(Shape.of(1), doubled.get(3, i).xShape());
        }
        assertThrows(NullPointerException.class, () -> indexed(2).map(e -> null).get(0, 0));
    }

    @Test
    void shuffleIsAPermutationThatIsDeterministicPerSeedAndChangesEveryEpoch() {
        Dataset d = indexed(200);
        Dataset shuffled = d.shuffle(42);
        List<int[]> epochs = new ArrayList<>();
        for (int epoch = 0; epoch < 5; epoch++) {
            int[] order = labels(shuffled, epoch);
            int[] sorted = order.clone();
            Arrays.sort(sorted);
            assertArrayEquals(range(0, 200), sorted, "epoch " + epoch + " is a permutation");
            assertFalse(Arrays.equals(range(0, 200), order), "epoch " + epoch + " is shuffled");
            for (int[] earlier : epochs) {
                assertFalse(Arrays.equals(earlier, order), "each epoch has its own order");
            }
            epochs.add(order);
        }
        // Same seed, new dataset object, epochs asked for out of order: same permutations.
        Dataset again = d.shuffle(42);
        for (int epoch = 4; epoch >= 0; epoch--) {
            assertArrayEquals(epochs.get(epoch), labels(again, epoch), "epoch " + epoch);
        }
        assertFalse(Arrays.equals(epochs.get(0), labels(d.shuffle(43), 0)), "another seed, another order");
        // The whole example moves, not just its label.
        Example e = shuffled.get(2, 7);
        int source = (int) e.y()[0];
        assertArrayEquals(new float[] {source, 10 * source, 100 * source}, e.x());
    }

    @Test
    void mapRandomGivesEachExampleAStreamOfItsOwnWhateverTheOrderOrThread() throws Exception {
        RandomTransform addNoise = (e, random) -> e.withX(new float[] {e.x()[0], (float) random.nextDouble(), 0});
        Dataset augmented = indexed(64).mapRandom(7, addNoise);
        float[][] forward = new float[64][];
        for (int i = 0; i < 64; i++) {
            forward[i] = augmented.get(1, i).x();
        }
        Dataset fresh = indexed(64).mapRandom(7, addNoise);
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<float[]>> backward = new ArrayList<>();
            for (int i = 63; i >= 0; i--) {
                int index = i;
                backward.add(pool.submit(() -> fresh.get(1, index).x()));
            }
            for (int i = 0; i < 64; i++) {
                assertArrayEquals(forward[i], backward.get(63 - i).get(), "example " + i);
            }
        }
        assertNotEquals(forward[0][1], forward[1][1], "examples get different streams");
        assertNotEquals(forward[0][1], augmented.get(2, 0).x()[1], "epochs get different streams");
        assertNotEquals(forward[0][1], indexed(64).mapRandom(8, addNoise).get(1, 0).x()[1], "seeds matter");
    }

    @Test
    void repeatConcatenatesRepetitionsEachFromItsOwnInnerEpoch() {
        Dataset d = indexed(10);
        Dataset plain = d.repeat(3);
        assertEquals(30, plain.size());
        int[] expected = new int[30];
        for (int i = 0; i < 30; i++) {
            expected[i] = i % 10;
        }
        assertArrayEquals(expected, labels(plain, 0));

        Dataset shuffled = d.shuffle(5);
        int[] repeated = labels(shuffled.repeat(3), 1);
        for (int k = 0; k < 3; k++) {
            assertArrayEquals(labels(shuffled, 3 + k), Arrays.copyOfRange(repeated, 10 * k, 10 * k + 10),
                    "repetition " + k + " of epoch 1 is inner epoch " + (3 + k));
        }
        assertThrows(IllegalArgumentException.class, () -> d.repeat(0));
        assertThrows(IllegalArgumentException.class, () -> d.repeat(Integer.MAX_VALUE));
    }

    @Test
    void takeAndSkipSliceAndClamp() {
        Dataset d = indexed(10);
        assertArrayEquals(range(0, 4), labels(d.take(4), 0));
        assertArrayEquals(range(4, 10), labels(d.skip(4), 0));
        assertEquals(10, d.take(50).size());
        assertEquals(0, d.skip(50).size());
        assertEquals(0, d.take(0).size());
        assertArrayEquals(range(5, 7), labels(d.skip(3).skip(2).take(2), 0));
        assertThrows(IllegalArgumentException.class, () -> d.take(-1));
        assertThrows(IllegalArgumentException.class, () -> d.skip(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> d.take(4).get(0, 4));
    }

    @Test
    void splitHoldsOutTheLastFractionInOrderLikeKeras() {
        Dataset d = indexed(10);
        DatasetSplit split = d.split(0.2);
        assertArrayEquals(range(0, 8), labels(split.training(), 0));
        assertArrayEquals(range(8, 10), labels(split.validation(), 0));

        // Keras: split_at = floor(n * (1 - fraction)); 10 * 0.75 = 7.5 -> 7 training examples.
        DatasetSplit quarter = d.split(0.25);
        assertEquals(7, quarter.training().size());
        assertEquals(3, quarter.validation().size());
        assertArrayEquals(range(7, 10), labels(quarter.validation(), 0));

        DatasetSplit big = indexed(1000).split(0.1);
        assertEquals(900, big.training().size());
        assertEquals(100, big.validation().size());

        assertThrows(IllegalArgumentException.class, () -> d.split(0));
        assertThrows(IllegalArgumentException.class, () -> d.split(1));
        assertThrows(IllegalArgumentException.class, () -> d.split(Double.NaN));
        // floor(10 * 0.05) = 0 training examples.
        var e = assertThrows(IllegalArgumentException.class, () -> d.split(0.95));
        assertTrue(e.getMessage().contains("no training"), e.getMessage());
        assertEquals(1, d.split(0.01).validation().size(), "floor leaves at least one example to validate on");
    }

    @Test
    void iteratingWalksEpochZeroAndCanBeRepeated() {
        Dataset d = indexed(6).shuffle(3);
        List<Float> first = new ArrayList<>();
        for (Example e : d) {
            first.add(e.y()[0]);
        }
        List<Float> second = new ArrayList<>();
        d.forEach(e -> second.add(e.y()[0]));
        assertEquals(first, second);
        assertEquals(6, first.size());
        int[] epoch0 = labels(d, 0);
        for (int i = 0; i < 6; i++) {
            assertEquals(epoch0[i], first.get(i).intValue());
        }
        int count = 0;
        for (Example ignored : d.examples(1)) {
            count++;
        }
        assertEquals(6, count);
    }
}
