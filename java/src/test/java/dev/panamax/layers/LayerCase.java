package dev.panamax.layers;

import dev.panamax.tensor.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/** One layer configuration for {@link LayerTester}: how to make it, what it takes, what to expect. */
final class LayerCase {
    final String label;
    final Supplier<Layer> factory;
    final List<Shape> inputShapes;
    Shape output;
    List<Shape> weights = List.of();
    int trainable = -1;
    int batch = 2;
    int indexRange;

    private LayerCase(String label, Supplier<Layer> factory, List<Shape> inputShapes) {
        this.label = label;
        this.factory = factory;
        this.inputShapes = inputShapes;
    }

    /** A case for {@code factory}'s layer on examples of these shapes (one per input). */
    static LayerCase of(String label, Supplier<Layer> factory, long[]... inputShapes) {
        return new LayerCase(label, factory, Arrays.stream(inputShapes).map(Shape::of).toList());
    }

    static long[] shape(long... dims) {
        return dims;
    }

    /** The expected per-example output shape. */
    LayerCase output(long... dims) {
        this.output = Shape.of(dims);
        return this;
    }

    /** The expected shapes of every weight, in creation order. */
    LayerCase weights(long[]... shapes) {
        this.weights = Arrays.stream(shapes).map(Shape::of).toList();
        return this;
    }

    /** How many of the weights are trainable (default: all). */
    LayerCase trainable(int count) {
        this.trainable = count;
        return this;
    }

    /** The batch size of the inputs (default 2). */
    LayerCase batch(int size) {
        this.batch = size;
        return this;
    }

    /** Inputs are integer indices in {@code [0, range)}, stored as float32; they take no gradient. */
    LayerCase integerInputs(int range) {
        this.indexRange = range;
        return this;
    }

    int expectedTrainable() {
        return trainable < 0 ? weights.size() : trainable;
    }

    boolean differentiableInputs() {
        return indexRange == 0;
    }

    @Override
    public String toString() {
        return label;
    }
}
