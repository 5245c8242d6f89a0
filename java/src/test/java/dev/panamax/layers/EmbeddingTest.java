package dev.panamax.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.autograd.GradientTape;
import dev.panamax.autograd.Ops;
import dev.panamax.autograd.Var;
import dev.panamax.backend.Backends;
import dev.panamax.data.FloatArray;
import dev.panamax.models.Sequential;
import dev.panamax.tensor.DType;
import dev.panamax.tensor.MemoryScope;
import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;
import dev.panamax.training.FitOptions;
import dev.panamax.training.History;
import dev.panamax.training.Losses;
import dev.panamax.training.SGD;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Embedding: rows of the table per index, summed gradients for repeated indices, and bad indices refused. */
class EmbeddingTest {
    private static final float[] TABLE = {0, 1, 10, 11, 20, 21, 30, 31}; // row r is {10r, 10r + 1}

    private static Embedding table(MemoryScope scope) {
        Embedding e = LayerTester.built(new Embedding(4, 2, "emb"), scope, new long[] {3});
        e.weights().get(0).assign(TABLE);
        return e;
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "native"})
    void looksUpRowsAndSumsTheGradientsOfRepeatedIndices(String backend) {
        try (MemoryScope scope = MemoryScope.open("test")) {
            Embedding e = table(scope);
            Tensor x = Tensor.of(scope, new float[] {2, 0, 2, 3, 3, 3}, 2, 3);
            GradientTape tape = new GradientTape();
            Ops ops = new Ops(Backends.get(backend), scope, tape);
            Var y = e.call(ops.constant(x), true);
            assertEquals(Shape.of(2, 3, 2), y.shape());
            assertArrayEquals(new float[] {20, 21, 0, 1, 20, 21, 30, 31, 30, 31, 30, 31}, y.value().toFloatArray());
            float[] dy = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
            tape.backward(y, Tensor.of(scope, dy, 2, 3, 2));
            // row 0 once (position 1), row 1 never, row 2 at positions 0 and 2, row 3 at 3, 4, 5
            assertArrayEquals(new float[] {3, 4, 0, 0, 6, 8, 27, 30}, e.weights().get(0).grad().toFloatArray());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "native"})
    void takesInt32IndicesToo(String backend) {
        try (MemoryScope scope = MemoryScope.open("test")) {
            Embedding e = table(scope);
            Tensor x = Tensor.zeros(scope, DType.INT32, Shape.of(1, 3));
            x.setInt(3, 0, 0);
            x.setInt(1, 0, 2);
            assertArrayEquals(new float[] {30, 31, 0, 1, 10, 11}, LayerTester.run(e, backend, false, x));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "native"})
    void anIndexOutsideTheTableIsRefusedNamingItAndTheTableSize(String backend) {
        try (MemoryScope scope = MemoryScope.open("test")) {
            Embedding e = table(scope);
            for (float bad : new float[] {4, -1}) {
                Tensor x = Tensor.of(scope, new float[] {0, bad, 1}, 1, 3);
                IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                        () -> LayerTester.run(e, backend, false, x));
                // the Java check ("gatherRows: ..."), not the shim's ("pmx_gather_rows: ..."), caught it
                assertTrue(ex.getMessage().startsWith("gatherRows: index " + (int) bad + " (at position 1")
                        && ex.getMessage().contains("table of 4 rows"), ex.getMessage());
            }
            Tensor fractional = Tensor.of(scope, new float[] {0, 1.5f, 1}, 1, 3);
            IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                    () -> LayerTester.run(e, backend, false, fractional));
            assertTrue(ex.getMessage().contains("'emb'") && ex.getMessage().contains("1.5 at position 1"),
                    ex.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "native"})
    void trainsInASequentialModel(String backend) {
        // token i of a 3-token sequence is worth i; the target is the sum of the sequence's values
        float[] x = {0, 1, 2, 2, 2, 1, 0, 0, 0, 1, 1, 2};
        float[] y = {3, 5, 0, 4};
        try (Sequential m = new Sequential(Input.shape(3), new Embedding(3, 4), new Flatten(), new Dense(1))) {
            m.setBackend(backend).setSeed(5);
            m.compile(new SGD(0.05), Losses.meanSquaredError());
            History h = m.fit(FloatArray.of(x, 4, 3), FloatArray.of(y, 4, 1),
                    FitOptions.defaults().batchSize(4).epochs(40).verbose(0));
            List<Double> loss = h.get("loss");
            assertTrue(loss.get(loss.size() - 1) < 0.1 * loss.get(0), "loss " + loss);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -3})
    void sizesMustBePositive(int size) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Embedding(size, 2));
        assertTrue(e.getMessage().contains("input_dim=" + size), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Embedding(2, size));
        assertTrue(e.getMessage().contains("output_dim=" + size), e.getMessage());
    }
}
