package dev.panamax.io;

import dev.panamax.tensor.DType;
import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The process {@link AtomicSaveCrashTest} kills: saves generation 1, 2, 3, ... of a model to
 * the same file, forever. In generation g every element of every tensor equals g, and the
 * metadata says g; after each save returns it prints {@code saved g}.
 *
 * <p>Arguments: the target file and the number of float elements.
 */
public final class AtomicSaveChild {
    private AtomicSaveChild() {
    }

    public static void main(String[] args) throws Exception {
        Path target = Path.of(args[0]);
        int elements = Integer.parseInt(args[1]);
        try (MemoryScope scope = MemoryScope.open("child")) {
            Tensor weights = Tensor.zeros(scope, DType.FLOAT32, Shape.of(elements / 1000, 1000));
            Tensor steps = Tensor.zeros(scope, DType.INT32, Shape.of(1000));
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            tensors.put("weights", weights);
            tensors.put("steps", steps);
            for (int generation = 1; ; generation++) {
                weights.fill(generation);
                MemorySegment s = steps.segment();
                for (long i = 0; i < steps.size(); i++) {
                    s.setAtIndex(ValueLayout.JAVA_INT, i, generation);
                }
                Safetensors.write(target, tensors, Map.of("generation", Integer.toString(generation)));
                System.out.println("saved " + generation);
                System.out.flush();
            }
        }
    }
}
