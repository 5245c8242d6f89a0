package dev.panamax.training;

import dev.panamax.autograd.Parameter;
import dev.panamax.backend.Backend;
import dev.panamax.backend.BinaryOp;
import dev.panamax.backend.ReduceOp;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Updates parameters from their gradients, as Keras' optimizers do. A step ({@link #apply}) first
 * clips the gradients ({@code clipnorm}, {@code global_clipnorm} or {@code clipvalue}), then
 * applies the decoupled weight decay {@code p -= lr·weight_decay·p} and the optimizer's own
 * update, fused into one backend kernel per parameter where the backend has one.
 *
 * <p>Slot state (momentum, moments) is made on first use in the parameter's own scope, so it lives
 * as long as the model. {@link #iterations()} counts applied steps, as Keras'
 * {@code optimizer.iterations}; the learning rate of a step is the schedule at the step count
 * before it (0 for the first step).
 *
 * <p>The arguments Keras gives every optimizer are set with fluent setters before training, e.g.
 * {@code new Adam(1e-3).clipnorm(1.0)}; each returns this optimizer.
 */
public abstract class Optimizer {
    private final Map<Parameter, Tensor[]> slots = new IdentityHashMap<>();
    /** The parameters one {@link #apply} updates (kept to avoid a new list per step). */
    private final List<Parameter> live = new ArrayList<>();
    private final StepScratch scratch = new StepScratch();
    private LearningRateSchedule schedule;
    private boolean scheduled;
    private long iterations;
    private float weightDecay;
    private float clipnorm;
    private float globalClipnorm;
    private float clipvalue;

    /** An optimizer whose learning rate follows {@code schedule} (and cannot be set to a constant). */
    protected Optimizer(LearningRateSchedule schedule) {
        this.schedule = Objects.requireNonNull(schedule, "learning_rate schedule");
        this.scheduled = true;
    }

    protected Optimizer(double learningRate) {
        checkRate(getClass().getSimpleName(), learningRate);
        this.schedule = LearningRateSchedule.constant(learningRate);
    }

    /** Keras' name, e.g. {@code adam}. */
    public abstract String name();

    // ---- learning rate --------------------------------------------------------------------

    /** The learning rate for the next step. */
    public float learningRate() {
        return schedule.rate(iterations);
    }

    /**
     * Replaces the learning rate by a constant (what ReduceLROnPlateau and LearningRateScheduler do).
     *
     * @throws IllegalStateException when the rate follows a schedule, as in Keras
     */
    public void setLearningRate(double learningRate) {
        if (scheduled) {
            throw new IllegalStateException(name() + ": this optimizer was created with a LearningRateSchedule, hence"
                    + " its learning rate is not settable; create it with a constant learning_rate instead");
        }
        checkRate(name(), learningRate);
        this.schedule = LearningRateSchedule.constant(learningRate);
    }

    /** Makes the learning rate follow {@code schedule} (of the step count) from now on. */
    public void setSchedule(LearningRateSchedule schedule) {
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.scheduled = true;
    }

    /** The learning rate as a function of the step count. */
    public LearningRateSchedule schedule() {
        return schedule;
    }

    public long iterations() {
        return iterations;
    }

    /** For resuming from a checkpoint. */
    public void setIterations(long iterations) {
        if (iterations < 0) {
            throw new IllegalArgumentException(name() + ": iterations must be >= 0. Received: iterations="
                    + iterations);
        }
        this.iterations = iterations;
    }

    // ---- arguments every optimizer takes --------------------------------------------------

    /** Decoupled weight decay: {@code p -= lr·weightDecay·p} before each update (0: none, Keras' None). */
    public Optimizer weightDecay(double weightDecay) {
        this.weightDecay = nonNegative("weight_decay", weightDecay);
        return this;
    }

    public float weightDecay() {
        return weightDecay;
    }

    /** Clips each parameter's gradient to this L2 norm: {@code g·clipnorm / max(‖g‖, clipnorm)} (0: off). */
    public Optimizer clipnorm(double clipnorm) {
        float v = nonNegative("clipnorm", clipnorm);
        checkOneClip(v, globalClipnorm, clipvalue);
        this.clipnorm = v;
        return this;
    }

    public float clipnorm() {
        return clipnorm;
    }

    /**
     * Scales all gradients together so that their joint L2 norm is at most this:
     * {@code g·clipnorm / max(‖all g‖, clipnorm)} (0: off).
     */
    public Optimizer globalClipnorm(double globalClipnorm) {
        float v = nonNegative("global_clipnorm", globalClipnorm);
        checkOneClip(clipnorm, v, clipvalue);
        this.globalClipnorm = v;
        return this;
    }

    public float globalClipnorm() {
        return globalClipnorm;
    }

    /** Clips every gradient element to {@code [-clipvalue, clipvalue]} (0: off). */
    public Optimizer clipvalue(double clipvalue) {
        float v = nonNegative("clipvalue", clipvalue);
        checkOneClip(clipnorm, globalClipnorm, v);
        this.clipvalue = v;
        return this;
    }

    public float clipvalue() {
        return clipvalue;
    }

    private float nonNegative(String argument, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name() + ": " + argument + " must be a finite number >= 0. Received: "
                    + argument + "=" + value);
        }
        return (float) value;
    }

    private void checkOneClip(float norm, float global, float value) {
        int set = (norm > 0 ? 1 : 0) + (global > 0 ? 1 : 0) + (value > 0 ? 1 : 0);
        if (set > 1) {
            throw new IllegalArgumentException(name() + ": only one of clipnorm, clipvalue and global_clipnorm can be"
                    + " set. Received: clipnorm=" + norm + ", clipvalue=" + value + ", global_clipnorm=" + global);
        }
    }

    // ---- the step -------------------------------------------------------------------------

    /**
     * One step over {@code params} (their gradients as accumulated); frozen ones and ones no gradient
     * reached are skipped. Clipping rewrites the accumulated gradients in place: the step consumes them.
     */
    public void apply(Backend backend, List<Parameter> params) {
        float lr = learningRate();
        iterations++;
        // index loops and a reused list: a training step should make no garbage here
        List<Parameter> live = this.live;
        live.clear();
        long largest = 0;
        for (int i = 0, n = params.size(); i < n; i++) {
            Parameter p = params.get(i);
            if (!p.trainable() || !p.hasGrad()) continue;
            live.add(p);
            largest = Math.max(largest, p.shape().size());
        }
        if (live.isEmpty()) return;
        boolean clipping = clipnorm > 0 || globalClipnorm > 0 || clipvalue > 0;
        int buffers = Math.max(scratchBuffers(), clipping ? 1 : 0);
        if (buffers > 0) scratch.reserve(live.get(0).value().scope(), buffers, largest);
        if (clipping) clipGradients(backend, live);
        for (int i = 0, n = live.size(); i < n; i++) {
            Parameter p = live.get(i);
            Tensor[] state = slots.get(p);
            if (state == null) {
                state = createSlots(p);
                slots.put(p, state);
            }
            update(backend, p, p.grad(), state, lr, weightDecay, iterations);
            p.markModified();
        }
        live.clear();
    }

    private void clipGradients(Backend backend, List<Parameter> live) {
        if (clipnorm > 0) {
            for (Parameter p : live) {
                double norm = Math.sqrt(squaredNorm(backend, p.grad()));
                scale(backend, p.grad(), clipnorm / Math.max(norm, clipnorm));
            }
        } else if (globalClipnorm > 0) {
            double sum = 0;
            for (Parameter p : live) sum += squaredNorm(backend, p.grad());
            // NaN or infinite norms make every gradient NaN, as in Keras, rather than passing through unclipped
            double norm = Math.sqrt(sum);
            double factor = Double.isFinite(norm) ? globalClipnorm / Math.max(norm, globalClipnorm) : Double.NaN;
            for (Parameter p : live) scale(backend, p.grad(), factor);
        } else {
            Tensor hi = scratch.scalar(0);
            Tensor lo = scratch.scalar(1);
            hi.setFloat(clipvalue, 0);
            lo.setFloat(-clipvalue, 0);
            for (Parameter p : live) {
                backend.binary(BinaryOp.MIN, p.grad(), hi, p.grad());
                backend.binary(BinaryOp.MAX, p.grad(), lo, p.grad());
            }
        }
    }

    /** Σ g² on the backend: squares into a scratch buffer, then one reduction. */
    private double squaredNorm(Backend backend, Tensor g) {
        Tensor squares = scratch.buffer(0, Shape.of(g.size()));
        backend.binary(BinaryOp.MUL, g.reshape(g.size()), g.reshape(g.size()), squares);
        Tensor sum = scratch.scalar(0);
        backend.reduce(ReduceOp.SUM, squares, new int[] {0}, sum);
        return sum.getFloat(0);
    }

    private static void scale(Backend backend, Tensor g, double factor) {
        if (factor != 1.0) backend.affine(g, (float) factor, 0f, g);
    }

    /** The state this optimizer keeps for {@code p} (e.g. Adam's m and v), made on p's first step. */
    protected abstract Tensor[] createSlots(Parameter p);

    /**
     * Updates {@code p} in place from {@code grad}: first the decoupled weight decay
     * {@code p -= learningRate·weightDecay·p}, then this optimizer's rule. {@link #apply} marks p
     * modified afterwards.
     *
     * @param step the 1-based number of this step
     */
    protected abstract void update(Backend backend, Parameter p, Tensor grad, Tensor[] slots, float learningRate,
                                   float weightDecay, long step);

    /** How many parameter-sized scratch buffers {@link #update} uses ({@link #scratch}); 0 by default. */
    protected int scratchBuffers() {
        return 0;
    }

    /** Scratch buffer {@code index} (below {@link #scratchBuffers()}) viewed as {@code shape}, during update. */
    protected final Tensor scratch(int index, Shape shape) {
        return scratch.buffer(index, shape);
    }

    /** The slot tensors of {@code p}, made (zeroed) if this optimizer has not updated it yet. */
    public Tensor[] slotsFor(Parameter p) {
        return slots.computeIfAbsent(p, this::createSlots);
    }

    /** Slot tensors by parameter, for saving optimizer state. */
    public Map<Parameter, Tensor[]> slots() {
        return slots;
    }

    protected static Tensor zerosLike(Parameter p) {
        return Tensor.zeros(p.value().scope(), p.value().dtype(), p.shape());
    }

    protected static void checkRate(String optimizer, double learningRate) {
        if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException(optimizer + ": learning_rate must be a finite number >= 0. Received: "
                    + "learning_rate=" + learningRate);
        }
    }
}
