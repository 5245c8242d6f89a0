package dev.panamax.bench.models;

import dev.panamax.data.FloatArray;
import java.util.SplittableRandom;

/**
 * A seeded batch of a workload: pixels uniform in [0, 1) and one-hot labels of random classes.
 * Speed does not depend on the values, and a network can still fit (memorize) such a batch, which
 * is what the benchmarks check before they time.
 *
 * @param x inputs, {@code [rows, ...example shape]}
 * @param y one-hot targets, {@code [rows, 10]}
 */
public record SyntheticBatch(FloatArray x, FloatArray y) {

    public static SyntheticBatch of(Workload workload, int rows, long seed) {
        if (rows < 1) throw new IllegalArgumentException("SyntheticBatch: rows must be >= 1, got " + rows);
        long[] example = workload.exampleShape();
        long[] dims = new long[example.length + 1];
        dims[0] = rows;
        System.arraycopy(example, 0, dims, 1, example.length);
        long size = rows;
        for (long d : example) size *= d;
        SplittableRandom random = new SplittableRandom(seed);
        float[] pixels = new float[Math.toIntExact(size)];
        for (int i = 0; i < pixels.length; i++) pixels[i] = (float) random.nextDouble();
        float[] oneHot = new float[rows * Workload.CLASSES];
        for (int r = 0; r < rows; r++) oneHot[r * Workload.CLASSES + random.nextInt(Workload.CLASSES)] = 1f;
        return new SyntheticBatch(FloatArray.of(pixels, dims), FloatArray.of(oneHot, rows, Workload.CLASSES));
    }
}
