package dev.panamax.layers;

import dev.panamax.autograd.Ops;
import dev.panamax.autograd.Parameter;
import dev.panamax.autograd.Var;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;
import java.util.Map;
import java.util.function.Function;

/**
 * What Keras' normalization layers share: {@code gamma · (x - mean) / sqrt(variance + epsilon) + beta}
 * over the last axis, with an optional learned scale gamma and offset beta per feature. A subclass
 * says where the mean and variance come from.
 *
 * @param <T> the concrete layer, which the fluent setters return
 */
abstract class BaseNormalization<T extends BaseNormalization<T>> extends Layer {
    private final String normalizedAxis;
    private int axis = -1;
    private float epsilon = 1e-3f;
    private boolean center = true;
    private boolean scale = true;
    private Initializer betaInitializer = Initializer.ZEROS;
    private Initializer gammaInitializer = Initializer.ONES;
    private Regularizer betaRegularizer;
    private Regularizer gammaRegularizer;
    private Parameter gamma;
    private Parameter beta;

    /** @param normalizedAxis how shape errors name the one axis this layer normalizes, e.g. "last axis" */
    BaseNormalization(String name, String normalizedAxis) {
        super(name);
        this.normalizedAxis = normalizedAxis;
    }

    /**
     * A layer made from its name and the config keys every normalization shares; the caller applies
     * its own keys and {@link LayerConfigs#common}.
     */
    static <L extends BaseNormalization<L>> L fromBaseConfig(Map<String, Object> c, Function<String, L> constructor) {
        L layer = constructor.apply(LayerConfigs.string(c, "name", null));
        return layer.axis(LayerConfigs.intValue(c, "axis", -1))
                .epsilon(LayerConfigs.floatValue(c, "epsilon", 1e-3f))
                .center(LayerConfigs.bool(c, "center", true))
                .scale(LayerConfigs.bool(c, "scale", true))
                .betaInitializer(Initializer.fromKerasName(LayerConfigs.string(c, "beta_initializer", "zeros")))
                .gammaInitializer(Initializer.fromKerasName(LayerConfigs.string(c, "gamma_initializer", "ones")))
                .betaRegularizer(LayerConfigs.regularizer(c.get("beta_regularizer")))
                .gammaRegularizer(LayerConfigs.regularizer(c.get("gamma_regularizer")));
    }

    // Sound: the only subclasses are declared as `X extends BaseNormalization<X>`.
    @SuppressWarnings("unchecked")
    private T self() {
        return (T) this;
    }

    /** The normalized axis of the full input shape (batch included): -1 or the last one's index. */
    public T axis(int axis) {
        checkNotBuilt();
        this.axis = axis;
        return self();
    }

    public T epsilon(double epsilon) {
        checkNotBuilt();
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException(typeName() + ": `epsilon` must be a positive number. Received:"
                    + " epsilon=" + epsilon);
        }
        this.epsilon = (float) epsilon;
        return self();
    }

    /** Whether to add the learned offset beta. */
    public T center(boolean center) {
        checkNotBuilt();
        this.center = center;
        return self();
    }

    /** Whether to multiply by the learned scale gamma. */
    public T scale(boolean scale) {
        checkNotBuilt();
        this.scale = scale;
        return self();
    }

    public T betaInitializer(Initializer initializer) {
        checkNotBuilt();
        this.betaInitializer = initializer;
        return self();
    }

    public T gammaInitializer(Initializer initializer) {
        checkNotBuilt();
        this.gammaInitializer = initializer;
        return self();
    }

    public T betaRegularizer(Regularizer regularizer) {
        checkNotBuilt();
        this.betaRegularizer = regularizer;
        return self();
    }

    public T gammaRegularizer(Regularizer regularizer) {
        checkNotBuilt();
        this.gammaRegularizer = regularizer;
        return self();
    }

    public float epsilon() {
        return epsilon;
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        if (inputShape.rank() < 1) throw shapeError("expects inputs of rank >= 2 (with the batch)", inputShape);
        if (axis != -1 && axis != inputShape.rank()) {
            throw shapeError("only the " + normalizedAxis + " can be normalized. Received: axis=" + axis, inputShape);
        }
        return inputShape;
    }

    /** Adds gamma and beta, one per feature of the last axis, as {@code scale} and {@code center} ask. */
    @Override
    protected void build(Shape inputShape) {
        Shape features = Shape.of(inputShape.dim(-1));
        if (scale) gamma = addWeight("gamma", features, gammaInitializer, gammaRegularizer, true);
        if (center) beta = addWeight("beta", features, betaInitializer, betaRegularizer, true);
    }

    /** Gamma, or a constant of ones for a layer that does not scale. */
    final Var gamma(Ops ops, Shape features) {
        return gamma != null ? ops.param(gamma) : ops.constant(filled(ops, features, 1f));
    }

    /** Beta, or a constant of zeros for a layer that does not center. */
    final Var beta(Ops ops, Shape features) {
        return beta != null ? ops.param(beta) : ops.constant(filled(ops, features, 0f));
    }

    private static Tensor filled(Ops ops, Shape shape, float value) {
        Tensor t = ops.allocate(shape);
        if (value != 0f) t.fill(value);
        return t;
    }

    /** The shared keys; subclasses add their own after them. */
    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("axis", axis);
        c.put("epsilon", (double) epsilon);
        c.put("center", center);
        c.put("scale", scale);
        c.put("beta_initializer", betaInitializer.kerasName());
        c.put("gamma_initializer", gammaInitializer.kerasName());
        c.put("beta_regularizer", LayerConfigs.regularizer(betaRegularizer));
        c.put("gamma_regularizer", LayerConfigs.regularizer(gammaRegularizer));
        return c;
    }
}
