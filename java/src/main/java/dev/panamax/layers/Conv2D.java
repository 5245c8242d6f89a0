package dev.panamax.layers;

import dev.panamax.autograd.Ops;
import dev.panamax.autograd.Var;
import dev.panamax.backend.Activation;
import dev.panamax.backend.Conv2dSpec;
import dev.panamax.backend.PostOps;
import dev.panamax.tensor.Shape;
import java.util.Map;

/**
 * Keras' {@code Conv2D} over channels-last images {@code [h, w, c]}: kernel {@code [kh, kw, c/groups, filters]}
 * (HWIO), padding {@code "valid"} or {@code "same"} (TensorFlow's split: the odd pixel at the bottom/right).
 * In inference (ops without a tape) the kernel is packed for the backend once per weight version and
 * batch shape and reused; in training the optimizer changes it every step, so each step packs it.
 */
public class Conv2D extends BaseConv2D<Conv2D> {
    private int groups = 1;
    private PackedKernelCache packedKernel;

    public Conv2D(int filters, int kernelSize) {
        this(filters, new int[] {kernelSize, kernelSize}, null, null);
    }

    public Conv2D(int filters, int kernelSize, String activation) {
        this(filters, new int[] {kernelSize, kernelSize}, activation, null);
    }

    public Conv2D(int filters, int[] kernelSize, String activation, String name) {
        super(filters, kernelSize, activation, name);
    }

    public Conv2D dilationRate(int rate) {
        setDilationRate(rate, rate);
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

    /** The convolution for a batch of {@code n} inputs of per-example shape {@code [h, w, c]}. */
    @Override
    Conv2dSpec spec(long n, Shape inputShape) {
        long c = inputShape.dim(2);
        if (c % groups != 0) {
            throw new IllegalArgumentException("input channels " + c + " are not divisible by groups=" + groups);
        }
        return convolution(n, inputShape.dim(0), inputShape.dim(1), c, filters, groups, useBias);
    }

    @Override
    Shape kernelShape(long inputChannels) {
        return Shape.of(kernelSize[0], kernelSize[1], inputChannels / groups, filters);
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        Conv2dSpec spec = exampleSpec(inputShape);
        return Shape.of(spec.outHeight(), spec.outWidth(), filters);
    }

    @Override
    protected void build(Shape inputShape) {
        super.build(inputShape);
        packedKernel = new PackedKernelCache(kernelParameter());
    }

    @Override
    public Var call(Var input, boolean training) {
        Ops ops = input.ops();
        Conv2dSpec spec = batchSpec(input);
        // ReLU runs inside the convolution primitive as a post-op
        boolean fuseRelu = activation.name().equals("relu");
        Var y;
        if (ops.recording()) {
            y = ops.conv2d(spec, input, kernel(ops), bias(ops), fuseRelu);
        } else {
            PostOps postOps = fuseRelu ? PostOps.of(Activation.RELU) : PostOps.NONE;
            Var bias = bias(ops);
            y = packedKernel.withPacked(ops.backend(), spec, postOps,
                    packed -> ops.conv2dPacked(spec, postOps, input, packed, bias));
        }
        return fuseRelu ? y : activation.apply(y);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("groups", groups);
        return c;
    }

    public static Conv2D fromConfig(Map<String, Object> c) {
        int[] dilation = LayerConfigs.ints(c, "dilation_rate", 2);
        if (dilation[0] != dilation[1]) {
            throw new IllegalArgumentException("Conv2D: unequal dilation rates are not supported. Received: "
                    + c.get("dilation_rate"));
        }
        Conv2D conv = fromBaseConfig(c, Conv2D::new).dilationRate(dilation[0])
                .groups(LayerConfigs.intValue(c, "groups", 1));
        return LayerConfigs.common(conv, c);
    }
}
