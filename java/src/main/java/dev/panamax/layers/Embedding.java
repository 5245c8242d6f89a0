package dev.panamax.layers;

import dev.panamax.autograd.Ops;
import dev.panamax.autograd.Parameter;
import dev.panamax.autograd.Var;
import dev.panamax.tensor.DType;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Map;

/**
 * Keras' {@code Embedding}: maps integer indices in {@code [0, input_dim)} to rows of a trainable
 * {@code [input_dim, output_dim]} table, so examples of shape {@code [seq]} become {@code [seq, output_dim]}.
 * Indices arrive as float32 holding whole numbers (as model inputs are), or as int32. The indices take
 * no gradient; the table's gradient sums the rows' gradients of every position that used them.
 */
public class Embedding extends Layer {
    private final int inputDim;
    private final int outputDim;
    private Initializer embeddingsInitializer = Initializer.RANDOM_UNIFORM;
    private Regularizer embeddingsRegularizer;
    private Parameter embeddings;

    public Embedding(int inputDim, int outputDim) {
        this(inputDim, outputDim, null);
    }

    public Embedding(int inputDim, int outputDim, String name) {
        super(name);
        if (inputDim < 1) {
            throw new IllegalArgumentException("Received an invalid value for `input_dim`, expected a positive integer."
                    + " Received: input_dim=" + inputDim);
        }
        if (outputDim < 1) {
            throw new IllegalArgumentException("Received an invalid value for `output_dim`, expected a positive"
                    + " integer. Received: output_dim=" + outputDim);
        }
        this.inputDim = inputDim;
        this.outputDim = outputDim;
    }

    public Embedding embeddingsInitializer(Initializer initializer) {
        checkNotBuilt();
        this.embeddingsInitializer = initializer;
        return this;
    }

    public Embedding embeddingsRegularizer(Regularizer regularizer) {
        checkNotBuilt();
        this.embeddingsRegularizer = regularizer;
        return this;
    }

    public int inputDim() {
        return inputDim;
    }

    public int outputDim() {
        return outputDim;
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        long[] dims = Arrays.copyOf(inputShape.dims(), inputShape.rank() + 1);
        dims[dims.length - 1] = outputDim;
        return Shape.of(dims);
    }

    @Override
    protected void build(Shape inputShape) {
        embeddings = addWeight("embeddings", Shape.of(inputDim, outputDim), embeddingsInitializer,
                embeddingsRegularizer, true);
    }

    @Override
    public Var call(Var input, boolean training) {
        Ops ops = input.ops();
        return ops.gatherRows(ops.param(embeddings), indices(ops, input.value()));
    }

    /** The indices as int32, converted and checked on every step; the backend then checks each against the table size. */
    private Tensor indices(Ops ops, Tensor values) {
        if (values.dtype() == DType.INT32) return values;
        Tensor t = Tensor.zeros(ops.scope(), DType.INT32, values.shape());
        MemorySegment from = values.segment();
        MemorySegment to = t.segment();
        long count = values.size();
        ops.host(() -> {
            for (long i = 0; i < count; i++) {
                float f = from.getAtIndex(ValueLayout.JAVA_FLOAT, i);
                if (f != Math.rint(f) || Math.abs(f) > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("Layer '" + name() + "' (Embedding): inputs must be integer"
                            + " indices in [0, " + inputDim + "); got " + f + " at position " + i + " of input "
                            + values.describeShape());
                }
                to.setAtIndex(ValueLayout.JAVA_INT, i, (int) f);
            }
        });
        return t;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("input_dim", inputDim);
        c.put("output_dim", outputDim);
        c.put("embeddings_initializer", embeddingsInitializer.kerasName());
        c.put("embeddings_regularizer", LayerConfigs.regularizer(embeddingsRegularizer));
        c.put("mask_zero", false);
        return c;
    }

    public static Embedding fromConfig(Map<String, Object> c) {
        if (LayerConfigs.bool(c, "mask_zero", false)) {
            throw new IllegalArgumentException("Embedding: mask_zero=true is not supported: Panamax layers carry no"
                    + " masks. Received: mask_zero=true");
        }
        String init = LayerConfigs.string(c, "embeddings_initializer", "random_uniform");
        Embedding e = new Embedding(LayerConfigs.intValue(c, "input_dim"), LayerConfigs.intValue(c, "output_dim"),
                LayerConfigs.string(c, "name", null));
        // Keras names its default "uniform", an alias of RandomUniform(-0.05, 0.05)
        e.embeddingsInitializer(Initializer.fromKerasName(init.equals("uniform") ? "random_uniform" : init))
                .embeddingsRegularizer(LayerConfigs.regularizer(c.get("embeddings_regularizer")));
        return LayerConfigs.common(e, c);
    }
}
