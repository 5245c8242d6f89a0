package dev.panamax.backend.nativecpu;

import dev.panamax.ComputeThreads;
import dev.panamax.backend.Backend;
import dev.panamax.backend.Conv2dSpec;
import dev.panamax.backend.OpChecks;
import dev.panamax.backend.PostOps;
import dev.panamax.tensor.DType;
import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code native} backend: oneDNN primitives for convolutions, OpenBLAS for matrix
 * products, through the Panamax shim. Primitives are created once per (spec, thread count) and
 * kept until {@link #close()}; get it with {@code Backends.get("native")}.
 */
public final class NativeBackend implements Backend {
    public static final String NAME = "native";
    private static final System.Logger LOG = System.getLogger(NativeBackend.class.getName());

    private record ConvKey(Conv2dSpec spec, PostOps postOps, int threads) {
    }

    private final Map<ConvKey, NativeConv2d> convs = new ConcurrentHashMap<>();
    private volatile int appliedThreads;

    NativeBackend() {
        applyThreads();
        RuntimeInfo info = Shim.runtimeInfo();
        OpenBlasCoreCheck.warning(System.getenv("OPENBLAS_CORETYPE"), info.blasCore(), info.cpuIsa())
                .ifPresent(w -> LOG.log(System.Logger.Level.WARNING, w));
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Versions, CPU dispatch and thread settings of the native runtime. */
    public RuntimeInfo runtimeInfo() {
        applyThreads();
        return Shim.runtimeInfo();
    }

    /** oneDNN primitives created since the libraries loaded (compute and reorder primitives). */
    public long primitiveCreations() {
        return Shim.stats()[0];
    }

    /** Reorders (layout conversions) executed since the libraries loaded. */
    public long reorders() {
        return Shim.stats()[1];
    }

    /** Calls the shim's empty function: the cost of one downcall. */
    public void noop() {
        Shim.noop();
    }

    /** The oneDNN implementation chosen for {@code spec}, e.g. {@code brg_conv_fwd:avx512_core}. */
    public String conv2dImplementation(Conv2dSpec spec) {
        return conv(spec).implementationName();
    }

    @Override
    public void matmul(Tensor a, boolean transposeA, Tensor b, boolean transposeB, Tensor dst) {
        long[] mnk = OpChecks.matmul(a, transposeA, b, transposeB, dst);
        applyThreads();
        Shim.matmul(dst.segment(), a.segment(), b.segment(), mnk[0], mnk[1], mnk[2], transposeA, transposeB, 1f, 0f);
    }

    @Override
    public Tensor conv2dPackWeights(Conv2dSpec spec, Tensor weights, MemoryScope scope) {
        OpChecks.conv2dWeights(spec, weights);
        NativeConv2d conv = conv(spec);
        Tensor packed = Tensor.packed(scope, DType.FLOAT32, spec.weightsShape(), conv.weightsLayout(), conv.packedBytes());
        Shim.conv2dPackWeights(packed.segment(), conv.handle(), weights.segment());
        return packed;
    }

    @Override
    public void conv2dForward(Conv2dSpec spec, Tensor src, Tensor weights, Tensor bias, Tensor dst) {
        OpChecks.conv2dForward(spec, src, weights, bias, dst);
        NativeConv2d conv = conv(spec);
        MemorySegment biasSeg = bias == null ? null : bias.segment();
        if (weights.layout().isRowMajor()) {
            // Unpacked weights: pack into a temporary (one reorder); callers that run a spec
            // repeatedly pack once with conv2dPackWeights instead.
            try (MemoryScope tmp = MemoryScope.open("conv2d packing")) {
                Tensor packed = conv2dPackWeights(spec, weights, tmp);
                Shim.conv2dForward(dst.segment(), conv.handle(), src.segment(), packed.segment(), biasSeg);
            }
            return;
        }
        if (!weights.layout().equals(conv.weightsLayout())) {
            throw new IllegalArgumentException("conv2d: weights are packed as '" + weights.layout()
                    + "' but " + spec + " on " + appliedThreads + " threads runs with '" + conv.weightsLayout()
                    + "'; pack them with conv2dPackWeights for this spec");
        }
        Shim.conv2dForward(dst.segment(), conv.handle(), src.segment(), weights.segment(), biasSeg);
    }

    /** Destroys the cached primitives; later ops create them again. */
    @Override
    public void close() {
        convs.values().removeIf(conv -> {
            conv.close();
            return true;
        });
    }

    private NativeConv2d conv(Conv2dSpec spec) {
        return conv(spec, PostOps.NONE);
    }

    private NativeConv2d conv(Conv2dSpec spec, PostOps postOps) {
        int threads = applyThreads();
        return convs.computeIfAbsent(new ConvKey(spec, postOps, threads),
                k -> new NativeConv2d(k.spec(), k.postOps(), k.threads()));
    }

    /** Applies {@link ComputeThreads} to oneDNN and OpenBLAS when it changed; returns it. */
    private int applyThreads() {
        int t = ComputeThreads.get();
        if (t != appliedThreads) {
            Shim.threadsSet(t);
            appliedThreads = t;
        }
        return t;
    }
}
