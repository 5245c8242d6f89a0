package dev.panamax.data;

import dev.panamax.tensor.Shape;
import java.util.Arrays;

/** Examples that are the rows of two arrays (see {@link Dataset#fromArrays}). */
final class ArrayDataset implements Dataset {
    private final FloatArray x;
    private final FloatArray y;
    private final Shape xRowShape;
    private final Shape yRowShape;
    private final int xRowSize;
    private final int yRowSize;

    ArrayDataset(FloatArray x, FloatArray y) {
        this.x = x;
        this.y = y;
        this.xRowShape = x.rowShape();
        this.yRowShape = y.rowShape();
        this.xRowSize = x.rowSize();
        this.yRowSize = y.rowSize();
    }

    @Override
    public int size() {
        return x.rows();
    }

    @Override
    public Example get(int epoch, int index) {
        DatasetIndex.check(epoch, index, size());
        // Copies, so a transform that writes into its input cannot corrupt the source arrays.
        float[] xs = Arrays.copyOfRange(x.data(), index * xRowSize, (index + 1) * xRowSize);
        float[] ys = Arrays.copyOfRange(y.data(), index * yRowSize, (index + 1) * yRowSize);
        return new Example(xs, xRowShape, ys, yRowShape);
    }
}
