package dev.panamax.bench.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/**
 * A seeded batch as in Panamax's SyntheticBatch: pixels uniform in [0, 1) and labels of random
 * classes, here as class indices (what PyTorch's cross-entropy takes).
 */
record DjlBatch(NDArray x, NDArray y) {

    static DjlBatch of(NDManager manager, DjlWorkload workload, int rows, long seed) {
        long[] example = workload.exampleShape();
        long[] dims = new long[example.length + 1];
        dims[0] = rows;
        System.arraycopy(example, 0, dims, 1, example.length);
        long size = rows;
        for (long d : example) size *= d;
        SplittableRandom random = new SplittableRandom(seed);
        float[] pixels = new float[Math.toIntExact(size)];
        for (int i = 0; i < pixels.length; i++) pixels[i] = (float) random.nextDouble();
        long[] labels = new long[rows];
        for (int r = 0; r < rows; r++) labels[r] = random.nextInt(DjlWorkload.CLASSES);
        return new DjlBatch(manager.create(pixels, new Shape(dims)), manager.create(labels));
    }
}
