package dev.panamax.layers;

import dev.panamax.autograd.Ops;
import dev.panamax.autograd.Parameter;
import dev.panamax.autograd.Var;
import dev.panamax.models.Node;
import dev.panamax.models.SymbolicTensor;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Keras layer contract. The constructor validates arguments; {@link #build(Shape)} creates
 * weights with {@link #addWeight} once the input shape is known; {@link #call(Var, boolean)}
 * computes with {@link Ops} (never a backend directly); {@link #computeOutputShape(Shape)} infers
 * shapes; {@link #getConfig()} describes the layer for saving. Extend this class for a custom layer.
 *
 * <p>Shapes here are per example: the batch axis is left out (Keras' {@code None}).
 */
public abstract class Layer {
    private static final Map<String, AtomicInteger> NAME_COUNTERS = new java.util.concurrent.ConcurrentHashMap<>();

    private final String name;
    private boolean trainable = true;
    private boolean built;
    private BuildContext context;
    private List<Shape> inputShapes;
    private final List<Parameter> weights = new ArrayList<>();
    private final Map<Parameter, Regularizer> regularizers = new LinkedHashMap<>();
    private final List<Node> inboundNodes = new ArrayList<>();

    /** @param name the layer's name, or null for a unique one from its type ({@code dense}, {@code dense_1}, ...) */
    protected Layer(String name) {
        this.name = name != null ? name : uniqueName(defaultBaseName());
        if (this.name.isBlank() || this.name.contains("/")) {
            throw new IllegalArgumentException("Layer name must be non-empty and contain no '/'. Received: name='"
                    + name + "'");
        }
    }

    private String defaultBaseName() {
        String simple = getClass().getSimpleName();
        // Keras' to_snake_case: Conv2D -> conv2d, MaxPooling2D -> max_pooling2d, LeakyReLU -> leaky_re_lu
        return simple.replaceAll("(.)([A-Z][a-z]+)", "$1_$2").replaceAll("([a-z])([A-Z])", "$1_$2")
                .toLowerCase(java.util.Locale.ROOT);
    }

    private static String uniqueName(String base) {
        int n = NAME_COUNTERS.computeIfAbsent(base, k -> new AtomicInteger()).getAndIncrement();
        return n == 0 ? base : base + "_" + n;
    }

    public final String name() {
        return name;
    }

    /** Keras' class name, used in summaries and saved configs. */
    public String typeName() {
        return getClass().getSimpleName();
    }

    public boolean trainable() {
        return trainable;
    }

    /** Freezes (false) or unfreezes this layer's weights: frozen weights get no gradient and no update. */
    public void setTrainable(boolean trainable) {
        this.trainable = trainable;
        for (Parameter p : weights) p.setTrainable(trainable);
    }

    public boolean built() {
        return built;
    }

    /** For configuration setters: a built layer's weights already reflect its configuration. */
    protected final void checkNotBuilt() {
        if (built) throw new IllegalStateException("Layer '" + name + "' is built; configure it before use");
    }

    // ---- building -------------------------------------------------------------------------

    /**
     * Builds the layer for inputs of these per-example shapes (once; later calls check the shapes
     * agree). Called by models; weights go to {@code context}'s scope.
     */
    public final void build(BuildContext context, List<Shape> inputShapes) {
        if (built) {
            if (!inputShapes.equals(this.inputShapes)) {
                throw new IllegalArgumentException("Layer '" + name + "' was built for input shape "
                        + describe(this.inputShapes) + " and cannot take " + describe(inputShapes));
            }
            return;
        }
        this.context = context;
        checkInputCount(inputShapes.size());
        computeOutputShape(inputShapes); // validates shapes before any weight is made
        if (inputShapes.size() == 1) build(inputShapes.get(0));
        else build(inputShapes);
        this.inputShapes = List.copyOf(inputShapes);
        this.built = true;
    }

    /** Creates weights for inputs of this shape; the default creates none. */
    protected void build(Shape inputShape) {
    }

    /** Multi-input layers override this instead of {@link #build(Shape)}. */
    protected void build(List<Shape> inputShapes) {
        throw new IllegalArgumentException("Layer '" + name + "' (" + typeName() + ") takes one input; got "
                + inputShapes.size());
    }

    /** Throws unless this layer accepts {@code count} inputs; single-input layers by default. */
    protected void checkInputCount(int count) {
        if (count != 1) {
            throw new IllegalArgumentException("Layer '" + name + "' (" + typeName() + ") takes one input; got "
                    + count);
        }
    }

    /** The per-example input shapes this layer was built for. */
    public List<Shape> inputShapes() {
        if (!built) throw new IllegalStateException("Layer '" + name + "' is not built yet");
        return inputShapes;
    }

    /**
     * Adds a weight, initialized from the layer's random stream. Only inside {@link #build}.
     */
    protected final Parameter addWeight(String weightName, Shape shape, Initializer initializer,
                                        Regularizer regularizer, boolean trainable) {
        if (context == null) {
            throw new IllegalStateException("Layer '" + name + "': addWeight is only allowed inside build");
        }
        Tensor t = Tensor.zeros(context.scope(), shape.dims());
        t.copyFrom(initializer.sample(shape, context.random()));
        Parameter p = new Parameter(name + "/" + weightName, t, trainable && this.trainable);
        weights.add(p);
        if (regularizer != null && (regularizer.l1() > 0 || regularizer.l2() > 0)) {
            regularizers.put(p, regularizer);
        }
        return p;
    }

    protected final Parameter addWeight(String weightName, Shape shape, Initializer initializer) {
        return addWeight(weightName, shape, initializer, null, true);
    }

    /** All weights, trainable or not, in creation order. */
    public List<Parameter> weights() {
        return Collections.unmodifiableList(weights);
    }

    public List<Parameter> trainableWeights() {
        return weights.stream().filter(Parameter::trainable).toList();
    }

    public List<Parameter> nonTrainableWeights() {
        return weights.stream().filter(p -> !p.trainable()).toList();
    }

    /** Weight penalties this layer adds to the loss. */
    public Map<Parameter, Regularizer> regularizers() {
        return Collections.unmodifiableMap(regularizers);
    }

    public long countParams() {
        return weights.stream().mapToLong(p -> p.shape().size()).sum();
    }

    // ---- computing ------------------------------------------------------------------------

    /** Computes the layer on one input; {@code training} selects e.g. dropout's and batch norm's mode. */
    public Var call(Var input, boolean training) {
        throw new IllegalStateException("Layer '" + name + "' (" + typeName() + ") must override call");
    }

    /** Multi-input layers override this instead of {@link #call(Var, boolean)}. */
    public Var call(List<Var> inputs, boolean training) {
        if (inputs.size() != 1) {
            throw new IllegalArgumentException("Layer '" + name + "' takes one input; got " + inputs.size());
        }
        return call(inputs.get(0), training);
    }

    /**
     * Whether a training step through this layer may be recorded once and replayed on later batches
     * (what {@code fit} does unless the model runs eagerly): true when {@link #call} does all its
     * tensor work through {@link dev.panamax.autograd.Ops} (Java-side work through {@code Ops.host}),
     * and its Java code decides nothing from tensor values or from state that changes between steps.
     * Panamax's own layers qualify; a subclass elsewhere is assumed not to unless it overrides this.
     */
    public boolean replayable() {
        return getClass().getPackageName().equals(Layer.class.getPackageName());
    }

    /** Output shape for this input shape (per example); throws naming the layer and shape when invalid. */
    public Shape computeOutputShape(Shape inputShape) {
        return inputShape;
    }

    public Shape computeOutputShape(List<Shape> inputShapes) {
        if (inputShapes.size() != 1) {
            throw new IllegalArgumentException("Layer '" + name + "' takes one input; got " + describe(inputShapes));
        }
        return computeOutputShape(inputShapes.get(0));
    }

    /** An exception for a bad input shape that names this layer and the shape. */
    protected final IllegalArgumentException shapeError(String message, Shape inputShape) {
        return new IllegalArgumentException("Layer '" + name + "' (" + typeName() + "): " + message
                + "; input shape " + LayerShapes.withBatch(inputShape));
    }

    // ---- functional API -------------------------------------------------------------------

    /**
     * Applies this layer to symbolic tensors (Keras' {@code layer(x)} in the functional API): infers
     * the output shape at once, so a bad shape fails here naming this layer and the shapes, and
     * records the call as a node of the graph. Applying a layer again shares its weights; every
     * call must then get the input shapes of the first.
     */
    public synchronized SymbolicTensor apply(SymbolicTensor... inputs) {
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] == null) {
                throw new IllegalArgumentException("Layer '" + name + "' (" + typeName() + "): input " + i + " is null");
            }
        }
        List<SymbolicTensor> in = List.of(inputs);
        checkInputCount(in.size());
        List<Shape> shapes = in.stream().map(SymbolicTensor::shape).toList();
        if (built && !shapes.equals(inputShapes)) {
            throw new IllegalArgumentException("Layer '" + name + "' (" + typeName() + ") was built for input shape "
                    + describe(inputShapes) + " and cannot be applied to " + describe(shapes));
        }
        if (!inboundNodes.isEmpty() && !shapes.equals(inboundNodes.get(0).inputShapes())) {
            throw new IllegalArgumentException("Layer '" + name + "' (" + typeName() + ") is shared: it was first"
                    + " applied to " + describe(inboundNodes.get(0).inputShapes()) + " and cannot be applied to "
                    + describe(shapes) + "; a shared layer takes the same input shapes at every call");
        }
        return addInboundNode(in, computeOutputShape(shapes));
    }

    /** Records a call of this layer on {@code inputs}, producing a tensor of {@code outputShape}. */
    final synchronized SymbolicTensor addInboundNode(List<SymbolicTensor> inputs, Shape outputShape) {
        Node node = new Node(this, inboundNodes.size(), inputs, outputShape);
        inboundNodes.add(node);
        return node.output();
    }

    /** Every call of this layer on symbolic tensors, in order (Keras' {@code _inbound_nodes}). */
    public synchronized List<Node> inboundNodes() {
        return List.copyOf(inboundNodes);
    }

    // ---- config ---------------------------------------------------------------------------

    /**
     * The arguments that recreate this layer (Keras' {@code get_config}): name, trainable, and every
     * constructor argument, as JSON-friendly values (String, Number, Boolean, List, Map).
     */
    public Map<String, Object> getConfig() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", name);
        config.put("trainable", trainable);
        return config;
    }

    private static String describe(List<Shape> shapes) {
        return shapes.size() == 1 ? LayerShapes.withBatch(shapes.get(0)) : shapes.stream()
                .map(LayerShapes::withBatch).toList().toString();
    }

    @Override
    public String toString() {
        return typeName() + "(" + name + ")";
    }
}
