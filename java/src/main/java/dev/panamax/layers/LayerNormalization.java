package dev.panamax.layers;

import dev.panamax.autograd.Ops;
import dev.panamax.autograd.Parameter;
import dev.panamax.autograd.Var;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;
import java.util.Map;

/**
 * Keras' {@code LayerNormalization} over the last axis of each example:
 * {@code gamma · (x - mean) / sqrt(variance + epsilon) + beta} with the mean and biased variance of
 * that axis. Same in training and inference; epsilon 1e-3 as in Keras.
 */
public class LayerNormalization extends Layer {
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

    public LayerNormalization() {
        this(null);
    }

    public LayerNormalization(String name) {
        super(name);
    }

    /** The normalized axis of the full input shape (batch included): -1 or the last one's index. */
    public LayerNormalization axis(int axis) {
        checkNotBuilt();
        this.axis = axis;
        return this;
    }

    public LayerNormalization epsilon(double epsilon) {
        checkNotBuilt();
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("LayerNormalization: `epsilon` must be a positive number. Received:"
                    + " epsilon=" + epsilon);
        }
        this.epsilon = (float) epsilon;
        return this;
    }

    public LayerNormalization center(boolean center) {
        checkNotBuilt();
        this.center = center;
        return this;
    }

    public LayerNormalization scale(boolean scale) {
        checkNotBuilt();
        this.scale = scale;
        return this;
    }

    public LayerNormalization betaInitializer(Initializer initializer) {
        checkNotBuilt();
        this.betaInitializer = initializer;
        return this;
    }

    public LayerNormalization gammaInitializer(Initializer initializer) {
        checkNotBuilt();
        this.gammaInitializer = initializer;
        return this;
    }

    public LayerNormalization betaRegularizer(Regularizer regularizer) {
        checkNotBuilt();
        this.betaRegularizer = regularizer;
        return this;
    }

    public LayerNormalization gammaRegularizer(Regularizer regularizer) {
        checkNotBuilt();
        this.gammaRegularizer = regularizer;
        return this;
    }

    private void checkNotBuilt() {
        if (built()) throw new IllegalStateException("Layer '" + name() + "' is built; configure it before use");
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        if (inputShape.rank() < 1) throw shapeError("expects inputs of rank >= 2 (with the batch)", inputShape);
        if (axis != -1 && axis != inputShape.rank()) {
            throw shapeError("only the last axis can be normalized. Received: axis=" + axis, inputShape);
        }
        return inputShape;
    }

    @Override
    protected void build(Shape inputShape) {
        Shape features = Shape.of(inputShape.dim(-1));
        if (scale) gamma = addWeight("gamma", features, gammaInitializer, gammaRegularizer, true);
        if (center) beta = addWeight("beta", features, betaInitializer, betaRegularizer, true);
    }

    @Override
    public Var call(Var input, boolean training) {
        Ops ops = input.ops();
        Shape features = Shape.of(input.shape().dim(-1));
        Var g = gamma != null ? ops.param(gamma) : ops.constant(filled(ops, features, 1f));
        Var b = beta != null ? ops.param(beta) : ops.constant(filled(ops, features, 0f));
        return ops.layerNorm(input, g, b, epsilon);
    }

    private static Tensor filled(Ops ops, Shape shape, float value) {
        Tensor t = ops.allocate(shape);
        if (value != 0f) t.fill(value);
        return t;
    }

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

    public static LayerNormalization fromConfig(Map<String, Object> c) {
        LayerNormalization ln = new LayerNormalization(LayerConfigs.string(c, "name", null));
        ln.axis(LayerConfigs.intValue(c, "axis", -1))
                .epsilon(LayerConfigs.floatValue(c, "epsilon", 1e-3f))
                .center(LayerConfigs.bool(c, "center", true))
                .scale(LayerConfigs.bool(c, "scale", true))
                .betaInitializer(Initializer.fromKerasName(LayerConfigs.string(c, "beta_initializer", "zeros")))
                .gammaInitializer(Initializer.fromKerasName(LayerConfigs.string(c, "gamma_initializer", "ones")))
                .betaRegularizer(LayerConfigs.regularizer(c.get("beta_regularizer")))
                .gammaRegularizer(LayerConfigs.regularizer(c.get("gamma_regularizer")));
        return LayerConfigs.common(ln, c);
    }
}
