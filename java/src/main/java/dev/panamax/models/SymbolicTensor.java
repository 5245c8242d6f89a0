package dev.panamax.models;

import dev.panamax.layers.Layer;
import dev.panamax.layers.LayerShapes;
import dev.panamax.tensor.Shape;
import java.util.List;

/**
 * A placeholder for a value in a functional graph (Keras' {@code KerasTensor}): its per-example shape
 * and the layer call that produces it. Start a graph with {@code Input.tensor(28, 28, 1)}, apply
 * layers with {@code layer.apply(x)}, then make a model with {@code Model.of(inputs, outputs)}.
 * Holds no data.
 */
public final class SymbolicTensor {
    private final Shape shape;
    private final Node node;

    SymbolicTensor(Shape shape, Node node) {
        this.shape = shape;
        this.node = node;
    }

    /** The per-example shape (without the batch axis). */
    public Shape shape() {
        return shape;
    }

    /** The layer call that produces this tensor. */
    public Node node() {
        return node;
    }

    /** The layer that produces this tensor. */
    public Layer layer() {
        return node.layer();
    }

    /** The tensors the producing layer was applied to (none for an Input's tensor). */
    public List<SymbolicTensor> inputs() {
        return node.inputs();
    }

    @Override
    public String toString() {
        return "SymbolicTensor(shape=" + LayerShapes.withBatch(shape) + ", from " + node + ")";
    }
}
