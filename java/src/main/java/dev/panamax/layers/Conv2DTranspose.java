package dev.panamax.layers;

import dev.panamax.autograd.Ops;
import dev.panamax.autograd.Parameter;
import dev.panamax.autograd.Var;
import dev.panamax.backend.Conv2dSpec;
import dev.panamax.tensor.Shape;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * Keras' {@code Conv2DTranspose} over channels-last images {@code [h, w, c]}: the gradient of a
 * convolution with respect to its input, run forward. Kernel {@code [kh, kw, filters, c]}. The
 * output size per axis is Keras': {@code "valid"} gives {@code in·stride + max(kernel - stride, 0)},
 * {@code "same"} gives {@code in·stride}, and an {@code output_padding} p gives
 * {@code (in - 1)·stride + kernel - 2·pad + p} with pad {@code kernel / 2} for "same", 0 for "valid"
 * (kernel sizes dilated). Windows line up as in TensorFlow's {@code conv2d_transpose}.
 */
public class Conv2DTranspose extends Layer {
    private final int filters;
    private final int[] kernelSize;
    private int[] strides = {1, 1};
    private String padding = "valid";
    private int[] outputPadding;
    private int[] dilationRate = {1, 1};
    private final ActivationFunction activation;
    private boolean useBias = true;
    private Initializer kernelInitializer = Initializer.GLOROT_UNIFORM;
    private Initializer biasInitializer = Initializer.ZEROS;
    private Regularizer kernelRegularizer;
    private Regularizer biasRegularizer;
    private Parameter kernel;
    private Parameter bias;

    public Conv2DTranspose(int filters, int kernelSize) {
        this(filters, new int[] {kernelSize, kernelSize}, null, null);
    }

    public Conv2DTranspose(int filters, int kernelSize, String activation) {
        this(filters, new int[] {kernelSize, kernelSize}, activation, null);
    }

    public Conv2DTranspose(int filters, int[] kernelSize, String activation, String name) {
        super(name);
        if (filters < 1) {
            throw new IllegalArgumentException("Invalid value for argument `filters`. Expected a strictly positive"
                    + " value. Received filters=" + filters);
        }
        this.filters = filters;
        this.kernelSize = positivePair("kernel_size", kernelSize);
        this.activation = ActivationFunction.of(activation);
    }

    private static int[] positivePair(String arg, int[] v) {
        if (v == null || v.length != 2 || v[0] < 1 || v[1] < 1) {
            throw new IllegalArgumentException("The `" + arg + "` argument must be two positive integers. Received: "
                    + arg + "=" + Arrays.toString(v));
        }
        return v.clone();
    }

    public Conv2DTranspose strides(int strideHeight, int strideWidth) {
        checkNotBuilt();
        this.strides = positivePair("strides", new int[] {strideHeight, strideWidth});
        checkOutputPadding();
        return this;
    }

    public Conv2DTranspose strides(int stride) {
        return strides(stride, stride);
    }

    public Conv2DTranspose padding(String padding) {
        checkNotBuilt();
        String p = padding == null ? "" : padding.toLowerCase(Locale.ROOT);
        if (!p.equals("valid") && !p.equals("same")) {
            throw new IllegalArgumentException("The `padding` argument must be one of \"valid\", \"same\". Received: "
                    + padding);
        }
        this.padding = p;
        return this;
    }

    /** Extra rows and columns at the bottom and right of the output, each below its stride; null: none. */
    public Conv2DTranspose outputPadding(int[] outputPadding) {
        checkNotBuilt();
        if (outputPadding != null && (outputPadding.length != 2 || outputPadding[0] < 0 || outputPadding[1] < 0)) {
            throw new IllegalArgumentException("The `output_padding` argument must be two non-negative integers."
                    + " Received: output_padding=" + Arrays.toString(outputPadding));
        }
        this.outputPadding = outputPadding == null ? null : outputPadding.clone();
        checkOutputPadding();
        return this;
    }

    private void checkOutputPadding() {
        if (outputPadding != null && (outputPadding[0] >= strides[0] || outputPadding[1] >= strides[1])) {
            throw new IllegalArgumentException("Strides must be greater than output padding. Received strides="
                    + Arrays.toString(strides) + ", output_padding=" + Arrays.toString(outputPadding));
        }
    }

    public Conv2DTranspose dilationRate(int heightRate, int widthRate) {
        checkNotBuilt();
        this.dilationRate = positivePair("dilation_rate", new int[] {heightRate, widthRate});
        return this;
    }

    public Conv2DTranspose useBias(boolean useBias) {
        checkNotBuilt();
        this.useBias = useBias;
        return this;
    }

    public Conv2DTranspose kernelInitializer(Initializer initializer) {
        checkNotBuilt();
        this.kernelInitializer = initializer;
        return this;
    }

    public Conv2DTranspose biasInitializer(Initializer initializer) {
        checkNotBuilt();
        this.biasInitializer = initializer;
        return this;
    }

    public Conv2DTranspose kernelRegularizer(Regularizer regularizer) {
        checkNotBuilt();
        this.kernelRegularizer = regularizer;
        return this;
    }

    public Conv2DTranspose biasRegularizer(Regularizer regularizer) {
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

    /** Keras' output length of one spatial axis. */
    private long outputLength(long in, int axis) {
        long k = (long) (kernelSize[axis] - 1) * dilationRate[axis] + 1;
        long s = strides[axis];
        if (outputPadding == null) {
            return padding.equals("valid") ? in * s + Math.max(k - s, 0) : in * s;
        }
        long pad = padding.equals("same") ? k / 2 : 0;
        return (in - 1) * s + k - 2 * pad + outputPadding[axis];
    }

    /**
     * The forward convolution this layer transposes, for a batch of {@code n}: its src has this layer's
     * output shape and its dst this layer's input shape.
     */
    Conv2dSpec spec(long n, Shape inputShape) {
        long outH = outputLength(inputShape.dim(0), 0);
        long outW = outputLength(inputShape.dim(1), 1);
        long[] ph = {0, 0};
        long[] pw = {0, 0};
        if (padding.equals("same")) {
            ph = Conv2dSpec.samePadding(outH, kernelSize[0], strides[0], dilationRate[0]);
            pw = Conv2dSpec.samePadding(outW, kernelSize[1], strides[1], dilationRate[1]);
        }
        Conv2dSpec spec = new Conv2dSpec(n, outH, outW, filters, inputShape.dim(2), kernelSize[0], kernelSize[1],
                strides[0], strides[1], ph[0], pw[0], ph[1], pw[1], dilationRate[0], dilationRate[1], 1, false);
        if (spec.outHeight() != inputShape.dim(0) || spec.outWidth() != inputShape.dim(1)) {
            throw new IllegalArgumentException("an output of " + outH + "x" + outW + " convolved back gives "
                    + spec.outHeight() + "x" + spec.outWidth() + ", not the input's " + inputShape.dim(0) + "x"
                    + inputShape.dim(1) + "; change output_padding");
        }
        return spec;
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        if (inputShape.rank() != 3) {
            throw shapeError("expects images [height, width, channels] (rank 4 with the batch)", inputShape);
        }
        Conv2dSpec spec;
        try {
            spec = spec(1, inputShape);
        } catch (IllegalArgumentException e) {
            throw shapeError(e.getMessage(), inputShape);
        }
        return Shape.of(spec.inHeight(), spec.inWidth(), filters);
    }

    @Override
    protected void build(Shape inputShape) {
        kernel = addWeight("kernel", Shape.of(kernelSize[0], kernelSize[1], filters, inputShape.dim(2)),
                kernelInitializer, kernelRegularizer, true);
        if (useBias) bias = addWeight("bias", Shape.of(filters), biasInitializer, biasRegularizer, true);
    }

    @Override
    public Var call(Var input, boolean training) {
        Ops ops = input.ops();
        Shape perExample = Shape.of(Arrays.copyOfRange(input.shape().dims(), 1, 4));
        Var y = ops.conv2dTranspose(spec(input.shape().dim(0), perExample), input, ops.param(kernel),
                bias == null ? null : ops.param(bias));
        return activation.apply(y);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("filters", filters);
        c.put("kernel_size", LayerConfigs.list(kernelSize));
        c.put("strides", LayerConfigs.list(strides));
        c.put("padding", padding);
        c.put("output_padding", outputPadding == null ? null : LayerConfigs.list(outputPadding));
        c.put("dilation_rate", LayerConfigs.list(dilationRate));
        c.put("activation", activation.name());
        c.put("use_bias", useBias);
        c.put("kernel_initializer", kernelInitializer.kerasName());
        c.put("bias_initializer", biasInitializer.kerasName());
        c.put("kernel_regularizer", LayerConfigs.regularizer(kernelRegularizer));
        c.put("bias_regularizer", LayerConfigs.regularizer(biasRegularizer));
        return c;
    }

    public static Conv2DTranspose fromConfig(Map<String, Object> c) {
        int[] strides = LayerConfigs.ints(c, "strides", 2);
        int[] dilation = LayerConfigs.ints(c, "dilation_rate", 2);
        Conv2DTranspose conv = new Conv2DTranspose(LayerConfigs.intValue(c, "filters"),
                LayerConfigs.ints(c, "kernel_size", 2), LayerConfigs.string(c, "activation", "linear"),
                LayerConfigs.string(c, "name", null));
        conv.strides(strides[0], strides[1]).padding(LayerConfigs.string(c, "padding", "valid"))
                .outputPadding(c.get("output_padding") == null ? null : LayerConfigs.ints(c, "output_padding", 2))
                .dilationRate(dilation[0], dilation[1])
                .useBias(LayerConfigs.bool(c, "use_bias", true))
                .kernelInitializer(Initializer.fromKerasName(LayerConfigs.string(c, "kernel_initializer",
                        "glorot_uniform")))
                .biasInitializer(Initializer.fromKerasName(LayerConfigs.string(c, "bias_initializer", "zeros")))
                .kernelRegularizer(LayerConfigs.regularizer(c.get("kernel_regularizer")))
                .biasRegularizer(LayerConfigs.regularizer(c.get("bias_regularizer")));
        return LayerConfigs.common(conv, c);
    }
}
