package dev.panamax.layers;

import dev.panamax.autograd.Var;
import dev.panamax.models.SymbolicTensor;
import dev.panamax.tensor.Shape;
import java.util.List;
import java.util.Map;

/**
 * Keras' {@code Input}: declares the per-example shape a model takes, e.g. {@code Input.shape(28, 28, 1)}.
 * First in a {@code Sequential}; in a functional model, the start of the graph. It has no weights
 * and passes its input through.
 */
public final class Input extends Layer {
    private final Shape shape;
    private SymbolicTensor output;

    public Input(Shape shape, String name) {
        super(name);
        if (shape == null) throw new IllegalArgumentException("Input: `shape` must be given. Received: shape=null");
        this.shape = shape;
    }

    public static Input shape(long... dims) {
        return new Input(Shape.of(dims), null);
    }

    /** The symbolic tensor starting a functional graph, as Keras' {@code keras.Input(shape)} returns it. */
    public static SymbolicTensor tensor(long... dims) {
        return shape(dims).output();
    }

    /** This input's symbolic tensor, the start of a functional graph (always the same tensor). */
    public synchronized SymbolicTensor output() {
        if (output == null) output = addInboundNode(List.of(), shape);
        return output;
    }

    /** An Input is where a graph starts: it takes no tensors, and gives its own {@link #output()}. */
    @Override
    public SymbolicTensor apply(SymbolicTensor... inputs) {
        if (inputs.length > 0) {
            throw new IllegalArgumentException("Input '" + name() + "' starts a graph and cannot be applied to"
                    + " tensors; use its output() (or Input.tensor(shape)) as a model input");
        }
        return output();
    }

    /** The per-example shape (without the batch axis). */
    public Shape shape() {
        return shape;
    }

    @Override
    public String typeName() {
        return "InputLayer";
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        if (!inputShape.equals(shape)) {
            throw shapeError("expects inputs " + LayerShapes.withBatch(shape), inputShape);
        }
        return shape;
    }

    @Override
    public Var call(Var input, boolean training) {
        return input;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("batch_shape", java.util.stream.Stream.concat(java.util.stream.Stream.of((Object) null),
                java.util.Arrays.stream(shape.dims()).boxed()).toList());
        return c;
    }

    public static Input fromConfig(Map<String, Object> c) {
        Object bs = c.get("batch_shape");
        if (!(bs instanceof List<?> list) || list.isEmpty()) {
            throw new IllegalArgumentException("InputLayer config: 'batch_shape' must be a list. Received: " + bs);
        }
        long[] dims = new long[list.size() - 1];
        for (int i = 1; i < list.size(); i++) {
            if (!(list.get(i) instanceof Number n)) {
                throw new IllegalArgumentException("InputLayer config: 'batch_shape' must hold sizes. Received: " + bs);
            }
            dims[i - 1] = n.longValue();
        }
        return new Input(Shape.of(dims), LayerConfigs.string(c, "name", null));
    }
}
