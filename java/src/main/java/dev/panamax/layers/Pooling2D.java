package dev.panamax.layers;

import dev.panamax.autograd.Var;
import dev.panamax.backend.Conv2dSpec;
import dev.panamax.backend.Pool2dSpec;
import dev.panamax.tensor.Shape;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/** What max and average pooling share: window, strides (default: the window), "valid" or "same" padding. */
public abstract class Pooling2D extends Layer {
    private final Pool2dSpec.Kind kind;
    private final int[] poolSize;
    private final int[] strides;
    private final String padding;

    protected Pooling2D(Pool2dSpec.Kind kind, int[] poolSize, int[] strides, String padding, String name) {
        super(name);
        this.kind = kind;
        this.poolSize = positivePair("pool_size", poolSize);
        this.strides = strides == null ? this.poolSize.clone() : positivePair("strides", strides);
        String p = padding == null ? "" : padding.toLowerCase(Locale.ROOT);
        if (!p.equals("valid") && !p.equals("same")) {
            throw new IllegalArgumentException("The `padding` argument must be one of \"valid\", \"same\". Received: "
                    + padding);
        }
        this.padding = p;
    }

    private static int[] positivePair(String arg, int[] v) {
        if (v == null || v.length != 2 || v[0] < 1 || v[1] < 1) {
            throw new IllegalArgumentException("The `" + arg + "` argument must be two positive integers. Received: "
                    + arg + "=" + Arrays.toString(v));
        }
        return v.clone();
    }

    Pool2dSpec spec(long n, Shape in) {
        long[] ph = {0, 0};
        long[] pw = {0, 0};
        if (padding.equals("same")) {
            ph = Conv2dSpec.samePadding(in.dim(0), poolSize[0], strides[0], 1);
            pw = Conv2dSpec.samePadding(in.dim(1), poolSize[1], strides[1], 1);
        }
        // "same" average pooling divides by the pixels inside the image, as Keras does
        Pool2dSpec.Kind k = kind == Pool2dSpec.Kind.MAX ? kind : Pool2dSpec.Kind.AVG_EXCLUDE_PAD;
        return new Pool2dSpec(n, in.dim(0), in.dim(1), in.dim(2), poolSize[0], poolSize[1], strides[0], strides[1],
                ph[0], pw[0], ph[1], pw[1], k);
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        if (inputShape.rank() != 3) {
            throw shapeError("expects images [height, width, channels] (rank 4 with the batch)", inputShape);
        }
        Pool2dSpec spec;
        try {
            spec = spec(1, inputShape);
        } catch (IllegalArgumentException e) {
            throw shapeError(e.getMessage(), inputShape);
        }
        return Shape.of(spec.outHeight(), spec.outWidth(), inputShape.dim(2));
    }

    @Override
    public Var call(Var input, boolean training) {
        Shape perExample = Shape.of(Arrays.copyOfRange(input.shape().dims(), 1, 4));
        return input.ops().pool2d(spec(input.shape().dim(0), perExample), input);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("pool_size", LayerConfigs.list(poolSize));
        c.put("strides", LayerConfigs.list(strides));
        c.put("padding", padding);
        return c;
    }
}
