package dev.panamax.models;

import dev.panamax.autograd.Var;
import dev.panamax.layers.BatchNormalization;
import dev.panamax.layers.BuildContext;
import dev.panamax.layers.Input;
import dev.panamax.layers.Layer;
import dev.panamax.layers.LayerShapes;
import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

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
    @Override
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
    public List<Shape> outputShapes() {
        if (!built()) throw new IllegalStateException("Sequential '" + name() + "' is not built yet");
        return List.of(outputShapes.isEmpty() ? input.shape() : outputShapes.get(outputShapes.size() - 1));
    }

    /** The last layer's name (Keras' {@code output_names}). */
    @Override
    public List<String> outputNames() {
        if (!layers.isEmpty()) return List.of(layers.get(layers.size() - 1).name());
        return List.of(input != null ? input.name() : name() + "_output");
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
    public List<Var> call(List<Var> inputs, boolean training) {
        Var x = inputs.get(0);
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            if (layer instanceof BatchNormalization bn && i + 1 < layers.size()
                    && BatchNormalization.fusesWith(layers.get(i + 1))) {
                x = bn.callWithRelu(x, training); // one fused primitive for both layers
                i++;
            } else {
                x = layer.call(x, training);
            }
        }
        return List.of(x);
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

    /**
     * Keras' Sequential config: {@code {"name", "layers": [{"class_name", "config"}, ...]}}, the Input
     * first as an {@code InputLayer} when the model has one.
     */
    @Override
    public Map<String, Object> getConfig() {
        List<Object> entries = new ArrayList<>();
        if (input != null) entries.add(ModelConfigs.layerEntry(input));
        for (Layer l : layers) entries.add(ModelConfigs.layerEntry(l));
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", name());
        config.put("layers", entries);
        return config;
    }

    /** Rebuilds a Sequential model from {@link #getConfig()}; {@code layerFactory} makes each layer. */
    public static Sequential fromConfig(Map<String, Object> config,
                                        BiFunction<String, Map<String, Object>, Layer> layerFactory) {
        Sequential model = new Sequential(ModelConfigs.optionalString(config, "name", "Sequential"));
        List<Map<String, Object>> entries = ModelConfigs.maps(config, "layers", "Sequential");
        for (int i = 0; i < entries.size(); i++) {
            model.add(ModelConfigs.createLayer(entries.get(i), layerFactory, "Sequential layers[" + i + "]"));
        }
        return model;
    }
}
