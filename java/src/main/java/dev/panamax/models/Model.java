package dev.panamax.models;

import dev.panamax.autograd.GradientTape;
import dev.panamax.autograd.Ops;
import dev.panamax.autograd.Parameter;
import dev.panamax.autograd.Var;
import dev.panamax.backend.Activation;
import dev.panamax.backend.Backend;
import dev.panamax.data.FloatArray;
import dev.panamax.layers.Layer;
import dev.panamax.layers.Regularizer;
import dev.panamax.tensor.MemoryPool;
import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;
import dev.panamax.training.Callback;
import dev.panamax.training.FitOptions;
import dev.panamax.training.History;
import dev.panamax.training.Loss;
import dev.panamax.training.Metric;
import dev.panamax.training.Metrics;
import dev.panamax.training.Optimizer;
import dev.panamax.training.ProgressBar;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A trainable model with Keras' workflow: {@code compile}, {@code fit}, {@code evaluate},
 * {@code predict}, {@code summary}. Weights and optimizer state live in the model's own memory
 * scope until {@link #close()}; everything made for one batch lives in that batch's scope.
 *
 * <p>Subclasses ({@link Sequential}, {@link Functional}) define the graph: how layers are built
 * and called. The model runs on one backend ({@code native} when it loads, else {@code java};
 * choose with {@link #setBackend}).
 */
public abstract class Model implements AutoCloseable {
    private final String name;
    private Backend backend;
    private MemoryScope weightScope;
    private long seed;
    private Optimizer optimizer;
    private Loss loss;
    private List<Metric> metrics = List.of();
    private volatile boolean stopTraining;
    private PrintStream out = System.out;
    /** Recycled memory of train/evaluate/predict steps: steady state maps no new pages. */
    private final MemoryPool stepMemory;

    protected Model(String name) {
        this.name = Objects.requireNonNull(name, "name");
        this.stepMemory = new MemoryPool("steps of " + name);
    }

    public String name() {
        return name;
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

    /** Where fit's progress bar and evaluate's output go (standard output by default). */
    public Model setOutput(PrintStream out) {
        this.out = Objects.requireNonNull(out, "out");
        return this;
    }

    // ---- graph, defined by subclasses -----------------------------------------------------

    /** The layers, each once, in the order they are called. */
    public abstract List<Layer> layers();

    /** Per-example input shapes; known once built. */
    public abstract List<Shape> inputShapes();

    /** Per-example output shape; known once built. */
    public abstract Shape outputShape();

    /** Builds every layer for these per-example input shapes (weights in {@code scope}). */
    protected abstract void buildGraph(List<Shape> inputShapes, MemoryScope scope, long seed);

    /** Runs the graph on the batch inputs. */
    protected abstract Var forward(List<Var> inputs, boolean training);

    /** The summary rows of this model's layers. */
    protected abstract List<ModelSummary.Row> summaryRows();

    /** Builds now when the graph already declares its input shapes (a Sequential that starts with an Input). */
    protected void buildIfInputsDeclared() {
    }

    public boolean built() {
        return weightScope != null;
    }

    /** Builds the model for inputs of these per-example shapes (done by fit/predict when needed). */
    public void build(Shape... inputShapes) {
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

    private static String describe(List<Shape> shapes) {
        return shapes.stream().map(dev.panamax.layers.LayerShapes::withBatch).toList().toString();
    }

    private void ensureBuilt(FloatArray x) {
        if (!built()) build(x.rowShape());
        else if (inputShapes().size() == 1 && !x.rowShape().equals(inputShapes().get(0))) {
            throw new IllegalArgumentException("Model '" + name + "' expects inputs "
                    + describe(inputShapes()) + "; got an array of shape " + x.shape());
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

    /** Sets the optimizer, loss and metrics (by Keras name, e.g. {@code "accuracy"}). */
    public void compile(Optimizer optimizer, Loss loss, String... metrics) {
        List<Metric> list = new ArrayList<>();
        for (String m : metrics) list.add(Metrics.get(m));
        compile(optimizer, loss, list);
    }

    public void compile(Optimizer optimizer, Loss loss, List<Metric> metrics) {
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.loss = Objects.requireNonNull(loss, "loss");
        this.metrics = List.copyOf(metrics);
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    public Loss loss() {
        return loss;
    }

    public List<Metric> metrics() {
        return metrics;
    }

    private void checkCompiled(String what) {
        if (optimizer == null || loss == null) {
            throw new IllegalStateException("Model '" + name + "': call compile(optimizer, loss, metrics) before "
                    + what);
        }
    }

    /** Asks fit to stop after the current epoch (what EarlyStopping does). */
    public void stopTraining() {
        stopTraining = true;
    }

    // ---- training -------------------------------------------------------------------------

    /** Keras' {@code fit} on arrays; the validation split takes the last rows, before any shuffling. */
    public History fit(FloatArray x, FloatArray y, FitOptions options) {
        return fit(x, y, null, null, options);
    }

    /** {@code fit} with explicit validation data (either may be null). */
    public History fit(FloatArray x, FloatArray y, FloatArray xVal, FloatArray yVal, FitOptions options) {
        checkCompiled("fit");
        checkRows("fit", x, y);
        if (options.validationSplit() > 0 && xVal == null) {
            int valRows = (int) Math.floor(x.rows() * options.validationSplit());
            if (valRows < 1 || valRows >= x.rows()) {
                throw new IllegalArgumentException("fit: validation_split=" + options.validationSplit() + " of "
                        + x.rows() + " rows leaves no training or no validation data");
            }
            int trainRows = x.rows() - valRows;
            xVal = x.rows(trainRows, valRows);
            yVal = y.rows(trainRows, valRows);
            x = x.rows(0, trainRows);
            y = y.rows(0, trainRows);
        }
        ensureBuilt(x);
        final FloatArray xt = x;
        final FloatArray yt = y;
        int n = x.rows();
        int batch = options.batchSize();
        int steps = (n + batch - 1) / batch;
        BatchSource train = epoch -> {
            int[] order = order(n, options.shuffle(), options.seed(), epoch);
            return new java.util.Iterator<>() {
                int step;

                @Override
                public boolean hasNext() {
                    return step < steps;
                }

                @Override
                public FloatArray[] next() {
                    int start = step++ * batch;
                    int[] idx = java.util.Arrays.copyOfRange(order, start, Math.min(start + batch, n));
                    return new FloatArray[] {xt.gather(idx), yt.gather(idx)};
                }
            };
        };
        FloatArray xv = xVal;
        FloatArray yv = yVal;
        return runFit(train, steps, xv == null ? null : () -> evaluateLogs(xv, yv, batch), options);
    }

    /** Batches of one epoch, each {@code {x, y}}. */
    @FunctionalInterface
    protected interface BatchSource {
        java.util.Iterator<FloatArray[]> epoch(int epoch);
    }

    /** The training loop shared by every {@code fit}: epochs, batches, callbacks, validation, History. */
    protected History runFit(BatchSource train, int steps, java.util.function.Supplier<Map<String, Double>> validation,
                             FitOptions options) {
        List<Callback> callbacks = new ArrayList<>(options.callbacks());
        if (options.verbose() > 0) {
            callbacks.add(new ProgressBar(out, options.epochs(), steps, ProgressBar.stdoutIsTerminal()
                    && out == System.out, options.verbose()));
        }
        for (Callback c : callbacks) c.setModel(this);
        History history = new History();
        stopTraining = false;
        Map<String, Double> logs = new LinkedHashMap<>();
        for (Callback c : callbacks) c.onTrainBegin(logs);
        for (int epoch = options.initialEpoch(); epoch < options.epochs() && !stopTraining; epoch++) {
            for (Callback c : callbacks) c.onEpochBegin(epoch, logs);
            metrics.forEach(Metric::reset);
            double lossSum = 0;
            long seen = 0;
            var it = train.epoch(epoch);
            int step = 0;
            while (it.hasNext()) {
                FloatArray[] b = it.next();
                for (Callback c : callbacks) c.onTrainBatchBegin(step, logs);
                double batchLoss = trainStep(b[0], b[1]);
                lossSum += batchLoss * b[0].rows();
                seen += b[0].rows();
                logs = new LinkedHashMap<>();
                logs.put("loss", lossSum / seen);
                for (Metric m : metrics) logs.put(m.name(), m.result());
                for (Callback c : callbacks) c.onTrainBatchEnd(step, logs);
                step++;
            }
            if (validation != null) {
                Map<String, Double> val = validation.get();
                for (var e : val.entrySet()) logs.put("val_" + e.getKey(), e.getValue());
            }
            history.record(epoch, logs);
            for (Callback c : callbacks) c.onEpochEnd(epoch, logs);
        }
        for (Callback c : callbacks) c.onTrainEnd(logs);
        return history;
    }

    private static int[] order(int n, boolean shuffle, long seed, int epoch) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        if (shuffle) {
            SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
            for (int i = n - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        return order;
    }

    /**
     * One optimizer step on one batch (Keras' {@code train_on_batch}); updates the compiled metrics and
     * returns the batch loss (without regularization penalties).
     */
    public double trainStep(FloatArray x, FloatArray y) {
        checkCompiled("training");
        checkRows("trainOnBatch", x, y);
        ensureBuilt(x);
        List<Parameter> params = trainableWeights();
        try (MemoryScope step = MemoryScope.open("train step", stepMemory)) {
            for (Parameter p : params) p.zeroGrad();
            GradientTape tape = new GradientTape();
            Ops ops = new Ops(backend(), step, tape);
            Var pred = forward(List.of(ops.constant(toTensor(step, x))), true);
            Var lossValue = loss.compute(pred, toTensor(step, y));
            Var total = addRegularization(ops, lossValue);
            tape.backward(total);
            optimizer.apply(backend(), params);
            double value = lossValue.value().getFloat(0);
            if (!metrics.isEmpty()) {
                FloatArray p = toArray(pred.value());
                for (Metric m : metrics) m.update(y, p);
            }
            return value;
        }
    }

    /** Keras' {@code train_on_batch}: one step, then the batch's loss and metrics. */
    public Map<String, Double> trainOnBatch(FloatArray x, FloatArray y) {
        metrics.forEach(Metric::reset);
        double l = trainStep(x, y);
        Map<String, Double> logs = new LinkedHashMap<>();
        logs.put("loss", l);
        for (Metric m : metrics) logs.put(m.name(), m.result());
        return logs;
    }

    /** Keras' {@code test_on_batch}: loss and metrics of one batch in inference mode. */
    public Map<String, Double> testOnBatch(FloatArray x, FloatArray y) {
        return evaluateLogs(x, y, x.rows());
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
        checkCompiled("evaluate");
        return evaluateLogs(x, y, batchSize);
    }

    private Map<String, Double> evaluateLogs(FloatArray x, FloatArray y, int batchSize) {
        checkRows("evaluate", x, y);
        ensureBuilt(x);
        List<Metric> fresh = metrics.stream().map(m -> Metrics.get(m.name())).toList();
        double lossSum = 0;
        int n = x.rows();
        for (int start = 0; start < n; start += batchSize) {
            int count = Math.min(batchSize, n - start);
            FloatArray xb = x.rows(start, count);
            FloatArray yb = y.rows(start, count);
            try (MemoryScope step = MemoryScope.open("evaluate", stepMemory)) {
                Ops ops = new Ops(backend(), step, null);
                Var pred = forward(List.of(ops.constant(toTensor(step, xb))), false);
                lossSum += loss.compute(pred, toTensor(step, yb)).value().getFloat(0) * count;
                FloatArray p = toArray(pred.value());
                for (Metric m : fresh) m.update(yb, p);
            }
        }
        Map<String, Double> logs = new LinkedHashMap<>();
        logs.put("loss", lossSum / n);
        for (Metric m : fresh) logs.put(m.name(), m.result());
        return logs;
    }

    /** Keras' {@code predict}: outputs for every row, in batches; safe to call from many threads at once. */
    public FloatArray predict(FloatArray x, int batchSize) {
        if (batchSize < 1) throw new IllegalArgumentException("predict: batch_size must be >= 1. Received: " + batchSize);
        synchronized (this) {
            ensureBuilt(x);
        }
        int n = x.rows();
        long outRow = outputShape().size();
        float[] out = new float[Math.toIntExact(n * outRow)];
        for (int start = 0; start < n; start += batchSize) {
            int count = Math.min(batchSize, n - start);
            try (MemoryScope step = MemoryScope.open("predict", stepMemory)) {
                Ops ops = new Ops(backend(), step, null);
                Var pred = forward(List.of(ops.constant(toTensor(step, x.rows(start, count)))), false);
                pred.value().reshape(pred.value().size()).segment()
                        .asByteBuffer().order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer()
                        .get(out, Math.toIntExact(start * outRow), Math.toIntExact(count * outRow));
            }
        }
        return new FloatArray(out, Shape.of(dev.panamax.layers.LayerShapes.batched(n, outputShape())));
    }

    // ---- helpers --------------------------------------------------------------------------

    private static void checkRows(String op, FloatArray x, FloatArray y) {
        Objects.requireNonNull(x, op + ": x");
        Objects.requireNonNull(y, op + ": y");
        if (x.rows() != y.rows()) {
            throw new IllegalArgumentException(op + ": x has " + x.rows() + " rows " + x.shape() + " but y has "
                    + y.rows() + " " + y.shape());
        }
    }

    static Tensor toTensor(MemoryScope scope, FloatArray a) {
        return Tensor.of(scope, a.data(), a.shape().dims());
    }

    static FloatArray toArray(Tensor t) {
        return new FloatArray(t.toFloatArray(), t.shape());
    }

    /** Frees the weights and optimizer state. The model cannot be used afterwards. */
    @Override
    public void close() {
        stepMemory.close();
        if (weightScope != null) weightScope.close();
    }

    /** The scope holding the weights (for loaders that add tensors living as long as the model). */
    protected MemoryScope weightScope() {
        return weightScope;
    }
}
