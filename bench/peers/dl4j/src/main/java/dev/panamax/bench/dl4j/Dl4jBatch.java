package dev.panamax.bench.dl4j;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A seeded batch as in Panamax's SyntheticBatch: pixels uniform in [0, 1), one-hot labels of random classes. */
record Dl4jBatch(INDArray x, INDArray y) {

    static Dl4jBatch of(Dl4jWorkload workload, int rows, long seed) {
        long[] example = workload.exampleShape();
        long[] dims = new long[example.length + 1];
        dims[0] = rows;
        System.arraycopy(example, 0, dims, 1, example.length);
        long size = rows;
        for (long d : example) size *= d;
        SplittableRandom random = new SplittableRandom(seed);
        float[] pixels = new float[Math.toIntExact(size)];
        for (int i = 0; i < pixels.length; i++) pixels[i] = (float) random.nextDouble();
        float[] oneHot = new float[rows * Dl4jWorkload.CLASSES];
        for (int r = 0; r < rows; r++) oneHot[r * Dl4jWorkload.CLASSES + random.nextInt(Dl4jWorkload.CLASSES)] = 1f;
        return new Dl4jBatch(Nd4j.create(pixels, dims, 'c'), Nd4j.create(oneHot, new long[] {rows, Dl4jWorkload.CLASSES}, 'c'));
    }
}
