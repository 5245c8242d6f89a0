package dev.panamax.models;

import dev.panamax.layers.Layer;
import dev.panamax.tensor.Shape;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One call of a layer in a functional graph (Keras' {@code Node}): the layer, the symbolic tensors it
 * was applied to, and the tensor it produced. {@link Layer#apply} makes nodes; an
 * {@link dev.panamax.layers.Input}'s node has no inputs.
 */
public final class Node {
    /** Creation order over all nodes; a node is always made after its inputs, so this is a topological order. */
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final Layer layer;
    private final int index;
    private final List<SymbolicTensor> inputs;
    private final SymbolicTensor output;
    private final long sequence;

    /**
     * @param index the position of this call among the layer's calls
     * @param outputShape the per-example shape the layer computes for these inputs
     */
    public Node(Layer layer, int index, List<SymbolicTensor> inputs, Shape outputShape) {
        this.layer = Objects.requireNonNull(layer, "layer");
        if (index < 0) throw new IllegalArgumentException("Node: index must be >= 0. Received: index=" + index);
        this.index = index;
        this.inputs = List.copyOf(inputs);
        this.output = new SymbolicTensor(Objects.requireNonNull(outputShape, "outputShape"), this);
        this.sequence = SEQUENCE.getAndIncrement();
    }

    public Layer layer() {
        return layer;
    }

    /** The position of this call among its layer's calls (Keras' node index). */
    public int index() {
        return index;
    }

    public List<SymbolicTensor> inputs() {
        return inputs;
    }

    public List<Shape> inputShapes() {
        return inputs.stream().map(SymbolicTensor::shape).toList();
    }

    public SymbolicTensor output() {
        return output;
    }

    /** Orders nodes as they were made, which puts every node after the nodes it reads. */
    long sequence() {
        return sequence;
    }

    @Override
    public String toString() {
        return layer.name() + "[" + index + "]";
    }
}
