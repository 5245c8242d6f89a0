package dev.panamax.data;

import dev.panamax.ComputeThreads;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Panamax's built-in digit data set, generated offline so examples and tests need no
 * download: handwriting-like digits in MNIST's format (28x28 grey, white ink on black, ink
 * fitted into a 20x20 box near the centre, 10 classes).
 *
 * <p>Each digit is drawn from hand-designed pen skeletons (several styles per digit) with
 * random control-point jitter, smooth elastic distortion, rotation, slant, aspect, scale,
 * translation, pen width and pressure, blur and noise: varied enough that a classifier has
 * to learn shapes, not templates.
 *
 * <p>Output is a pure function of {@code (count, seed)}: example {@code i} draws from its own
 * generator derived from {@code (seed, i)}, so results do not depend on the thread count
 * ({@link ComputeThreads}).
 */
public final class SyntheticDigits {
    public static final int CLASSES = 10;
    public static final int HEIGHT = DigitRenderer.SIZE;
    public static final int WIDTH = DigitRenderer.SIZE;
    /** Largest count whose images fit one Java array. */
    public static final int MAX_COUNT = Integer.MAX_VALUE / (HEIGHT * WIDTH);

    /** Examples handed to a worker at a time: large enough to amortise scheduling, small enough to balance. */
    private static final int CHUNK = 256;
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private static final long LABEL_SALT = 0x6C8E9CF570932BD5L;
    private static final long TRAIN_SALT = 0x2545F4914F6CDD1DL;
    private static final long TEST_SALT = 0x5851F42D4C957F2DL;

    private SyntheticDigits() {
    }

    /**
     * {@code count} digits for {@code seed}: images {@code [count, 28, 28, 1]} in [0, 1] (x) and class
     * indices {@code [count]} (y); classes are balanced (counts differ by at most one)
     * and shuffled. Uses {@link ComputeThreads#get()} threads. Example {@code i} draws from the
     * stream {@code (seed, i)}, so splits meant to share no example need different seeds, as
     * {@link #trainTest} gives them.
     */
    public static LabeledArrays generate(int count, long seed) {
        return generate(count, seed, ComputeThreads.get());
    }

    /** A training and a test split from independent streams of the same generator. */
    public static TrainTestSplit trainTest(int trainCount, int testCount, long seed) {
        checkCount("SyntheticDigits.trainTest", "trainCount", trainCount);
        checkCount("SyntheticDigits.trainTest", "testCount", testCount);
        return new TrainTestSplit(generate(trainCount, mix64(seed ^ TRAIN_SALT)),
                generate(testCount, mix64(seed ^ TEST_SALT)));
    }

    /** As {@link #generate(int, long)} on {@code threads} threads; the result is the same for any count. */
    static LabeledArrays generate(int count, long seed, int threads) {
        checkCount("SyntheticDigits.generate", "count", count);
        if (threads < 1) {
            throw new IllegalArgumentException("SyntheticDigits.generate: threads must be positive, got " + threads);
        }
        // Rendering draws into off-screen images only; never let it try to reach a display.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        int[] labels = balancedLabels(count, seed);
        float[] images = new float[count * HEIGHT * WIDTH];
        AtomicInteger nextChunk = new AtomicInteger();
        Runnable worker = () -> {
            try (DigitRenderer renderer = new DigitRenderer()) {
                for (int start; (start = nextChunk.getAndIncrement() * CHUNK) < count; ) {
                    int end = Math.min(start + CHUNK, count);
                    for (int i = start; i < end; i++) {
                        SplittableRandom rng = new SplittableRandom(mix64(seed + (i + 1) * GOLDEN_GAMMA));
                        renderer.render(labels[i], rng, images, i * HEIGHT * WIDTH);
                    }
                }
            }
        };
        int workers = Math.min(threads, (count + CHUNK - 1) / CHUNK);
        if (workers == 1) {
            worker.run();
        } else {
            runOnThreads(worker, workers);
        }
        float[] labelValues = new float[count];
        for (int i = 0; i < count; i++) labelValues[i] = labels[i];
        return new LabeledArrays(FloatArray.of(images, count, HEIGHT, WIDTH, 1), FloatArray.of(labelValues, count));
    }

    /** Class {@code i % 10} for example {@code i}, then a Fisher-Yates shuffle seeded from {@code seed}. */
    private static int[] balancedLabels(int count, long seed) {
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) labels[i] = i % CLASSES;
        SplittableRandom rng = new SplittableRandom(mix64(seed ^ LABEL_SALT));
        for (int i = count - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = labels[i];
            labels[i] = labels[j];
            labels[j] = t;
        }
        return labels;
    }

    private static void runOnThreads(Runnable worker, int workers) {
        try (ExecutorService pool = Executors.newFixedThreadPool(workers,
                Thread.ofPlatform().name("panamax-digits-", 0).daemon(true).factory())) {
            List<Future<?>> futures = new ArrayList<>(workers);
            for (int w = 0; w < workers; w++) futures.add(pool.submit(worker));
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException r) throw r;
                    if (e.getCause() instanceof Error err) throw err;
                    throw new IllegalStateException("SyntheticDigits.generate: rendering failed", e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    pool.shutdownNow();
                    throw new IllegalStateException("SyntheticDigits.generate: interrupted", e);
                }
            }
        }
    }

    private static void checkCount(String operation, String name, int count) {
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException(operation + ": " + name + " must be 1 to " + MAX_COUNT + ", got " + count);
        }
    }

    /** A 64-bit finaliser (Stafford's variant 13, as SplitMix64 uses) turning nearby seeds into unrelated ones. */
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
