package dev.panamax.models;

import dev.panamax.autograd.GradientTape;
import dev.panamax.autograd.Ops;
import dev.panamax.autograd.Parameter;
import dev.panamax.autograd.RecordedStep;
import dev.panamax.autograd.RecordingBackend;
import dev.panamax.autograd.Var;
import dev.panamax.backend.Activation;
import dev.panamax.backend.Backend;
import dev.panamax.data.FloatArray;
import dev.panamax.layers.Layer;
import dev.panamax.layers.LayerShapes;
import dev.panamax.layers.Regularizer;
import dev.panamax.tensor.MemoryPool;
import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;
import dev.panamax.training.FitOptions;
import dev.panamax.training.History;
import dev.panamax.training.Loss;
import dev.panamax.training.Metric;
import dev.panamax.training.Metrics;
import dev.panamax.training.Optimizer;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * A trainable model with Keras' workflow: {@code compile}, {@code fit}, {@code evaluate},
 * {@code predict}, {@code summary}. Weights and optimizer state live in the model's own memory
 * scope until {@link #close()}; everything made for one batch lives in that batch's scope.
 *
 * <p>Subclasses ({@link Sequential}, {@link Functional}) define the graph: how layers are built
 * and called. A model may take several inputs and give several outputs: the {@code List<FloatArray>}
 * overloads of fit, evaluate and predict take one array per input (and per output for targets), in
 * the order the model declares them. The model runs on one backend ({@code native} when it loads,
 * else {@code java}; choose with {@link #setBackend}).
 */
public abstract class Model implements AutoCloseable {
    private final String name;
    private Backend backend;
    private MemoryScope weightScope;
    private long seed;
    private Optimizer optimizer;
    private CompiledLosses compiled;
    private volatile boolean stopTraining;
    private PrintStream out = System.out;
    /** Recycled memory of train/evaluate/predict steps: steady state maps no new pages. */
    private final MemoryPool stepMemory;
    /** Recorded training steps, one per batch shape seen lately (a full batch and an epoch's last, partial one). */
    private final List<TrainStepPlan> stepPlans = new ArrayList<>();
    private static final int MAX_STEP_PLANS = 2;
    private boolean runEagerly;

    protected Model(String name) {
        this.name = Objects.requireNonNull(name, "name");
        this.stepMemory = new MemoryPool("steps of " + name);
    }

    /** A functional model from Input tensors to outputs (Keras' {@code keras.Model(inputs, outputs)}). */
    public static Functional of(List<SymbolicTensor> inputs, List<SymbolicTensor> outputs) {
        return new Functional(inputs, outputs, null);
    }

    public static Functional of(SymbolicTensor input, SymbolicTensor output) {
        return of(List.of(input), List.of(output));
    }

    /**
     * Rebuilds a model from {@link #getConfig()}, by Keras class name ({@code Sequential}, or
     * {@code Functional}, which Keras 2 called {@code Model}); {@code layerFactory} makes each layer
     * from its class name and config.
     */
    public static Model fromConfig(String className, Map<String, Object> config,
                                   BiFunction<String, Map<String, Object>, Layer> layerFactory) {
        return switch (className) {
            case "Sequential" -> Sequential.fromConfig(config, layerFactory);
            case "Functional", "Model" -> Functional.fromConfig(config, layerFactory);
            default -> throw new IllegalArgumentException("Model config: unknown model class '" + className
                    + "'; expected Sequential or Functional");
        };
    }

    public String name() {
        return name;
    }

    /** Keras' class name of this model, as saved configs name it ({@code Sequential}, {@code Functional}). */
    public String typeName() {
        return getClass().getSimpleName();
    }

    // ---- configuration --------------------------------------------------------------------

    /** The backend this model runs on, by name ({@code "native"} or {@code "java"}); before building. */
    public Model setBackend(String backendName) {
        return setBackend(dev.panamax.backend.Backends.get(backendName));
    }

    public Model setBackend(Backend backend) {
        if (weightScope != null) {
            throw new IllegalStateException("Model '" + name + "': choose the backend before the model is built");
        }
        this.backend = Objects.requireNonNull(backend, "backend");
        return this;
    }

    public Backend backend() {
        if (backend == null) backend = dev.panamax.backend.Backends.preferred();
        return backend;
    }

    /** The seed of weight initialization (and of nothing else); before building. */
    public Model setSeed(long seed) {
        if (weightScope != null) {
            throw new IllegalStateException("Model '" + name + "': set the seed before the model is built");
        }
        this.seed = seed;
        return this;
    }

    public long seed() {
        return seed;
    }

    /** Where fit's progress bar goes (standard output by default). */
    public PrintStream output() {
        return out;
    }

    /** Where fit's progress bar and evaluate's output go (standard output by default). */
    public Model setOutput(PrintStream out) {
        this.out = Objects.requireNonNull(out, "out");
        return this;
    }

    // ---- graph, defined by subclasses -----------------------------------------------------

    /** The layers, each once, in the order they are called. */
    public abstract List<Layer> layers();

    /** The layer called {@code layerName} (Keras' {@code get_layer}). */
    public Layer getLayer(String layerName) {
        for (Layer l : layers()) if (l.name().equals(layerName)) return l;
        throw new IllegalArgumentException("Model '" + name + "' has no layer '" + layerName + "'; its layers are "
                + layers().stream().map(Layer::name).toList());
    }

    /** Per-example input shapes, one per input; known once built. */
    public abstract List<Shape> inputShapes();

    /** Per-example output shapes, one per output; known once built. */
    public abstract List<Shape> outputShapes();

    /** The output's per-example shape, for a model with one output. */
    public Shape outputShape() {
        List<Shape> shapes = outputShapes();
        if (shapes.size() != 1) {
            throw new IllegalStateException("Model '" + name + "' has " + shapes.size() + " outputs "
                    + outputNames() + ": use outputShapes()");
        }
        return shapes.get(0);
    }

    /** The outputs' names, which prefix their losses and metrics in logs (Keras' {@code output_names}). */
    public abstract List<String> outputNames();

    /** Builds every layer for these per-example input shapes (weights in {@code scope}). */
    protected abstract void buildGraph(List<Shape> inputShapes, MemoryScope scope, long seed);

    /** Runs the graph on the batch inputs (Keras' {@code Model.call}): one value per output. */
    public abstract List<Var> call(List<Var> inputs, boolean training);

    /**
     * Runs a single-input, single-output model on {@code input} inside a custom training loop (the
     * ops, scope and tape are the input's; see {@link GradientTape}), building it for the input's
     * shape if needed:
     * <pre>{@code
     * try (MemoryScope step = MemoryScope.open("step")) {
     *     GradientTape tape = new GradientTape();
     *     Ops ops = new Ops(model.backend(), step, tape);
     *     model.zeroGrad();
     *     Var loss = myLoss(model.call(ops.constant(x), true), y);
     *     tape.backward(loss);
     *     optimizer.apply(model.backend(), model.trainableWeights());
     * }
     * }</pre>
     */
    public Var call(Var input, boolean training) {
        if (!built()) {
            long[] dims = input.shape().dims();
            build(Shape.of(java.util.Arrays.copyOfRange(dims, 1, dims.length)));
        }
        return forward(List.of(input), training);
    }

    /** Off-heap bytes held for the memory of train, evaluate and predict steps (recycled between steps). */
    public long stepMemoryBytes() {
        return stepMemory.reservedBytes();
    }

    /** Clears every weight's accumulated gradient (before a custom training step). */
    public void zeroGrad() {
        for (Parameter p : weights()) p.zeroGrad();
    }

    /** Runs the graph of a single-output model. */
    protected Var forward(List<Var> inputs, boolean training) {
        List<Var> outputs = call(inputs, training);
        if (outputs.size() != 1) {
            throw new IllegalStateException("Model '" + name + "' has " + outputs.size() + " outputs: use call");
        }
        return outputs.get(0);
    }

    /** The summary rows of this model's layers. */
    protected abstract List<ModelSummary.Row> summaryRows();

    /** Builds now when the graph already declares its input shapes (a Sequential that starts with an Input). */
    protected void buildIfInputsDeclared() {
    }

    /**
     * The model's architecture as JSON-friendly values (Keras' {@code get_config}): each layer's class
     * name and config, and for a functional model how they connect. Weights are not included.
     */
    public abstract Map<String, Object> getConfig();

    public boolean built() {
        return weightScope != null;
    }

    /** Builds the model for the input shapes its Inputs declare. */
    public abstract void build();

    /** Builds the model for inputs of these per-example shapes, one per input (done by fit/predict when needed). */
    public void build(Shape... inputShapes) {
        if (inputShapes.length == 0) {
            throw new IllegalArgumentException("Model '" + name + "': build needs one shape per input; got none");
        }
        if (built()) {
            if (!List.of(inputShapes).equals(inputShapes())) {
                throw new IllegalArgumentException("Model '" + name + "' was built for inputs "
                        + describe(inputShapes()) + " and cannot take " + describe(List.of(inputShapes)));
            }
            return;
        }
        MemoryScope scope = MemoryScope.open("model " + name);
        try {
            buildGraph(List.of(inputShapes), scope, seed);
        } catch (RuntimeException e) {
            scope.close();
            throw e;
        }
        weightScope = scope;
    }

    static String describe(List<Shape> shapes) {
        return shapes.stream().map(LayerShapes::withBatch).toList().toString();
    }

    private void ensureBuilt(List<FloatArray> x) {
        List<Shape> shapes = x.stream().map(FloatArray::rowShape).toList();
        if (!built()) {
            build(shapes.toArray(Shape[]::new));
        } else if (!shapes.equals(inputShapes())) {
            throw new IllegalArgumentException("Model '" + name + "' expects inputs " + describe(inputShapes())
                    + "; got " + (x.size() == 1 ? "an array of shape " + x.get(0).shape()
                    : "arrays of shapes " + x.stream().map(FloatArray::shape).toList()));
        }
    }

    /** Every weight, each once (a shared layer's weights are listed once). */
    public List<Parameter> weights() {
        Set<Parameter> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Parameter> all = new ArrayList<>();
        for (Layer l : layers()) {
            for (Parameter p : l.weights()) if (seen.add(p)) all.add(p);
        }
        return all;
    }

    public List<Parameter> trainableWeights() {
        return weights().stream().filter(Parameter::trainable).toList();
    }

    public long countParams() {
        buildIfInputsDeclared();
        return weights().stream().mapToLong(p -> p.shape().size()).sum();
    }

    /** Keras' summary table. */
    public String summary() {
        buildIfInputsDeclared();
        if (!built()) {
            throw new IllegalStateException("Model '" + name + "' is not built yet: give it an Input, call build(shape),"
                    + " or fit it first");
        }
        long total = countParams();
        long trainable = trainableWeights().stream().mapToLong(p -> p.shape().size()).sum();
        return ModelSummary.render(name, summaryRows(), total, trainable);
    }

    // ---- compile --------------------------------------------------------------------------

    /**
     * Sets the optimizer, the loss (applied to every output) and metrics by Keras name (e.g.
     * {@code "accuracy"}, tracked for every output).
     */
    public void compile(Optimizer optimizer, Loss loss, String... metrics) {
        compile(optimizer, Collections.nCopies(outputNames().size(), Objects.requireNonNull(loss, "loss")), metrics);
    }

    /** Sets the optimizer, the loss and metric instances, for a single-output model. */
    public void compile(Optimizer optimizer, Loss loss, List<Metric> metrics) {
        int outputs = outputNames().size();
        if (outputs != 1 && !metrics.isEmpty()) {
            throw new IllegalArgumentException("compile: model '" + name + "' has " + outputs + " outputs "
                    + outputNames() + ": give metrics by name, or one list of metric instances per output");
        }
        compile(optimizer, Collections.nCopies(outputs, Objects.requireNonNull(loss, "loss")), null,
                Collections.nCopies(outputs, metrics));
    }

    /** One loss per output (in output order); metrics by Keras name, tracked for every output. */
    public void compile(Optimizer optimizer, List<Loss> losses, String... metrics) {
        compile(optimizer, losses, null, metrics);
    }

    /**
     * One loss per output, and their weights in the total loss (Keras' {@code loss_weights}; null for
     * all 1); metrics by Keras name, tracked for every output.
     */
    public void compile(Optimizer optimizer, List<Loss> losses, List<Double> lossWeights, String... metrics) {
        List<List<Metric>> perOutput = new ArrayList<>();
        for (int o = 0; o < outputNames().size(); o++) {
            List<Metric> list = new ArrayList<>();
            for (String m : metrics) list.add(Metrics.get(m));
            perOutput.add(list);
        }
        compile(optimizer, losses, lossWeights, perOutput);
    }

    /**
     * The general form: one loss per output, their weights in the total loss (null for all 1), and
     * one list of metric instances per output.
     */
    public void compile(Optimizer optimizer, List<Loss> losses, List<Double> lossWeights,
                        List<List<Metric>> metrics) {
        Objects.requireNonNull(losses, "losses");
        Objects.requireNonNull(metrics, "metrics");
        this.compiled = new CompiledLosses("compile", outputNames(), losses, lossWeights, metrics);
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        clearStepPlans();
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /** The loss of the first output (the only one in a single-output model); null until compiled. */
    public Loss loss() {
        return compiled == null ? null : compiled.losses().get(0);
    }

    /** One loss per output; empty until compiled. */
    public List<Loss> losses() {
        return compiled == null ? List.of() : compiled.losses();
    }

    /** Every output's metrics, in output order. */
    public List<Metric> metrics() {
        return compiled == null ? List.of() : compiled.metrics();
    }

    private void checkCompiled(String what) {
        if (optimizer == null || compiled == null) {
            throw new IllegalStateException("Model '" + name + "': call compile(optimizer, loss, metrics) before "
                    + what);
        }
        if (compiled.outputCount() != outputNames().size()) {
            throw new IllegalStateException("Model '" + name + "' was compiled for " + compiled.outputCount()
                    + " outputs but has " + outputNames().size() + "; compile it again");
        }
    }

    /** Asks fit to stop after the current batch (what EarlyStopping and TerminateOnNaN do). */
    public void stopTraining() {
        stopTraining = true;
    }

    boolean stopRequested() {
        return stopTraining;
    }

    void clearStopRequest() {
        stopTraining = false;
    }

    CompiledLosses compiled() {
        return compiled;
    }

    // ---- training -------------------------------------------------------------------------

    /** Keras' {@code fit} on arrays; the validation split takes the last rows, before any shuffling. */
    public History fit(FloatArray x, FloatArray y, FitOptions options) {
        return fit(x, y, null, null, options);
    }

    /** {@code fit} with explicit validation data (either may be null). */
    public History fit(FloatArray x, FloatArray y, FloatArray xVal, FloatArray yVal, FitOptions options) {
        return fit(List.of(x), List.of(y), xVal == null ? null : List.of(xVal), yVal == null ? null : List.of(yVal),
                options);
    }

    /** {@code fit} for a model with several inputs or outputs: one array per input, one target per output. */
    public History fit(List<FloatArray> x, List<FloatArray> y, FitOptions options) {
        return fit(x, y, null, null, options);
    }

    /** {@code fit} with several inputs or outputs and explicit validation data (null for none). */
    public History fit(List<FloatArray> x, List<FloatArray> y, List<FloatArray> xVal, List<FloatArray> yVal,
                       FitOptions options) {
        checkCompiled("fit");
        checkData("fit", x, y);
        if (xVal != null || yVal != null) {
            if (xVal == null || yVal == null) {
                throw new IllegalArgumentException("fit: validation data needs both x and y; got only "
                        + (xVal == null ? "y" : "x"));
            }
            checkData("fit (validation data)", xVal, yVal);
        }
        // the validation split is the last rows, read in place: no copy of the data set
        int rows = x.get(0).rows();
        int n = rows;
        if (options.validationSplit() > 0 && xVal == null) {
            int valRows = (int) Math.floor(rows * options.validationSplit());
            if (valRows < 1 || valRows >= rows) {
                throw new IllegalArgumentException("fit: validation_split=" + options.validationSplit() + " of "
                        + rows + " rows leaves no training or no validation data");
            }
            n = rows - valRows;
        }
        ensureBuilt(x);
        final List<FloatArray> xt = x;
        final List<FloatArray> yt = y;
        final int trainRows = n;
        int batch = options.batchSize();
        int steps = (n + batch - 1) / batch;
        FitLoop.BatchSource train = epoch -> {
            int[] order = FitLoop.order(trainRows, options.shuffle(), options.seed(), epoch);
            return new java.util.Iterator<>() {
                int step;

                @Override
                public boolean hasNext() {
                    return step < steps;
                }

                @Override
                public FitLoop.Batch next() {
                    if (!hasNext()) throw new java.util.NoSuchElementException("fit: the epoch has " + steps + " steps");
                    int start = step++ * batch;
                    int[] idx = java.util.Arrays.copyOfRange(order, start, Math.min(start + batch, trainRows));
                    return new FitLoop.Batch(gather(xt, idx), gather(yt, idx));
                }
            };
        };
        List<FloatArray> xv = xVal;
        List<FloatArray> yv = yVal;
        Supplier<Map<String, Double>> validation = xv != null ? () -> evaluateLogs(xv, yv, batch)
                : trainRows < rows ? () -> evaluateLogs(xt, yt, batch, trainRows, rows) : null;
        return new FitLoop(this).run(train, steps, validation, options);
    }

    /**
     * Keras' {@code fit} on a dataset: {@code train} gives the batches of each epoch (shuffled and
     * augmented as its pipeline says; prefetched on worker threads if it was asked to), and
     * {@code validation}, if not null, is evaluated after each epoch. The options' batch size,
     * validation split and shuffle do not apply: the datasets decide those.
     */
    public History fit(dev.panamax.data.Batches train, dev.panamax.data.Batches validation, FitOptions options) {
        checkCompiled("fit");
        Objects.requireNonNull(train, "fit: train");
        if (compiled.outputCount() != 1 || (built() && inputShapes().size() != 1)) {
            throw new IllegalArgumentException("fit: datasets feed one input and one output; model '" + name
                    + "' has " + compiled.outputCount() + " outputs" + (built() ? " and " + inputShapes().size()
                    + " inputs" : ""));
        }
        FitLoop.BatchSource source = epoch -> {
            dev.panamax.data.BatchIterator it = train.epoch(epoch);
            return new java.util.Iterator<>() {
                private boolean first = true;

                @Override
                public boolean hasNext() {
                    boolean more = it.hasNext();
                    if (!more) FitLoop.closeQuietly(it);
                    return more;
                }

                @Override
                public FitLoop.Batch next() {
                    dev.panamax.data.Batch b = it.next();
                    if (first) {
                        ensureBuilt(List.of(b.x()));
                        first = false;
                    }
                    return new FitLoop.Batch(List.of(b.x()), List.of(b.y()));
                }
            };
        };
        java.util.function.Supplier<Map<String, Double>> val = validation == null ? null : () -> evaluateLogs(validation);
        return new FitLoop(this).run(source, train.batchesPerEpoch(), val, options);
    }

    /** Keras' {@code evaluate} on a dataset's batches (epoch 0). */
    public Map<String, Double> evaluate(dev.panamax.data.Batches data) {
        checkCompiled("evaluate");
        return evaluateLogs(data);
    }

    private Map<String, Double> evaluateLogs(dev.panamax.data.Batches data) {
        List<FloatArray> xs = new ArrayList<>();
        List<FloatArray> ys = new ArrayList<>();
        try (dev.panamax.data.BatchIterator it = data.epoch(0)) {
            while (it.hasNext()) {
                dev.panamax.data.Batch b = it.next();
                xs.add(b.x());
                ys.add(b.y());
            }
        }
        if (xs.isEmpty()) throw new IllegalArgumentException("evaluate: the dataset has no batches");
        return evaluateLogs(List.of(concatRows(xs)), List.of(concatRows(ys)), xs.get(0).rows());
    }

    private static FloatArray concatRows(List<FloatArray> parts) {
        int rows = parts.stream().mapToInt(FloatArray::rows).sum();
        float[] data = new float[Math.toIntExact((long) rows * parts.get(0).rowSize())];
        int offset = 0;
        for (FloatArray p : parts) {
            System.arraycopy(p.data(), 0, data, offset, p.data().length);
            offset += p.data().length;
        }
        return new FloatArray(data, parts.get(0).shape().withDim0(rows));
    }


    /**
     * One optimizer step on one batch (Keras' {@code train_on_batch}); updates the compiled metrics and
     * returns the batch loss (without regularization penalties).
     */
    public double trainStep(FloatArray x, FloatArray y) {
        return trainStep(List.of(x), List.of(y));
    }

    /** {@link #trainStep(FloatArray, FloatArray)} with one array per input and one target per output. */
    public double trainStep(List<FloatArray> x, List<FloatArray> y) {
        return trainBatch(x, y)[0];
    }

    /**
     * One step: the weighted total loss, then each output's loss; updates the compiled metrics. The
     * first step of each batch shape is recorded and later ones replay it ({@link TrainStepPlan})
     * unless the model runs eagerly.
     */
    double[] trainBatch(List<FloatArray> x, List<FloatArray> y) {
        // a recorded step exists only for a compiled model and batches that passed every check
        for (int i = 0, n = stepPlans.size(); i < n; i++) {
            TrainStepPlan plan = stepPlans.get(i);
            if (plan.matches(x, y)) return replayStep(plan, x, y);
        }
        checkCompiled("training");
        checkData("trainOnBatch", x, y);
        ensureBuilt(x);
        return recordStep(x, y);
    }

    private double[] replayStep(TrainStepPlan plan, List<FloatArray> x, List<FloatArray> y) {
        plan.run(x, y, optimizer.iterations());
        optimizer.apply(backend(), plan.trainable());
        double[] losses = new double[1 + compiled.outputCount()];
        losses[0] = plan.totalLoss();
        for (int o = 1; o < losses.length; o++) losses[o] = plan.outputLoss(o - 1);
        List<Metric> metrics = compiled.metrics();
        for (int i = 0, n = metrics.size(); i < n; i++) {
            int o = compiled.metricOutput(i);
            metrics.get(i).update(y.get(o), plan.prediction(o));
        }
        return losses;
    }

    /** Runs a step eagerly, recording it as a plan for later batches of its shapes when it can be replayed. */
    private double[] recordStep(List<FloatArray> x, List<FloatArray> y) {
        List<Parameter> params = trainableWeights();
        RecordedStep recorded = runEagerly || !replayable() ? null : new RecordedStep();
        MemoryScope step = MemoryScope.open("train step", stepMemory);
        boolean kept = false;
        try {
            for (Parameter p : params) p.zeroGrad();
            GradientTape tape = new GradientTape();
            Backend b = recorded == null ? backend() : new RecordingBackend(backend(), recorded);
            Ops ops = new Ops(b, step, tape, optimizer.iterations());
            List<Tensor> inputs = tensors(step, x);
            List<Tensor> targets = tensors(step, y);
            List<Var> predictions = call(inputs.stream().map(ops::constant).toList(), true);
            Var[] outputLosses = new Var[compiled.outputCount()];
            Var total = compiled.total(ops, predictions, targets, outputLosses);
            tape.backward(addRegularization(ops, total));
            optimizer.apply(backend(), params);
            double[] losses = new double[1 + compiled.outputCount()];
            losses[0] = total.value().getFloat(0);
            for (int o = 1; o < losses.length; o++) losses[o] = outputLosses[o - 1].value().getFloat(0);
            updateMetrics(compiled.metrics(), y, predictions);
            if (recorded != null && recorded.replayable()) {
                if (stepPlans.size() == MAX_STEP_PLANS) stepPlans.remove(0).close();
                stepPlans.add(new TrainStepPlan(step, recorded, inputs, targets, total, outputLosses, predictions,
                        weights(), params));
                kept = true;
            }
            return losses;
        } finally {
            if (!kept) step.close();
        }
    }

    /** Whether every layer and loss allows a recorded training step to be replayed. */
    private boolean replayable() {
        if (!compiled.replayable()) return false;
        for (Layer l : layers()) {
            if (!l.replayable()) return false;
        }
        return true;
    }

    /** How many recorded training steps this model holds (for tests). */
    int stepPlanCount() {
        return stepPlans.size();
    }

    /** Frees the recorded training steps (after compile, or when the model closes). */
    private void clearStepPlans() {
        for (TrainStepPlan plan : stepPlans) plan.close();
        stepPlans.clear();
    }

    /**
     * Keras' {@code run_eagerly}: when true, every training step builds its graph anew instead of
     * replaying the step recorded for its batch shape. Replay gives the same results (tested); eager
     * steps are for debugging and for custom layers that are not {@link Layer#replayable()}.
     */
    public Model setRunEagerly(boolean runEagerly) {
        this.runEagerly = runEagerly;
        if (runEagerly) clearStepPlans();
        return this;
    }

    public boolean runEagerly() {
        return runEagerly;
    }

    private void updateMetrics(List<Metric> metrics, List<FloatArray> y, List<Var> predictions) {
        if (metrics.isEmpty()) return;
        FloatArray[] outputs = new FloatArray[predictions.size()];
        for (int i = 0; i < metrics.size(); i++) {
            int o = compiled.metricOutput(i);
            if (outputs[o] == null) outputs[o] = toArray(predictions.get(o).value());
            metrics.get(i).update(y.get(o), outputs[o]);
        }
    }

    /** Keras' {@code train_on_batch}: one step, then the batch's loss and metrics. */
    public Map<String, Double> trainOnBatch(FloatArray x, FloatArray y) {
        return trainOnBatch(List.of(x), List.of(y));
    }

    public Map<String, Double> trainOnBatch(List<FloatArray> x, List<FloatArray> y) {
        checkCompiled("training");
        List<Metric> metrics = compiled.metrics();
        metrics.forEach(Metric::reset);
        double[] losses = trainBatch(x, y);
        Map<String, Double> logs = new LinkedHashMap<>();
        logs.put("loss", losses[0]);
        List<String> outputLossNames = compiled.outputLossNames();
        for (int o = 0; o < outputLossNames.size(); o++) logs.put(outputLossNames.get(o), losses[1 + o]);
        for (int i = 0; i < metrics.size(); i++) logs.put(compiled.metricName(i, metrics.get(i)), metrics.get(i).result());
        return logs;
    }

    /** Keras' {@code test_on_batch}: loss and metrics of one batch in inference mode. */
    public Map<String, Double> testOnBatch(FloatArray x, FloatArray y) {
        return testOnBatch(List.of(x), List.of(y));
    }

    public Map<String, Double> testOnBatch(List<FloatArray> x, List<FloatArray> y) {
        checkCompiled("testOnBatch");
        checkData("testOnBatch", x, y);
        return evaluateLogs(x, y, x.get(0).rows());
    }

    private Var addRegularization(Ops ops, Var lossValue) {
        Var total = lossValue;
        for (Layer layer : layers()) {
            for (Map.Entry<Parameter, Regularizer> e : layer.regularizers().entrySet()) {
                if (!e.getKey().trainable()) continue;
                Var w = ops.param(e.getKey());
                Regularizer r = e.getValue();
                if (r.l2() > 0) total = ops.add(total, ops.affine(ops.sum(ops.mul(w, w)), r.l2(), 0f));
                if (r.l1() > 0) {
                    Var abs = ops.add(ops.activation(Activation.RELU, 0f, w),
                            ops.activation(Activation.RELU, 0f, ops.affine(w, -1f, 0f)));
                    total = ops.add(total, ops.affine(ops.sum(abs), r.l1(), 0f));
                }
            }
        }
        return total;
    }

    // ---- inference ------------------------------------------------------------------------

    /** Keras' {@code evaluate}: loss and metrics over all rows, in inference mode. */
    public Map<String, Double> evaluate(FloatArray x, FloatArray y, int batchSize) {
        return evaluate(List.of(x), List.of(y), batchSize);
    }

    /** {@code evaluate} with one array per input and one target per output. */
    public Map<String, Double> evaluate(List<FloatArray> x, List<FloatArray> y, int batchSize) {
        checkCompiled("evaluate");
        checkBatchSize("evaluate", batchSize);
        checkData("evaluate", x, y);
        return evaluateLogs(x, y, batchSize);
    }

    private Map<String, Double> evaluateLogs(List<FloatArray> x, List<FloatArray> y, int batchSize) {
        return evaluateLogs(x, y, batchSize, 0, x.get(0).rows());
    }

    /** Loss and metrics over rows {@code [from, to)}, copying one batch at a time. */
    private Map<String, Double> evaluateLogs(List<FloatArray> x, List<FloatArray> y, int batchSize, int from, int to) {
        ensureBuilt(x);
        List<Metric> metrics = compiled.metrics();
        List<Metric> fresh = metrics.stream().map(Metric::copy).toList();
        double[] lossSums = new double[compiled.outputCount()];
        int n = to - from;
        for (int start = from; start < to; start += batchSize) {
            int count = Math.min(batchSize, to - start);
            List<FloatArray> xb = rows(x, start, count);
            List<FloatArray> yb = rows(y, start, count);
            try (MemoryScope step = MemoryScope.open("evaluate", stepMemory)) {
                Ops ops = new Ops(backend(), step, null);
                List<Var> predictions = call(constants(ops, step, xb), false);
                double[] perOutput = new double[lossSums.length];
                compiled.total(ops, predictions, tensors(step, yb), perOutput);
                for (int o = 0; o < lossSums.length; o++) lossSums[o] += perOutput[o] * count;
                updateMetrics(fresh, yb, predictions);
            }
        }
        for (int o = 0; o < lossSums.length; o++) lossSums[o] /= n;
        Map<String, Double> logs = new LinkedHashMap<>();
        logs.put("loss", compiled.total(lossSums));
        List<String> outputLossNames = compiled.outputLossNames();
        for (int o = 0; o < outputLossNames.size(); o++) logs.put(outputLossNames.get(o), lossSums[o]);
        for (int i = 0; i < fresh.size(); i++) logs.put(compiled.metricName(i, fresh.get(i)), fresh.get(i).result());
        return logs;
    }

    /** Keras' {@code predict} for a single-output model: outputs for every row, in batches; thread-safe. */
    public FloatArray predict(FloatArray x, int batchSize) {
        int outputs = outputNames().size();
        if (outputs != 1) {
            throw new IllegalArgumentException("predict: model '" + name + "' has " + outputs + " outputs "
                    + outputNames() + "; use predict(List.of(x), batchSize) for all of them");
        }
        return predict(List.of(Objects.requireNonNull(x, "predict: x")), batchSize).get(0);
    }

    /**
     * Keras' {@code predict} with one array per input: one array per output, for every row, in
     * batches; safe to call from many threads at once.
     */
    public List<FloatArray> predict(List<FloatArray> x, int batchSize) {
        checkBatchSize("predict", batchSize);
        checkInputs("predict", x);
        synchronized (this) {
            ensureBuilt(x);
        }
        int n = x.get(0).rows();
        List<Shape> shapes = outputShapes();
        float[][] out = new float[shapes.size()][];
        for (int o = 0; o < out.length; o++) out[o] = new float[Math.toIntExact(n * shapes.get(o).size())];
        for (int start = 0; start < n; start += batchSize) {
            int count = Math.min(batchSize, n - start);
            try (MemoryScope step = MemoryScope.open("predict", stepMemory)) {
                Ops ops = new Ops(backend(), step, null);
                List<Var> predictions = call(constants(ops, step, rows(x, start, count)), false);
                for (int o = 0; o < out.length; o++) {
                    long outRow = shapes.get(o).size();
                    Tensor value = predictions.get(o).value();
                    value.reshape(value.size()).segment().asByteBuffer().order(java.nio.ByteOrder.nativeOrder())
                            .asFloatBuffer().get(out[o], Math.toIntExact(start * outRow),
                                    Math.toIntExact(count * outRow));
                }
            }
        }
        List<FloatArray> result = new ArrayList<>();
        for (int o = 0; o < out.length; o++) {
            result.add(new FloatArray(out[o], Shape.of(LayerShapes.batched(n, shapes.get(o)))));
        }
        return result;
    }

    // ---- helpers --------------------------------------------------------------------------

    private static void checkBatchSize(String op, int batchSize) {
        if (batchSize < 1) throw new IllegalArgumentException(op + ": batch_size must be >= 1. Received: " + batchSize);
    }

    /** Non-empty inputs with equal rows. */
    private static void checkInputs(String op, List<FloatArray> x) {
        Objects.requireNonNull(x, op + ": x");
        if (x.isEmpty()) throw new IllegalArgumentException(op + ": x holds no arrays");
        for (int i = 0; i < x.size(); i++) {
            Objects.requireNonNull(x.get(i), op + ": x[" + i + "]");
            if (x.get(i).rows() != x.get(0).rows()) {
                throw new IllegalArgumentException(op + ": x[" + i + "] has " + x.get(i).rows() + " rows "
                        + x.get(i).shape() + " but x[0] has " + x.get(0).rows() + " " + x.get(0).shape());
            }
        }
    }

    /** Inputs and one target per output, all with the same rows. */
    private void checkData(String op, List<FloatArray> x, List<FloatArray> y) {
        checkInputs(op, x);
        Objects.requireNonNull(y, op + ": y");
        int outputs = outputNames().size();
        if (y.size() != outputs) {
            throw new IllegalArgumentException(op + ": model '" + name + "' has " + outputs + " output(s) "
                    + outputNames() + " but " + y.size() + " target arrays were given");
        }
        for (int i = 0; i < y.size(); i++) {
            Objects.requireNonNull(y.get(i), op + ": y[" + i + "]");
            if (y.get(i).rows() != x.get(0).rows()) {
                String yName = y.size() == 1 ? "y" : "y[" + i + "]";
                String xName = x.size() == 1 ? "x" : "x[0]";
                throw new IllegalArgumentException(op + ": " + xName + " has " + x.get(0).rows() + " rows "
                        + x.get(0).shape() + " but " + yName + " has " + y.get(i).rows() + " " + y.get(i).shape());
            }
        }
    }

    private static List<FloatArray> rows(List<FloatArray> arrays, int start, int count) {
        return arrays.stream().map(a -> a.rows(start, count)).toList();
    }

    private static List<FloatArray> gather(List<FloatArray> arrays, int[] idx) {
        return arrays.stream().map(a -> a.gather(idx)).toList();
    }

    private static List<Var> constants(Ops ops, MemoryScope scope, List<FloatArray> arrays) {
        return arrays.stream().map(a -> ops.constant(toTensor(scope, a))).toList();
    }

    private static List<Tensor> tensors(MemoryScope scope, List<FloatArray> arrays) {
        return arrays.stream().map(a -> toTensor(scope, a)).toList();
    }

    static Tensor toTensor(MemoryScope scope, FloatArray a) {
        return Tensor.of(scope, a.data(), a.shape().dims());
    }

    static FloatArray toArray(Tensor t) {
        return new FloatArray(t.toFloatArray(), t.shape());
    }

    // ---- persistence (see ModelFile) -------------------------------------------------------

    /** Saves architecture, weights and optimizer state to one safetensors file, atomically. */
    public void save(java.nio.file.Path file) throws java.io.IOException {
        ModelFile.save(this, file);
    }

    /** Loads a model saved with {@link #save}: same architecture and weights, not compiled. */
    public static Model load(java.nio.file.Path file) throws java.io.IOException {
        return ModelFile.load(file);
    }

    /** As {@link #load(java.nio.file.Path)}, on the backend called {@code backendName}. */
    public static Model load(java.nio.file.Path file, String backendName) throws java.io.IOException {
        return ModelFile.load(file, dev.panamax.backend.Backends.get(backendName));
    }

    public void saveWeights(java.nio.file.Path file) throws java.io.IOException {
        ModelFile.saveWeights(this, file);
    }

    /** Loads weights by name; strict requires the same names on both sides (see {@link ModelFile#loadWeights}). */
    public ModelFile.LoadReport loadWeights(java.nio.file.Path file, boolean strict) throws java.io.IOException {
        return ModelFile.loadWeights(this, file, strict);
    }

    /** Frees the weights and optimizer state. The model cannot be used afterwards. */
    @Override
    public void close() {
        clearStepPlans();
        stepMemory.close();
        if (weightScope != null) weightScope.close();
    }

    /** The scope holding the weights (for loaders that add tensors living as long as the model). */
    protected MemoryScope weightScope() {
        return weightScope;
    }
}
