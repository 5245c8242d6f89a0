package dev.panamax.models;

import dev.panamax.autograd.Var;
import dev.panamax.layers.BuildContext;
import dev.panamax.layers.Input;
import dev.panamax.layers.Layer;
import dev.panamax.layers.LayerShapes;
import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Keras' {@code Sequential}: a stack of single-input layers, each fed the previous one's output.
 * Shapes are inferred from an {@link Input} given first, from {@link #build}, or from the first
 * data it sees; a layer that cannot take its input's shape fails then, naming both.
 */
public class Sequential extends Model {
    private static final java.util.concurrent.atomic.AtomicInteger COUNT = new java.util.concurrent.atomic.AtomicInteger();

    private final List<Layer> layers = new ArrayList<>();
    private Input input;
    private final List<Shape> outputShapes = new ArrayList<>();

    public Sequential(Layer... layers) {
        this(null, layers);
    }

    public Sequential(String name, Layer... layers) {
        super(name != null ? name : nextName());
        for (Layer l : layers) add(l);
    }

    private static String nextName() {
        int n = COUNT.getAndIncrement();
        return n == 0 ? "sequential" : "sequential_" + n;
    }

    /** Appends a layer; an {@link Input} may only come first. */
    public Sequential add(Layer layer) {
        if (built()) throw new IllegalStateException("Sequential '" + name() + "': cannot add layers once built");
        if (layer instanceof Input in) {
            if (input != null || !layers.isEmpty()) {
                throw new IllegalArgumentException("Sequential '" + name() + "': an Input may only be the first layer");
            }
            input = in;
            return this;
        }
        if (layers.stream().anyMatch(l -> l == layer)) {
            throw new IllegalArgumentException("Sequential '" + name() + "': layer '" + layer.name()
                    + "' is already in the model");
        }
        layers.add(layer);
        return this;
    }

    /** The Input given first, or null. */
    public Input input() {
        return input;
    }

    @Override
    public List<Layer> layers() {
        return Collections.unmodifiableList(layers);
    }

    @Override
    public void build(Shape... inputShapes) {
        if (!built() && input == null && inputShapes.length == 1) {
            input = new Input(inputShapes[0], null);
        }
        super.build(inputShapes);
    }

    /** Builds from the Input given first. */
    public void build() {
        if (input == null) {
            throw new IllegalStateException("Sequential '" + name() + "' has no Input: use build(shape)");
        }
        build(input.shape());
    }

    @Override
    protected void buildIfInputsDeclared() {
        if (!built() && input != null) build(input.shape());
    }

    @Override
    public List<Shape> inputShapes() {
        if (input == null) throw new IllegalStateException("Sequential '" + name() + "' is not built yet");
        return List.of(input.shape());
    }

    @Override
    public Shape outputShape() {
        if (!built()) throw new IllegalStateException("Sequential '" + name() + "' is not built yet");
        return outputShapes.isEmpty() ? input.shape() : outputShapes.get(outputShapes.size() - 1);
    }

    @Override
    protected void buildGraph(List<Shape> inputShapes, MemoryScope scope, long seed) {
        if (inputShapes.size() != 1) {
            throw new IllegalArgumentException("Sequential '" + name() + "' takes one input; got " + inputShapes.size());
        }
        if (input == null) input = new Input(inputShapes.get(0), null);
        input.computeOutputShape(inputShapes.get(0));
        Shape shape = inputShapes.get(0);
        outputShapes.clear();
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            Shape out = layer.computeOutputShape(shape);
            layer.build(BuildContext.of(scope, seed * 1_000_003L + i), List.of(shape));
            outputShapes.add(out);
            shape = out;
        }
    }

    @Override
    protected Var forward(List<Var> inputs, boolean training) {
        Var x = inputs.get(0);
        for (Layer layer : layers) x = layer.call(x, training);
        return x;
    }

    @Override
    protected List<ModelSummary.Row> summaryRows() {
        List<ModelSummary.Row> rows = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            rows.add(new ModelSummary.Row(l.name() + " (" + l.typeName() + ")",
                    LayerShapes.withBatch(outputShapes.get(i)), l.countParams(), null));
        }
        return rows;
    }
}
