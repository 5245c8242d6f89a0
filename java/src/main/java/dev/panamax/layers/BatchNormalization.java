package dev.panamax.layers;

import dev.panamax.autograd.Ops;
import dev.panamax.autograd.Parameter;
import dev.panamax.autograd.Var;
import dev.panamax.tensor.Shape;
import java.util.Map;

/**
 * Keras' {@code BatchNormalization} over the last (channels) axis:
 * {@code gamma · (x - mean) / sqrt(variance + epsilon) + beta}. In training (and while the layer is
 * trainable, as in Keras 3) it uses the batch's mean and biased variance and updates the moving
 * statistics with Keras' convention {@code moving = moving · momentum + batch · (1 - momentum)};
 * otherwise it uses the moving statistics. They are non-trainable weights that no optimizer touches.
 */
public class BatchNormalization extends BaseNormalization<BatchNormalization> {
    private float momentum = 0.99f;
    private Initializer movingMeanInitializer = Initializer.ZEROS;
    private Initializer movingVarianceInitializer = Initializer.ONES;
    private Parameter movingMean;
    private Parameter movingVariance;

    public BatchNormalization() {
        this(null);
    }

    public BatchNormalization(String name) {
        super(name, "last (channels) axis");
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

    public float momentum() {
        return momentum;
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
    protected void build(Shape inputShape) {
        super.build(inputShape);
        Shape channels = Shape.of(inputShape.dim(-1));
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
        boolean updatesStatistics = training && trainable();
        Var y = ops.batchNorm(input, gamma(ops, channels), beta(ops, channels), movingMean.value(),
                movingVariance.value(), momentum, epsilon(), updatesStatistics, relu);
        if (updatesStatistics) {
            // the backend wrote the moving statistics in place (a host step, so a replayed step says so too)
            ops.host(() -> {
                movingMean.markModified();
                movingVariance.markModified();
            });
        }
        return y;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("momentum", (double) momentum);
        c.put("moving_mean_initializer", movingMeanInitializer.kerasName());
        c.put("moving_variance_initializer", movingVarianceInitializer.kerasName());
        return c;
    }

    public static BatchNormalization fromConfig(Map<String, Object> c) {
        BatchNormalization bn = fromBaseConfig(c, BatchNormalization::new)
                .momentum(LayerConfigs.floatValue(c, "momentum", 0.99f))
                .movingMeanInitializer(Initializer.fromKerasName(LayerConfigs.string(c, "moving_mean_initializer",
                        "zeros")))
                .movingVarianceInitializer(Initializer.fromKerasName(LayerConfigs.string(c,
                        "moving_variance_initializer", "ones")));
        return LayerConfigs.common(bn, c);
    }
}
