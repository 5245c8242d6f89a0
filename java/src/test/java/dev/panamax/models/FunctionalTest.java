package dev.panamax.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.data.FloatArray;
import dev.panamax.layers.Conv2D;
import dev.panamax.layers.Dense;
import dev.panamax.layers.Flatten;
import dev.panamax.layers.Input;
import dev.panamax.layers.Layer;
import dev.panamax.layers.MaxPooling2D;
import dev.panamax.tensor.Shape;
import dev.panamax.training.Adam;
import dev.panamax.training.FitOptions;
import dev.panamax.training.History;
import dev.panamax.training.Losses;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The functional API: symbolic tensors, graphs with skips and shared layers, summaries, errors. */
class FunctionalTest {

    static Conv2D conv(int filters, int kernel, String activation, String name) {
        return new Conv2D(filters, new int[] {kernel, kernel}, activation, name).padding("same");
    }

    /** Encoder, bottleneck, decoder, and the encoder's features added back before the head. */
    static Functional tinyUNet() {
        SymbolicTensor in = new Input(Shape.of(8, 8, 2), "image").output();
        SymbolicTensor enc = conv(4, 3, "relu", "enc").apply(in);
        SymbolicTensor down = new MaxPooling2D(new int[] {2, 2}, null, "valid", "down").apply(enc);
        SymbolicTensor mid = conv(4, 3, "relu", "mid").apply(down);
        SymbolicTensor up = new TestUpSampling2D("up").apply(mid);
        SymbolicTensor skip = new TestAdd("skip").apply(enc, up);
        SymbolicTensor out = conv(1, 1, null, "head").apply(skip);
        return new Functional(List.of(in), List.of(out), "tiny_unet");
    }

    @Test
    void symbolicTensorsCarryShapesAndHistory() {
        SymbolicTensor in = Input.tensor(28, 28, 1);
        assertEquals(Shape.of(28, 28, 1), in.shape());
        assertTrue(in.inputs().isEmpty());
        assertSame(in, ((Input) in.layer()).output(), "an Input has one tensor");
        Conv2D c = new Conv2D(8, 3, "relu");
        SymbolicTensor x = c.apply(in);
        assertEquals(Shape.of(26, 26, 8), x.shape());
        assertSame(c, x.layer());
        assertEquals(List.of(in), x.inputs());
        assertEquals(0, x.node().index());
        assertEquals(List.of(x.node()), c.inboundNodes());
        assertFalse(c.built(), "applying infers shapes but creates no weights");
    }

    @Test
    void uNetWithSkipConnectionRunsInTopologicalOrderAndLearns() {
        try (Functional m = tinyUNet()) {
            m.setBackend("java").setSeed(2);
            assertEquals(List.of("image", "enc", "down", "mid", "up", "skip", "head"),
                    m.layers().stream().map(Layer::name).toList());
            assertEquals(List.of(Shape.of(8, 8, 1)), m.outputShapes());
            SplittableRandom r = new SplittableRandom(4);
            int n = 8;
            float[] x = new float[n * 8 * 8 * 2];
            for (int i = 0; i < x.length; i++) x[i] = r.nextInt(-4, 5) / 4f;
            float[] y = new float[n * 8 * 8];
            for (int p = 0; p < y.length; p++) y[p] = x[2 * p] - 0.5f * x[2 * p + 1];
            m.compile(new Adam(0.02), Losses.meanSquaredError());
            History h = m.fit(FloatArray.of(x, n, 8, 8, 2), FloatArray.of(y, n, 8, 8, 1),
                    FitOptions.defaults().batchSize(4).epochs(40).verbose(0));
            double first = h.get("loss").get(0);
            double last = h.get("loss").get(39);
            assertTrue(last < 0.2 * first, "loss " + first + " -> " + last);
            FloatArray p = m.predict(FloatArray.of(x, n, 8, 8, 2), 3);
            assertEquals(Shape.of(n, 8, 8, 1), p.shape());
            // enc: 3*3*2*4+4, mid: 3*3*4*4+4, head: 4+1
            assertEquals(76 + 148 + 5, m.countParams());
        }
    }

    @Test
    void summaryShowsConnections() {
        try (Functional m = tinyUNet()) {
            m.setBackend("java");
            String s = m.summary();
            assertTrue(s.startsWith("Model: \"tiny_unet\""), s);
            assertTrue(s.contains("Connected to"), s);
            assertTrue(lineOf(s, "image (InputLayer)").contains("(None, 8, 8, 2)"), s);
            assertTrue(lineOf(s, "image (InputLayer)").contains(" - "), s);
            assertTrue(lineOf(s, "enc (Conv2D)").contains("image[0][0]"), s);
            assertTrue(lineOf(s, "enc (Conv2D)").contains("76"), s);
            assertTrue(lineOf(s, "up (TestUpSampling2D)").contains("(None, 8, 8, 4)"), s);
            assertTrue(lineOf(s, "skip (TestAdd)").contains("enc[0][0], up[0][0]"), s);
            assertTrue(s.contains("Total params: 229 (916.00 B)"), s);
        }
    }

    static String lineOf(String text, String start) {
        return text.lines().filter(l -> l.startsWith("│ " + start)).findFirst()
                .orElseThrow(() -> new AssertionError("no row '" + start + "' in\n" + text));
    }

    @Test
    void sharedLayerHasOneSetOfWeightsAndBothCallsInTheSummary() {
        SymbolicTensor a = new Input(Shape.of(5), "left").output();
        SymbolicTensor b = new Input(Shape.of(5), "right").output();
        Dense tower = new Dense(3, "relu", "tower");
        SymbolicTensor ta = tower.apply(a);
        SymbolicTensor tb = tower.apply(b);
        assertEquals(1, tb.node().index());
        SymbolicTensor out = new Dense(1, null, "score").apply(new TestAdd("merge").apply(ta, tb));
        try (Functional m = new Functional(List.of(a, b), List.of(out), "siamese")) {
            m.setBackend("java").build();
            assertEquals(List.of("left", "right", "tower", "merge", "score"),
                    m.layers().stream().map(Layer::name).toList());
            assertEquals(4, m.weights().size());
            assertEquals(5 * 3 + 3 + 3 + 1, m.countParams());
            String s = m.summary();
            assertTrue(lineOf(s, "tower (Dense)").contains("left[0][0], right[0][0]"), s);
            assertTrue(lineOf(s, "merge (TestAdd)").contains("tower[0][0], tower[1][0]"), s);
        }
    }

    @Test
    void shapeErrorsAtApplyNameTheLayerAndShapes() {
        SymbolicTensor flat = Input.tensor(10);
        var e = assertThrows(IllegalArgumentException.class, () -> new Conv2D(4, 3, null).apply(flat));
        assertTrue(e.getMessage().contains("Conv2D") && e.getMessage().contains("(None, 10)"), e.getMessage());

        Dense shared = new Dense(4, null, "shared_dense");
        shared.apply(Input.tensor(8));
        e = assertThrows(IllegalArgumentException.class, () -> shared.apply(Input.tensor(5)));
        assertTrue(e.getMessage().contains("shared_dense") && e.getMessage().contains("(None, 8)")
                && e.getMessage().contains("(None, 5)"), e.getMessage());

        TestAdd add = new TestAdd("mismatched_add");
        e = assertThrows(IllegalArgumentException.class, () -> add.apply(Input.tensor(4), Input.tensor(5)));
        assertTrue(e.getMessage().contains("mismatched_add") && e.getMessage().contains("(None, 4)")
                && e.getMessage().contains("(None, 5)"), e.getMessage());
        assertTrue(add.inboundNodes().isEmpty(), "a failed call records nothing");

        Dense single = new Dense(2);
        e = assertThrows(IllegalArgumentException.class, () -> single.apply(Input.tensor(3), Input.tensor(3)));
        assertTrue(e.getMessage().contains(single.name()) && e.getMessage().contains("one input"), e.getMessage());

        Input in = Input.shape(3);
        e = assertThrows(IllegalArgumentException.class, () -> in.apply(Input.tensor(3)));
        assertTrue(e.getMessage().contains(in.name()), e.getMessage());
    }

    @Test
    void layerBuiltElsewhereRejectsAnotherShape() {
        Dense d = new Dense(2, null, "prebuilt");
        try (Sequential s = new Sequential(Input.shape(3), d)) {
            s.setBackend("java").build();
            var e = assertThrows(IllegalArgumentException.class, () -> d.apply(Input.tensor(4)));
            assertTrue(e.getMessage().contains("prebuilt") && e.getMessage().contains("(None, 3)")
                    && e.getMessage().contains("(None, 4)"), e.getMessage());
        }
    }

    @Test
    void graphErrorsNameTheTensorsAtFault() {
        SymbolicTensor a = new Input(Shape.of(3), "given").output();
        SymbolicTensor b = new Input(Shape.of(3), "forgotten").output();
        SymbolicTensor sum = new TestAdd(null).apply(new Dense(3).apply(a), b);
        var e = assertThrows(IllegalArgumentException.class, () -> Model.of(a, sum));
        assertTrue(e.getMessage().contains("disconnected") && e.getMessage().contains("forgotten")
                && e.getMessage().contains("[given]"), e.getMessage());

        SymbolicTensor hidden = new Dense(3).apply(a);
        e = assertThrows(IllegalArgumentException.class, () -> Model.of(hidden, new Dense(1).apply(hidden)));
        assertTrue(e.getMessage().contains("must be an Input's tensor"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> Model.of(List.of(a, a), List.of(sum)));
        assertTrue(e.getMessage().contains("'given' is given twice"), e.getMessage());

        SymbolicTensor c = Input.tensor(3);
        SymbolicTensor x = new Dense(2, null, "twin").apply(c);
        SymbolicTensor y = new Dense(2, null, "twin").apply(x);
        e = assertThrows(IllegalArgumentException.class, () -> Model.of(c, y));
        assertTrue(e.getMessage().contains("two layers are named 'twin'"), e.getMessage());
    }

    @Test
    void modelBuiltForItsInputsOnly() {
        SymbolicTensor in = Input.tensor(4);
        try (Functional m = Model.of(in, new Dense(2).apply(in))) {
            m.setBackend("java");
            var e = assertThrows(IllegalArgumentException.class, () -> m.build(Shape.of(5)));
            assertTrue(e.getMessage().contains("(None, 4)") && e.getMessage().contains("(None, 5)"), e.getMessage());
            assertFalse(m.built());
            m.build();
            e = assertThrows(IllegalArgumentException.class,
                    () -> m.predict(FloatArray.of(new float[10], 2, 5), 2));
            assertTrue(e.getMessage().contains("(None, 4)") && e.getMessage().contains("[2, 5]"), e.getMessage());
        }
    }

    @Test
    void functionalChainMatchesTheSameLayersCalledByHand() {
        SymbolicTensor in = Input.tensor(6, 6, 1);
        SymbolicTensor x = new Conv2D(2, 3, "tanh").apply(in);
        SymbolicTensor out = new Dense(3, "softmax").apply(new Flatten().apply(new MaxPooling2D(2).apply(x)));
        try (Functional m = Model.of(in, out)) {
            m.setBackend("java").setSeed(9);
            float[] data = new float[2 * 36];
            for (int i = 0; i < data.length; i++) data[i] = (i % 7) / 7f;
            FloatArray p = m.predict(FloatArray.of(data, 2, 6, 6, 1), 2);
            try (Sequential same = new Sequential()) {
                for (Layer l : m.layers()) if (!(l instanceof Input)) same.add(l);
                same.setBackend("java").build(Shape.of(6, 6, 1)); // layers are built: their weights are reused
                assertEquals(p, same.predict(FloatArray.of(data, 2, 6, 6, 1), 1));
            }
        }
    }
}
