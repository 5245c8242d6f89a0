package dev.panamax.layers;

import dev.panamax.autograd.Ops;
import dev.panamax.autograd.Parameter;
import dev.panamax.autograd.Var;
import dev.panamax.tensor.Shape;
import java.util.Arrays;
import java.util.Map;

/**
 * Keras' {@code Dense}: {@code activation(x · kernel + bias)} over the last axis, kernel
 * {@code [in, units]}. Inputs of rank above 1 (per example) are treated as rows of their last axis.
 */
public class Dense extends Layer {
    private final int units;
    private ActivationFunction activation = ActivationFunction.LINEAR;
    private boolean useBias = true;
    private Initializer kernelInitializer = Initializer.GLOROT_UNIFORM;
    private Initializer biasInitializer = Initializer.ZEROS;
    private Regularizer kernelRegularizer;
    private Regularizer biasRegularizer;
    private Parameter kernel;
    private Parameter bias;

    public Dense(int units) {
        this(units, null, null);
    }

    public Dense(int units, String activation) {
        this(units, activation, null);
    }

    public Dense(int units, String activation, String name) {
        super(name);
        if (units < 1) {
            throw new IllegalArgumentException("Received an invalid value for `units`, expected a positive integer."
                    + " Received: units=" + units);
        }
        this.units = units;
        this.activation = ActivationFunction.of(activation);
    }

    public Dense useBias(boolean useBias) {
        checkNotBuilt();
        this.useBias = useBias;
        return this;
    }

    public Dense kernelInitializer(Initializer initializer) {
        checkNotBuilt();
        this.kernelInitializer = initializer;
        return this;
    }

    public Dense biasInitializer(Initializer initializer) {
        checkNotBuilt();
        this.biasInitializer = initializer;
        return this;
    }

    public Dense kernelRegularizer(Regularizer regularizer) {
        checkNotBuilt();
        this.kernelRegularizer = regularizer;
        return this;
    }

    public Dense biasRegularizer(Regularizer regularizer) {
        checkNotBuilt();
        this.biasRegularizer = regularizer;
        return this;
    }

    public int units() {
        return units;
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        if (inputShape.rank() < 1) throw shapeError("expects inputs of rank >= 2 (with the batch)", inputShape);
        long[] dims = inputShape.dims();
        dims[dims.length - 1] = units;
        return Shape.of(dims);
    }

    @Override
    protected void build(Shape inputShape) {
        long in = inputShape.dim(inputShape.rank() - 1);
        kernel = addWeight("kernel", Shape.of(in, units), kernelInitializer, kernelRegularizer, true);
        if (useBias) bias = addWeight("bias", Shape.of(units), biasInitializer, biasRegularizer, true);
    }

    @Override
    public Var call(Var input, boolean training) {
        Ops ops = input.ops();
        long[] dims = input.shape().dims();
        long in = dims[dims.length - 1];
        Var x = dims.length == 2 ? input : ops.reshape(input, input.value().size() / in, in);
        boolean fuseRelu = activation.name().equals("relu");
        Var y = ops.dense(x, ops.param(kernel), bias == null ? null : ops.param(bias), fuseRelu);
        if (dims.length != 2) {
            long[] outDims = Arrays.copyOf(dims, dims.length);
            outDims[dims.length - 1] = units;
            y = ops.reshape(y, outDims);
        }
        return fuseRelu ? y : activation.apply(y);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("units", units);
        c.put("activation", activation.name());
        c.put("use_bias", useBias);
        c.put("kernel_initializer", kernelInitializer.kerasName());
        c.put("bias_initializer", biasInitializer.kerasName());
        c.put("kernel_regularizer", LayerConfigs.regularizer(kernelRegularizer));
        c.put("bias_regularizer", LayerConfigs.regularizer(biasRegularizer));
        return c;
    }

    public static Dense fromConfig(Map<String, Object> c) {
        Dense d = new Dense(LayerConfigs.intValue(c, "units"), LayerConfigs.string(c, "activation", "linear"),
                LayerConfigs.string(c, "name", null));
        d.useBias(LayerConfigs.bool(c, "use_bias", true));
        d.kernelInitializer(Initializer.fromKerasName(LayerConfigs.string(c, "kernel_initializer", "glorot_uniform")));
        d.biasInitializer(Initializer.fromKerasName(LayerConfigs.string(c, "bias_initializer", "zeros")));
        d.kernelRegularizer(LayerConfigs.regularizer(c.get("kernel_regularizer")));
        d.biasRegularizer(LayerConfigs.regularizer(c.get("bias_regularizer")));
        d.setTrainable(LayerConfigs.bool(c, "trainable", true));
        return d;
    }
}
