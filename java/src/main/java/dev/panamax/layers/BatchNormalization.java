package dev.panamax.layers;

import dev.panamax.autograd.Ops;
import dev.panamax.autograd.Parameter;
import dev.panamax.autograd.Var;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;
import java.util.Map;

/**
 * Keras' {@code BatchNormalization} over the last (channels) axis:
 * {@code gamma · (x - mean) / sqrt(variance + epsilon) + beta}. In training (and while the layer is
 * trainable, as in Keras 3) it uses the batch's mean and biased variance and updates the moving
 * statistics with Keras' convention {@code moving = moving · momentum + batch · (1 - momentum)};
 * otherwise it uses the moving statistics. They are non-trainable weights that no optimizer touches.
 */
public class BatchNormalization extends Layer {
    private int axis = -1;
    private float momentum = 0.99f;
    private float epsilon = 1e-3f;
    private boolean center = true;
    private boolean scale = true;
    private Initializer betaInitializer = Initializer.ZEROS;
    private Initializer gammaInitializer = Initializer.ONES;
    private Initializer movingMeanInitializer = Initializer.ZEROS;
    private Initializer movingVarianceInitializer = Initializer.ONES;
    private Regularizer betaRegularizer;
    private Regularizer gammaRegularizer;
    private Parameter gamma;
    private Parameter beta;
    private Parameter movingMean;
    private Parameter movingVariance;

    public BatchNormalization() {
        this(null);
    }

    public BatchNormalization(String name) {
        super(name);
    }

    /** The normalized axis of the full input shape (batch included): -1 or the last one's index. */
    public BatchNormalization axis(int axis) {
        checkNotBuilt();
        this.axis = axis;
        return this;
    }

    public BatchNormalization momentum(double momentum) {
        checkNotBuilt();
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("BatchNormalization: `momentum` must be in [0, 1]. Received: momentum="
                    + momentum);
        }
        this.momentum = (float) momentum;
        return this;
    }

    public BatchNormalization epsilon(double epsilon) {
        checkNotBuilt();
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("BatchNormalization: `epsilon` must be a positive number. Received:"
                    + " epsilon=" + epsilon);
        }
        this.epsilon = (float) epsilon;
        return this;
    }

    /** Whether to add the learned offset beta. */
    public BatchNormalization center(boolean center) {
        checkNotBuilt();
        this.center = center;
        return this;
    }

    /** Whether to multiply by the learned scale gamma. */
    public BatchNormalization scale(boolean scale) {
        checkNotBuilt();
        this.scale = scale;
        return this;
    }

    public BatchNormalization betaInitializer(Initializer initializer) {
        checkNotBuilt();
        this.betaInitializer = initializer;
        return this;
    }

    public BatchNormalization gammaInitializer(Initializer initializer) {
        checkNotBuilt();
        this.gammaInitializer = initializer;
        return this;
    }

    public BatchNormalization movingMeanInitializer(Initializer initializer) {
        checkNotBuilt();
        this.movingMeanInitializer = initializer;
        return this;
    }

    public BatchNormalization movingVarianceInitializer(Initializer initializer) {
        checkNotBuilt();
        this.movingVarianceInitializer = initializer;
        return this;
    }

    public BatchNormalization betaRegularizer(Regularizer regularizer) {
        checkNotBuilt();
        this.betaRegularizer = regularizer;
        return this;
    }

    public BatchNormalization gammaRegularizer(Regularizer regularizer) {
        checkNotBuilt();
        this.gammaRegularizer = regularizer;
        return this;
    }

    private void checkNotBuilt() {
        if (built()) throw new IllegalStateException("Layer '" + name() + "' is built; configure it before use");
    }

    public float momentum() {
        return momentum;
    }

    public float epsilon() {
        return epsilon;
    }

    /** The moving mean (after build). */
    public Parameter movingMean() {
        return movingMean;
    }

    /** The moving variance (after build). */
    public Parameter movingVariance() {
        return movingVariance;
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        if (inputShape.rank() < 1) throw shapeError("expects inputs of rank >= 2 (with the batch)", inputShape);
        if (axis != -1 && axis != inputShape.rank()) {
            throw shapeError("only the last (channels) axis can be normalized. Received: axis=" + axis, inputShape);
        }
        return inputShape;
    }

    @Override
    protected void build(Shape inputShape) {
        Shape channels = Shape.of(inputShape.dim(-1));
        if (scale) gamma = addWeight("gamma", channels, gammaInitializer, gammaRegularizer, true);
        if (center) beta = addWeight("beta", channels, betaInitializer, betaRegularizer, true);
        movingMean = addWeight("moving_mean", channels, movingMeanInitializer, null, false);
        movingVariance = addWeight("moving_variance", channels, movingVarianceInitializer, null, false);
    }

    /** Freezes or unfreezes gamma and beta; the moving statistics stay non-trainable either way. */
    @Override
    public void setTrainable(boolean trainable) {
        super.setTrainable(trainable);
        if (movingMean != null) {
            movingMean.setTrainable(false);
            movingVariance.setTrainable(false);
        }
    }

    @Override
    public Var call(Var input, boolean training) {
        return call(input, training, false);
    }

    /**
     * Batch norm followed by ReLU in one primitive (oneDNN's {@code fuse_norm_relu}); models use it for
     * a BatchNormalization followed by a plain ReLU. Same result as the two layers.
     */
    public Var callWithRelu(Var input, boolean training) {
        return call(input, training, true);
    }

    /** Whether {@code next} is a plain ReLU layer that {@link #callWithRelu} can stand in for. */
    public static boolean fusesWith(Layer next) {
        return (next instanceof ReLU r && r.isPlain()) || (next instanceof Activation a && a.isRelu());
    }

    private Var call(Var input, boolean training, boolean relu) {
        Ops ops = input.ops();
        Shape channels = movingMean.shape();
        Var g = gamma != null ? ops.param(gamma) : ops.constant(filled(ops, channels, 1f));
        Var b = beta != null ? ops.param(beta) : ops.constant(filled(ops, channels, 0f));
        return ops.batchNorm(input, g, b, movingMean.value(), movingVariance.value(), momentum, epsilon,
                training && trainable(), relu);
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
        c.put("momentum", (double) momentum);
        c.put("epsilon", (double) epsilon);
        c.put("center", center);
        c.put("scale", scale);
        c.put("beta_initializer", betaInitializer.kerasName());
        c.put("gamma_initializer", gammaInitializer.kerasName());
        c.put("moving_mean_initializer", movingMeanInitializer.kerasName());
        c.put("moving_variance_initializer", movingVarianceInitializer.kerasName());
        c.put("beta_regularizer", LayerConfigs.regularizer(betaRegularizer));
        c.put("gamma_regularizer", LayerConfigs.regularizer(gammaRegularizer));
        return c;
    }

    public static BatchNormalization fromConfig(Map<String, Object> c) {
        BatchNormalization bn = new BatchNormalization(LayerConfigs.string(c, "name", null));
        bn.axis(LayerConfigs.intValue(c, "axis", -1))
                .momentum(LayerConfigs.floatValue(c, "momentum", 0.99f))
                .epsilon(LayerConfigs.floatValue(c, "epsilon", 1e-3f))
                .center(LayerConfigs.bool(c, "center", true))
                .scale(LayerConfigs.bool(c, "scale", true))
                .betaInitializer(Initializer.fromKerasName(LayerConfigs.string(c, "beta_initializer", "zeros")))
                .gammaInitializer(Initializer.fromKerasName(LayerConfigs.string(c, "gamma_initializer", "ones")))
                .movingMeanInitializer(Initializer.fromKerasName(LayerConfigs.string(c, "moving_mean_initializer",
                        "zeros")))
                .movingVarianceInitializer(Initializer.fromKerasName(LayerConfigs.string(c,
                        "moving_variance_initializer", "ones")))
                .betaRegularizer(LayerConfigs.regularizer(c.get("beta_regularizer")))
                .gammaRegularizer(LayerConfigs.regularizer(c.get("gamma_regularizer")));
        return LayerConfigs.common(bn, c);
    }
}
