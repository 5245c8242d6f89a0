package dev.panamax.layers;

import dev.panamax.autograd.Ops;
import dev.panamax.autograd.Parameter;
import dev.panamax.autograd.Var;
import dev.panamax.backend.Conv2dSpec;
import dev.panamax.tensor.Shape;
import java.util.Locale;
import java.util.Map;

/**
 * Keras' {@code Conv2D} over channels-last images {@code [h, w, c]}: kernel {@code [kh, kw, c/groups, filters]}
 * (HWIO), padding {@code "valid"} or {@code "same"} (TensorFlow's split: the odd pixel at the bottom/right).
 */
public class Conv2D extends Layer {
    private final int filters;
    private final int[] kernelSize;
    private int[] strides = {1, 1};
    private String padding = "valid";
    private int[] dilationRate = {1, 1};
    private int groups = 1;
    private ActivationFunction activation;
    private boolean useBias = true;
    private Initializer kernelInitializer = Initializer.GLOROT_UNIFORM;
    private Initializer biasInitializer = Initializer.ZEROS;
    private Regularizer kernelRegularizer;
    private Regularizer biasRegularizer;
    private Parameter kernel;
    private Parameter bias;

    public Conv2D(int filters, int kernelSize) {
        this(filters, new int[] {kernelSize, kernelSize}, null, null);
    }

    public Conv2D(int filters, int kernelSize, String activation) {
        this(filters, new int[] {kernelSize, kernelSize}, activation, null);
    }

    public Conv2D(int filters, int[] kernelSize, String activation, String name) {
        super(name);
        if (filters < 1) {
            throw new IllegalArgumentException("Invalid value for argument `filters`. Expected a strictly positive"
                    + " value. Received filters=" + filters);
        }
        this.filters = filters;
        this.kernelSize = pair("kernel_size", kernelSize);
        this.activation = ActivationFunction.of(activation);
    }

    private static int[] pair(String arg, int[] v) {
        if (v == null || v.length != 2 || v[0] < 1 || v[1] < 1) {
            throw new IllegalArgumentException("The `" + arg + "` argument must be two positive integers. Received: "
                    + arg + "=" + java.util.Arrays.toString(v));
        }
        return v.clone();
    }

    public Conv2D strides(int strideHeight, int strideWidth) {
        checkNotBuilt();
        this.strides = pair("strides", new int[] {strideHeight, strideWidth});
        return this;
    }

    public Conv2D strides(int stride) {
        return strides(stride, stride);
    }

    public Conv2D padding(String padding) {
        checkNotBuilt();
        String p = padding == null ? "" : padding.toLowerCase(Locale.ROOT);
        if (!p.equals("valid") && !p.equals("same")) {
            throw new IllegalArgumentException("The `padding` argument must be one of \"valid\", \"same\". Received: "
                    + padding);
        }
        this.padding = p;
        return this;
    }

    public Conv2D dilationRate(int rate) {
        checkNotBuilt();
        this.dilationRate = pair("dilation_rate", new int[] {rate, rate});
        return this;
    }

    public Conv2D groups(int groups) {
        checkNotBuilt();
        if (groups < 1) {
            throw new IllegalArgumentException("The number of groups must be a positive integer. Received: groups="
                    + groups);
        }
        if (filters % groups != 0) {
            throw new IllegalArgumentException("The number of filters must be evenly divisible by the number of groups."
                    + " Received: groups=" + groups + ", filters=" + filters);
        }
        this.groups = groups;
        return this;
    }

    public Conv2D useBias(boolean useBias) {
        checkNotBuilt();
        this.useBias = useBias;
        return this;
    }

    public Conv2D kernelInitializer(Initializer initializer) {
        checkNotBuilt();
        this.kernelInitializer = initializer;
        return this;
    }

    public Conv2D biasInitializer(Initializer initializer) {
        checkNotBuilt();
        this.biasInitializer = initializer;
        return this;
    }

    public Conv2D kernelRegularizer(Regularizer regularizer) {
        checkNotBuilt();
        this.kernelRegularizer = regularizer;
        return this;
    }

    public Conv2D biasRegularizer(Regularizer regularizer) {
        checkNotBuilt();
        this.biasRegularizer = regularizer;
        return this;
    }

    private void checkNotBuilt() {
        if (built()) throw new IllegalStateException("Layer '" + name() + "' is built; configure it before use");
    }

    public int filters() {
        return filters;
    }

    public ActivationFunction activation() {
        return activation;
    }

    /** The convolution for a batch of {@code n} inputs of per-example shape {@code [h, w, c]}. */
    Conv2dSpec spec(long n, Shape inputShape) {
        long h = inputShape.dim(0);
        long w = inputShape.dim(1);
        long c = inputShape.dim(2);
        long[] ph = {0, 0};
        long[] pw = {0, 0};
        if (padding.equals("same")) {
            ph = Conv2dSpec.samePadding(h, kernelSize[0], strides[0], dilationRate[0]);
            pw = Conv2dSpec.samePadding(w, kernelSize[1], strides[1], dilationRate[1]);
        }
        return new Conv2dSpec(n, h, w, c, filters, kernelSize[0], kernelSize[1], strides[0], strides[1],
                ph[0], pw[0], ph[1], pw[1], dilationRate[0], dilationRate[1], groups, useBias);
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        if (inputShape.rank() != 3) {
            throw shapeError("expects images [height, width, channels] (rank 4 with the batch)", inputShape);
        }
        if (inputShape.dim(2) % groups != 0) {
            throw shapeError("input channels " + inputShape.dim(2) + " are not divisible by groups=" + groups,
                    inputShape);
        }
        Conv2dSpec spec;
        try {
            spec = spec(1, inputShape);
        } catch (IllegalArgumentException e) {
            throw shapeError(e.getMessage(), inputShape);
        }
        return Shape.of(spec.outHeight(), spec.outWidth(), filters);
    }

    @Override
    protected void build(Shape inputShape) {
        long c = inputShape.dim(2);
        kernel = addWeight("kernel", Shape.of(kernelSize[0], kernelSize[1], c / groups, filters), kernelInitializer,
                kernelRegularizer, true);
        if (useBias) bias = addWeight("bias", Shape.of(filters), biasInitializer, biasRegularizer, true);
    }

    @Override
    public Var call(Var input, boolean training) {
        Ops ops = input.ops();
        Shape perExample = Shape.of(java.util.Arrays.copyOfRange(input.shape().dims(), 1, 4));
        Conv2dSpec spec = spec(input.shape().dim(0), perExample);
        boolean fuseRelu = activation.name().equals("relu");
        Var y = ops.conv2d(spec, input, ops.param(kernel), bias == null ? null : ops.param(bias), fuseRelu);
        return fuseRelu ? y : activation.apply(y);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("filters", filters);
        c.put("kernel_size", LayerConfigs.list(kernelSize));
        c.put("strides", LayerConfigs.list(strides));
        c.put("padding", padding);
        c.put("dilation_rate", LayerConfigs.list(dilationRate));
        c.put("groups", groups);
        c.put("activation", activation.name());
        c.put("use_bias", useBias);
        c.put("kernel_initializer", kernelInitializer.kerasName());
        c.put("bias_initializer", biasInitializer.kerasName());
        c.put("kernel_regularizer", LayerConfigs.regularizer(kernelRegularizer));
        c.put("bias_regularizer", LayerConfigs.regularizer(biasRegularizer));
        return c;
    }

    public static Conv2D fromConfig(Map<String, Object> c) {
        int[] dilation = LayerConfigs.ints(c, "dilation_rate", 2);
        if (dilation[0] != dilation[1]) {
            throw new IllegalArgumentException("Conv2D: unequal dilation rates are not supported. Received: "
                    + c.get("dilation_rate"));
        }
        int[] strides = LayerConfigs.ints(c, "strides", 2);
        Conv2D conv = new Conv2D(LayerConfigs.intValue(c, "filters"), LayerConfigs.ints(c, "kernel_size", 2),
                LayerConfigs.string(c, "activation", "linear"), LayerConfigs.string(c, "name", null));
        conv.strides(strides[0], strides[1]).padding(LayerConfigs.string(c, "padding", "valid"))
                .dilationRate(dilation[0]).groups(LayerConfigs.intValue(c, "groups", 1))
                .useBias(LayerConfigs.bool(c, "use_bias", true))
                .kernelInitializer(Initializer.fromKerasName(LayerConfigs.string(c, "kernel_initializer",
                        "glorot_uniform")))
                .biasInitializer(Initializer.fromKerasName(LayerConfigs.string(c, "bias_initializer", "zeros")))
                .kernelRegularizer(LayerConfigs.regularizer(c.get("kernel_regularizer")))
                .biasRegularizer(LayerConfigs.regularizer(c.get("bias_regularizer")));
        conv.setTrainable(LayerConfigs.bool(c, "trainable", true));
        return conv;
    }
}
