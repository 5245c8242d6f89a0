package dev.panamax.models;

import dev.panamax.autograd.Var;
import dev.panamax.layers.BuildContext;
import dev.panamax.layers.Input;
import dev.panamax.layers.Layer;
import dev.panamax.layers.LayerShapes;
import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Shape;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * Keras' functional model: a graph of layer calls from {@link Input} tensors to outputs, made with
 * {@code Model.of(inputs, outputs)}. It may branch and merge (skip connections), share a layer
 * between calls (one set of weights, whose gradients from every call add up), and take several
 * inputs and give several outputs. Layers run in the order their calls were made, which always
 * puts a call after the calls it reads.
 *
 * <pre>{@code
 * SymbolicTensor in = Input.tensor(28, 28, 1);
 * SymbolicTensor x = new Conv2D(32, 3, "relu").apply(in);
 * SymbolicTensor out = new Dense(10, "softmax").apply(new Flatten().apply(x));
 * Functional model = Model.of(in, out);
 * }</pre>
 */
public class Functional extends Model {
    private static final AtomicInteger COUNT = new AtomicInteger();

    private final List<SymbolicTensor> inputs;
    private final List<SymbolicTensor> outputs;
    /** Every call in the graph, in a topological order; the inputs' nodes included. */
    private final List<Node> nodes;
    private final List<Layer> layers;
    /** Each node's position among its layer's calls in this model (Keras' node index in configs and summaries). */
    private final Map<Node, Integer> nodeIndex = new IdentityHashMap<>();
    private final List<String> outputNames;

    /**
     * @param inputs tensors of {@link Input}s, one per model input
     * @param outputs tensors computed from the inputs, one per model output
     * @param name the model's name, or null for {@code functional}, {@code functional_1}, ...
     */
    public Functional(List<SymbolicTensor> inputs, List<SymbolicTensor> outputs, String name) {
        super(name != null ? name : nextName());
        this.inputs = checkInputs(inputs);
        this.outputs = checkOutputs(outputs);
        this.nodes = collectNodes();
        this.layers = collectLayers();
        this.outputNames = uniqueOutputNames();
    }

    private static String nextName() {
        int n = COUNT.getAndIncrement();
        return n == 0 ? "functional" : "functional_" + n;
    }

    private List<SymbolicTensor> checkInputs(List<SymbolicTensor> given) {
        if (given == null || given.isEmpty()) {
            throw new IllegalArgumentException("Functional '" + name() + "': inputs must hold at least one tensor");
        }
        Set<SymbolicTensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < given.size(); i++) {
            SymbolicTensor t = given.get(i);
            if (t == null) throw new IllegalArgumentException("Functional '" + name() + "': inputs[" + i + "] is null");
            if (!(t.layer() instanceof Input)) {
                throw new IllegalArgumentException("Functional '" + name() + "': inputs[" + i + "] must be an Input's"
                        + " tensor (Input.tensor(shape)); got the output of layer '" + t.layer().name() + "'");
            }
            if (!seen.add(t)) {
                throw new IllegalArgumentException("Functional '" + name() + "': input '" + t.layer().name()
                        + "' is given twice");
            }
        }
        return List.copyOf(given);
    }

    private List<SymbolicTensor> checkOutputs(List<SymbolicTensor> given) {
        if (given == null || given.isEmpty()) {
            throw new IllegalArgumentException("Functional '" + name() + "': outputs must hold at least one tensor");
        }
        for (int i = 0; i < given.size(); i++) {
            if (given.get(i) == null) {
                throw new IllegalArgumentException("Functional '" + name() + "': outputs[" + i + "] is null");
            }
        }
        return List.copyOf(given);
    }

    /** Walks back from the outputs to the inputs; a tensor that does not come from them fails, naming it. */
    private List<Node> collectNodes() {
        Set<Node> reached = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<SymbolicTensor> modelInputs = Collections.newSetFromMap(new IdentityHashMap<>());
        modelInputs.addAll(inputs);
        for (SymbolicTensor t : inputs) reached.add(t.node());
        Deque<SymbolicTensor> pending = new ArrayDeque<>(outputs);
        while (!pending.isEmpty()) {
            SymbolicTensor t = pending.pop();
            Node node = t.node();
            if (!reached.add(node)) continue;
            if (node.inputs().isEmpty()) { // only an output can get here: inputs are checked below
                throw new IllegalArgumentException("Functional '" + name() + "': graph disconnected: the output " + t
                        + " is not one of the model's inputs " + inputNames());
            }
            for (SymbolicTensor in : node.inputs()) {
                if (modelInputs.contains(in)) continue;
                if (in.inputs().isEmpty()) {
                    throw new IllegalArgumentException("Functional '" + name() + "': graph disconnected: layer '"
                            + node.layer().name() + "' reads " + in + ", which is not one of the model's inputs "
                            + inputNames());
                }
                pending.push(in);
            }
        }
        List<Node> sorted = new ArrayList<>(reached);
        sorted.sort(Comparator.comparingLong(Node::sequence));
        return List.copyOf(sorted);
    }

    private List<String> inputNames() {
        return inputs.stream().map(t -> t.layer().name()).toList();
    }

    private List<Layer> collectLayers() {
        List<Layer> list = new ArrayList<>();
        Map<Layer, Integer> calls = new IdentityHashMap<>();
        Map<String, Layer> byName = new HashMap<>();
        for (Node node : nodes) {
            Layer layer = node.layer();
            Integer count = calls.get(layer);
            nodeIndex.put(node, count == null ? 0 : count);
            calls.put(layer, count == null ? 1 : count + 1);
            if (count != null) continue;
            Layer other = byName.putIfAbsent(layer.name(), layer);
            if (other != null) {
                throw new IllegalArgumentException("Functional '" + name() + "': two layers are named '" + layer.name()
                        + "' (" + other.typeName() + " and " + layer.typeName() + "); names must be unique in a model");
            }
            list.add(layer);
        }
        return List.copyOf(list);
    }

    /** Output layers' names; a layer giving several outputs gets {@code _1}, {@code _2}, ... after the first. */
    private List<String> uniqueOutputNames() {
        List<String> names = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (SymbolicTensor t : outputs) {
            String base = t.layer().name();
            String n = base;
            for (int k = 1; !used.add(n); k++) n = base + "_" + k;
            names.add(n);
        }
        return List.copyOf(names);
    }

    /** The model's input tensors. */
    public List<SymbolicTensor> inputs() {
        return inputs;
    }

    /** The model's output tensors. */
    public List<SymbolicTensor> outputs() {
        return outputs;
    }

    /** Every layer call in the graph, in the order they run (the inputs' first). */
    public List<Node> nodes() {
        return nodes;
    }

    /** The layers, each once, in the order of their first call; the Inputs included (as in Keras). */
    @Override
    public List<Layer> layers() {
        return layers;
    }

    @Override
    public List<Shape> inputShapes() {
        return inputs.stream().map(SymbolicTensor::shape).toList();
    }

    @Override
    public List<Shape> outputShapes() {
        return outputs.stream().map(SymbolicTensor::shape).toList();
    }

    @Override
    public List<String> outputNames() {
        return outputNames;
    }

    /** Builds the model for the shapes of its Inputs. */
    @Override
    public void build() {
        build(inputShapes().toArray(Shape[]::new));
    }

    /** Keras' summary table, with the layers each layer reads ("Connected to"); builds the model if needed. */
    @Override
    public String summary() {
        if (!built()) build();
        return super.summary();
    }

    @Override
    protected void buildGraph(List<Shape> shapes, MemoryScope scope, long seed) {
        if (!shapes.equals(inputShapes())) {
            throw new IllegalArgumentException("Functional '" + name() + "' takes inputs " + describe(inputShapes())
                    + " and cannot be built for " + describe(shapes));
        }
        Set<Layer> built = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Node node : nodes) {
            Layer layer = node.layer();
            if (layer instanceof Input || !built.add(layer)) continue;
            layer.build(BuildContext.of(scope, seed * 1_000_003L + layers.indexOf(layer)), node.inputShapes());
        }
    }

    @Override
    public List<Var> call(List<Var> inputValues, boolean training) {
        if (inputValues.size() != inputs.size()) {
            throw new IllegalArgumentException("Functional '" + name() + "' takes " + inputs.size() + " inputs "
                    + inputNames() + "; got " + inputValues.size());
        }
        Map<SymbolicTensor, Var> values = new IdentityHashMap<>();
        for (int i = 0; i < inputs.size(); i++) values.put(inputs.get(i), inputValues.get(i));
        for (Node node : nodes) {
            if (node.inputs().isEmpty()) continue; // an Input: its value was given
            List<Var> args = new ArrayList<>(node.inputs().size());
            for (SymbolicTensor t : node.inputs()) args.add(values.get(t));
            values.put(node.output(), node.layer().call(args, training));
        }
        List<Var> result = new ArrayList<>(outputs.size());
        for (SymbolicTensor t : outputs) result.add(values.get(t));
        return result;
    }

    @Override
    protected List<ModelSummary.Row> summaryRows() {
        List<ModelSummary.Row> rows = new ArrayList<>();
        for (Layer layer : layers) {
            List<Node> calls = nodes.stream().filter(n -> n.layer() == layer).toList();
            List<String> shapes = calls.stream().map(n -> LayerShapes.withBatch(n.output().shape())).distinct().toList();
            List<String> connections = new ArrayList<>();
            for (Node n : calls) {
                for (SymbolicTensor t : n.inputs()) connections.add(reference(t));
            }
            rows.add(new ModelSummary.Row(layer.name() + " (" + layer.typeName() + ")",
                    shapes.size() == 1 ? shapes.get(0) : String.join(", ", shapes), layer.countParams(),
                    connections.isEmpty() ? null : String.join(", ", connections)));
        }
        return rows;
    }

    /** Keras' {@code layer[node][tensor]} name of a tensor in this graph. */
    private String reference(SymbolicTensor t) {
        return t.layer().name() + "[" + nodeIndex.get(t.node()) + "][0]";
    }

    // ---- config ---------------------------------------------------------------------------

    /**
     * Keras' functional config: {@code {"name", "layers": [{"class_name", "config", "name",
     * "inbound_nodes"}], "input_layers", "output_layers"}}. Each inbound node lists the tensors a call
     * read, as {@code __keras_tensor__} entries whose {@code keras_history} is {@code [layer, node, 0]}.
     */
    @Override
    public Map<String, Object> getConfig() {
        List<Object> entries = new ArrayList<>();
        for (Layer layer : layers) {
            Map<String, Object> entry = ModelConfigs.layerEntry(layer);
            entry.put("name", layer.name());
            List<Object> inbound = new ArrayList<>();
            for (Node node : nodes) {
                if (node.layer() != layer || node.inputs().isEmpty()) continue;
                List<Object> tensors = new ArrayList<>();
                for (SymbolicTensor t : node.inputs()) tensors.add(tensorConfig(t));
                Map<String, Object> call = new LinkedHashMap<>();
                // Keras passes a single-input layer its tensor and a merge layer a list of tensors
                call.put("args", tensors.size() == 1 ? tensors : List.of(tensors));
                call.put("kwargs", new LinkedHashMap<>());
                inbound.add(call);
            }
            entry.put("inbound_nodes", inbound);
            entries.add(entry);
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", name());
        config.put("layers", entries);
        config.put("input_layers", inputs.stream().map(this::history).toList());
        config.put("output_layers", outputs.stream().map(this::history).toList());
        return config;
    }

    private List<Object> history(SymbolicTensor t) {
        return List.of(t.layer().name(), nodeIndex.get(t.node()), 0);
    }

    private Map<String, Object> tensorConfig(SymbolicTensor t) {
        List<Object> shape = new ArrayList<>();
        shape.add(null);
        for (long d : t.shape().dims()) shape.add(d);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("shape", shape);
        c.put("dtype", "float32");
        c.put("keras_history", history(t));
        Map<String, Object> tensor = new LinkedHashMap<>();
        tensor.put("class_name", FunctionalConfig.KERAS_TENSOR);
        tensor.put("config", c);
        return tensor;
    }

    /**
     * Rebuilds a functional model from {@link #getConfig()} (or a Keras 2 or 3 functional config):
     * makes each layer with {@code layerFactory}, then replays the layer calls the config lists.
     */
    public static Functional fromConfig(Map<String, Object> config,
                                        BiFunction<String, Map<String, Object>, Layer> layerFactory) {
        return FunctionalConfig.rebuild(config, layerFactory);
    }
}
