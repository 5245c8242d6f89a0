package dev.panamax.layers;

import dev.panamax.autograd.Ops;
import dev.panamax.autograd.Var;
import dev.panamax.backend.Conv2dSpec;
import dev.panamax.tensor.Shape;
import java.util.Arrays;
import java.util.Map;

/**
 * Keras' {@code Conv2DTranspose} over channels-last images {@code [h, w, c]}: the gradient of a
 * convolution with respect to its input, run forward. Kernel {@code [kh, kw, filters, c]}. The
 * output size per axis is Keras': {@code "valid"} gives {@code in·stride + max(kernel - stride, 0)},
 * {@code "same"} gives {@code in·stride}, and an {@code output_padding} p gives
 * {@code (in - 1)·stride + kernel - 2·pad + p} with pad {@code kernel / 2} for "same", 0 for "valid"
 * (kernel sizes dilated). Windows line up as in TensorFlow's {@code conv2d_transpose}.
 */
public class Conv2DTranspose extends BaseConv2D<Conv2DTranspose> {
    private int[] outputPadding;

    public Conv2DTranspose(int filters, int kernelSize) {
        this(filters, new int[] {kernelSize, kernelSize}, null, null);
    }

    public Conv2DTranspose(int filters, int kernelSize, String activation) {
        this(filters, new int[] {kernelSize, kernelSize}, activation, null);
    }

    public Conv2DTranspose(int filters, int[] kernelSize, String activation, String name) {
        super(filters, kernelSize, activation, name);
    }

    @Override
    public Conv2DTranspose strides(int strideHeight, int strideWidth) {
        super.strides(strideHeight, strideWidth);
        checkOutputPadding();
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
        setDilationRate(heightRate, widthRate);
        return this;
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
    @Override
    Conv2dSpec spec(long n, Shape inputShape) {
        long outH = outputLength(inputShape.dim(0), 0);
        long outW = outputLength(inputShape.dim(1), 1);
        Conv2dSpec spec = convolution(n, outH, outW, filters, inputShape.dim(2), 1, false);
        if (spec.outHeight() != inputShape.dim(0) || spec.outWidth() != inputShape.dim(1)) {
            throw new IllegalArgumentException("an output of " + outH + "x" + outW + " convolved back gives "
                    + spec.outHeight() + "x" + spec.outWidth() + ", not the input's " + inputShape.dim(0) + "x"
                    + inputShape.dim(1) + "; change output_padding");
        }
        return spec;
    }

    @Override
    Shape kernelShape(long inputChannels) {
        return Shape.of(kernelSize[0], kernelSize[1], filters, inputChannels);
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        Conv2dSpec spec = exampleSpec(inputShape);
        return Shape.of(spec.inHeight(), spec.inWidth(), filters);
    }

    @Override
    public Var call(Var input, boolean training) {
        Ops ops = input.ops();
        Var y = ops.conv2dTranspose(batchSpec(input), input, kernel(ops), bias(ops));
        return activation.apply(y);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("output_padding", outputPadding == null ? null : LayerConfigs.list(outputPadding));
        return c;
    }

    public static Conv2DTranspose fromConfig(Map<String, Object> c) {
        int[] dilation = LayerConfigs.ints(c, "dilation_rate", 2);
        Conv2DTranspose conv = fromBaseConfig(c, Conv2DTranspose::new)
                .outputPadding(c.get("output_padding") == null ? null : LayerConfigs.ints(c, "output_padding", 2))
                .dilationRate(dilation[0], dilation[1]);
        return LayerConfigs.common(conv, c);
    }
}
