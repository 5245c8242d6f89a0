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
 * What Keras' 2-D convolutions share (its {@code BaseConv}) over channels-last images
 * {@code [h, w, c]}: filters, kernel size, strides, padding, dilation, activation, and a kernel and
 * optional bias with their initializers and regularizers. A subclass lays out the kernel, says which
 * forward convolution it runs ({@link #spec}) and adds its own arguments.
 *
 * @param <T> the concrete layer, which the fluent setters return
 */
abstract class BaseConv2D<T extends BaseConv2D<T>> extends Layer {
    // Subclasses read the window; only the setters here change it, and only before build.
    final int filters;
    final int[] kernelSize;
    int[] strides = {1, 1};
    String padding = "valid";
    int[] dilationRate = {1, 1};
    boolean useBias = true;
    final ActivationFunction activation;
    private Initializer kernelInitializer = Initializer.GLOROT_UNIFORM;
    private Initializer biasInitializer = Initializer.ZEROS;
    private Regularizer kernelRegularizer;
    private Regularizer biasRegularizer;
    private Parameter kernel;
    private Parameter bias;

    BaseConv2D(int filters, int[] kernelSize, String activation, String name) {
        super(name);
        if (filters < 1) {
            throw new IllegalArgumentException("Invalid value for argument `filters`. Expected a strictly positive"
                    + " value. Received filters=" + filters);
        }
        this.filters = filters;
        this.kernelSize = positivePair("kernel_size", kernelSize);
        this.activation = ActivationFunction.of(activation);
    }

    /** A subclass's constructor {@code (filters, kernelSize, activation, name)}, for {@link #fromBaseConfig}. */
    @FunctionalInterface
    interface Constructor<L> {
        L create(int filters, int[] kernelSize, String activation, String name);
    }

    /**
     * A layer made from the constructor arguments and the config keys every 2-D convolution shares;
     * the caller applies its own keys and {@link LayerConfigs#common}.
     */
    static <L extends BaseConv2D<L>> L fromBaseConfig(Map<String, Object> c, Constructor<L> constructor) {
        int[] strides = LayerConfigs.ints(c, "strides", 2);
        L conv = constructor.create(LayerConfigs.intValue(c, "filters"), LayerConfigs.ints(c, "kernel_size", 2),
                LayerConfigs.string(c, "activation", "linear"), LayerConfigs.string(c, "name", null));
        return conv.strides(strides[0], strides[1]).padding(LayerConfigs.string(c, "padding", "valid"))
                .useBias(LayerConfigs.bool(c, "use_bias", true))
                .kernelInitializer(Initializer.fromKerasName(LayerConfigs.string(c, "kernel_initializer",
                        "glorot_uniform")))
                .biasInitializer(Initializer.fromKerasName(LayerConfigs.string(c, "bias_initializer", "zeros")))
                .kernelRegularizer(LayerConfigs.regularizer(c.get("kernel_regularizer")))
                .biasRegularizer(LayerConfigs.regularizer(c.get("bias_regularizer")));
    }

    static int[] positivePair(String arg, int[] v) {
        if (v == null || v.length != 2 || v[0] < 1 || v[1] < 1) {
            throw new IllegalArgumentException("The `" + arg + "` argument must be two positive integers. Received: "
                    + arg + "=" + Arrays.toString(v));
        }
        return v.clone();
    }

    // Sound: the only subclasses are declared as `X extends BaseConv2D<X>`.
    @SuppressWarnings("unchecked")
    private T self() {
        return (T) this;
    }

    public T strides(int strideHeight, int strideWidth) {
        checkNotBuilt();
        this.strides = positivePair("strides", new int[] {strideHeight, strideWidth});
        return self();
    }

    public T strides(int stride) {
        return strides(stride, stride);
    }

    public T padding(String padding) {
        checkNotBuilt();
        String p = padding == null ? "" : padding.toLowerCase(Locale.ROOT);
        if (!p.equals("valid") && !p.equals("same")) {
            throw new IllegalArgumentException("The `padding` argument must be one of \"valid\", \"same\". Received: "
                    + padding);
        }
        this.padding = p;
        return self();
    }

    /** Sets the dilation; each subclass offers the public form it supports. */
    final void setDilationRate(int heightRate, int widthRate) {
        checkNotBuilt();
        this.dilationRate = positivePair("dilation_rate", new int[] {heightRate, widthRate});
    }

    public T useBias(boolean useBias) {
        checkNotBuilt();
        this.useBias = useBias;
        return self();
    }

    public T kernelInitializer(Initializer initializer) {
        checkNotBuilt();
        this.kernelInitializer = initializer;
        return self();
    }

    public T biasInitializer(Initializer initializer) {
        checkNotBuilt();
        this.biasInitializer = initializer;
        return self();
    }

    public T kernelRegularizer(Regularizer regularizer) {
        checkNotBuilt();
        this.kernelRegularizer = regularizer;
        return self();
    }

    public T biasRegularizer(Regularizer regularizer) {
        checkNotBuilt();
        this.biasRegularizer = regularizer;
        return self();
    }

    public int filters() {
        return filters;
    }

    public ActivationFunction activation() {
        return activation;
    }

    /** The forward convolution this layer runs (or transposes) for a batch of {@code n} inputs of this shape. */
    abstract Conv2dSpec spec(long n, Shape inputShape);

    /** The kernel's shape for inputs of {@code inputChannels} channels. */
    abstract Shape kernelShape(long inputChannels);

    /**
     * A forward convolution with this layer's window over {@code n} images {@code [h, w, inChannels]};
     * {@code "same"} padding is TensorFlow's split, the odd pixel at the bottom/right.
     */
    final Conv2dSpec convolution(long n, long h, long w, long inChannels, long outChannels, int groups,
                                 boolean hasBias) {
        long[] ph = axisPadding(h, 0);
        long[] pw = axisPadding(w, 1);
        return new Conv2dSpec(n, h, w, inChannels, outChannels, kernelSize[0], kernelSize[1], strides[0], strides[1],
                ph[0], pw[0], ph[1], pw[1], dilationRate[0], dilationRate[1], groups, hasBias);
    }

    private long[] axisPadding(long length, int axis) {
        if (!padding.equals("same")) return new long[] {0, 0};
        return Conv2dSpec.samePadding(length, kernelSize[axis], strides[axis], dilationRate[axis]);
    }

    /** {@link #spec} for one example, checked: a non-image shape or a bad window is a shape error. */
    final Conv2dSpec exampleSpec(Shape inputShape) {
        if (inputShape.rank() != 3) {
            throw shapeError("expects images [height, width, channels] (rank 4 with the batch)", inputShape);
        }
        try {
            return spec(1, inputShape);
        } catch (IllegalArgumentException e) {
            throw shapeError(e.getMessage(), inputShape);
        }
    }

    /** {@link #spec} for the batch {@code input}. */
    final Conv2dSpec batchSpec(Var input) {
        Shape perExample = Shape.of(Arrays.copyOfRange(input.shape().dims(), 1, 4));
        return spec(input.shape().dim(0), perExample);
    }

    @Override
    protected void build(Shape inputShape) {
        kernel = addWeight("kernel", kernelShape(inputShape.dim(2)), kernelInitializer, kernelRegularizer, true);
        if (useBias) bias = addWeight("bias", Shape.of(filters), biasInitializer, biasRegularizer, true);
    }

    final Var kernel(Ops ops) {
        return ops.param(kernel);
    }

    /** The kernel parameter (null before build). */
    final Parameter kernelParameter() {
        return kernel;
    }

    /** The bias, or null for a layer without one. */
    final Var bias(Ops ops) {
        return bias == null ? null : ops.param(bias);
    }

    /** The shared keys; subclasses add their own after them. */
    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("filters", filters);
        c.put("kernel_size", LayerConfigs.list(kernelSize));
        c.put("strides", LayerConfigs.list(strides));
        c.put("padding", padding);
        c.put("dilation_rate", LayerConfigs.list(dilationRate));
        c.put("activation", activation.name());
        c.put("use_bias", useBias);
        c.put("kernel_initializer", kernelInitializer.kerasName());
        c.put("bias_initializer", biasInitializer.kerasName());
        c.put("kernel_regularizer", LayerConfigs.regularizer(kernelRegularizer));
        c.put("bias_regularizer", LayerConfigs.regularizer(biasRegularizer));
        return c;
    }
}
