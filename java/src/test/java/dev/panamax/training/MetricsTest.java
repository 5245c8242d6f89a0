package dev.panamax.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.data.FloatArray;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Each metric against values worked out by hand. */
class MetricsTest {
    private static final double EXACT = 1e-12;

    private static FloatArray a(float[] v, long... dims) {
        return FloatArray.of(v, dims);
    }

    @Test
    void binaryAccuracyThresholdsPredictionsAndAveragesPerExample() {
        BinaryAccuracy m = new BinaryAccuracy();
        m.update(a(new float[] {1, 0, 1, 0}, 4, 1), a(new float[] {0.7f, 0.4f, 0.3f, 0.6f}, 4, 1));
        assertEquals(0.5, m.result(), EXACT);
        BinaryAccuracy low = new BinaryAccuracy(0.35);
        low.update(a(new float[] {1, 0, 1, 0}, 4, 1), a(new float[] {0.7f, 0.4f, 0.3f, 0.6f}, 4, 1));
        assertEquals(0.25, low.result(), EXACT);
        // two columns: the first example scores 1, the second 1/2; then a batch of two perfect ones
        BinaryAccuracy wide = new BinaryAccuracy();
        wide.update(a(new float[] {1, 0, 1, 1}, 2, 2), a(new float[] {0.9f, 0.1f, 0.2f, 0.8f}, 2, 2));
        assertEquals(0.75, wide.result(), EXACT);
        wide.update(a(new float[] {0, 0, 1, 1}, 2, 2), a(new float[] {0f, 0.5f, 1f, 0.51f}, 2, 2));
        assertEquals((1 + 0.5 + 1 + 1) / 4, wide.result(), EXACT);
        wide.reset();
        assertEquals(0, wide.result());
    }

    private static final float[] PROBS = {0.1f, 0.2f, 0.7f, 0.5f, 0.4f, 0.1f, 0.4f, 0.4f, 0.2f};
    private static final float[] ONE_HOT = {0, 0, 1, 0, 1, 0, 1, 0, 0};
    private static final float[] INDICES = {2, 1, 0};

    @Test
    void categoricalAndSparseAccuracyCompareArgmaxesWithTheFirstMaximumWinningTies() {
        CategoricalAccuracy c = new CategoricalAccuracy();
        c.update(a(ONE_HOT, 3, 3), a(PROBS, 3, 3));
        assertEquals(2.0 / 3, c.result(), EXACT);
        SparseCategoricalAccuracy s = new SparseCategoricalAccuracy();
        s.update(a(INDICES, 3), a(PROBS, 3, 3));
        assertEquals(2.0 / 3, s.result(), EXACT);
        s.update(a(new float[] {1}, 1, 1), a(new float[] {0f, 1f, 0f}, 1, 3));
        assertEquals(3.0 / 4, s.result(), EXACT);
    }

    private static final float[] TOP = {
        0.1f, 0.5f, 0.3f, 0.1f,
        0.1f, 0.5f, 0.3f, 0.1f,
        0.4f, 0.4f, 0.4f, 0.1f,
        0.3f, 0.3f, 0.2f, 0.2f};
    private static final float[] TOP_LABELS = {2, 0, 2, 3};

    @Test
    void topKCountsTiesAtTheBoundaryAsIn() {
        float[] oneHot = new float[16];
        for (int r = 0; r < 4; r++) oneHot[r * 4 + (int) TOP_LABELS[r]] = 1;
        TopKCategoricalAccuracy top2 = new TopKCategoricalAccuracy(2);
        top2.update(a(oneHot, 4, 4), a(TOP, 4, 4));
        assertEquals(0.5, top2.result(), EXACT);
        SparseTopKCategoricalAccuracy sparse2 = new SparseTopKCategoricalAccuracy(2);
        sparse2.update(a(TOP_LABELS, 4), a(TOP, 4, 4));
        assertEquals(0.5, sparse2.result(), EXACT);
        SparseTopKCategoricalAccuracy top1 = new SparseTopKCategoricalAccuracy(1);
        top1.update(a(TOP_LABELS, 4), a(TOP, 4, 4));
        assertEquals(0.25, top1.result(), EXACT); // only the three-way tie counts
        TopKCategoricalAccuracy five = new TopKCategoricalAccuracy();
        assertEquals(5, five.k());
        five.update(a(oneHot, 4, 4), a(TOP, 4, 4));
        assertEquals(1.0, five.result(), EXACT);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> sparse2.update(a(new float[] {4}, 1), a(new float[] {1, 2, 3, 4}, 1, 4)));
        assertTrue(e.getMessage().contains("sparse_top_k_categorical_accuracy")
                && e.getMessage().contains("target 4.0 at row 0"), e.getMessage());
    }

    private static final float[] Y = {1, 0, 1, 1, 0, 0};
    private static final float[] P = {0.9f, 0.6f, 0.4f, 0.7f, 0.2f, 0.5f};

    @Test
    void precisionAndRecallCountEveryOutputAboveTheThreshold() {
        Precision precision = new Precision();
        Recall recall = new Recall();
        assertEquals(0, precision.result());
        precision.update(a(Y, 6, 1), a(P, 6, 1));
        recall.update(a(Y, 6, 1), a(P, 6, 1));
        assertEquals(2.0 / 3, precision.result(), EXACT); // tp 2 (0.9, 0.7), fp 1 (0.6); 0.5 is not above 0.5
        assertEquals(2.0 / 3, recall.result(), EXACT); // fn 1 (0.4)
        Precision p3 = new Precision(0.3);
        Recall r3 = new Recall(0.3);
        p3.update(a(Y, 3, 2), a(P, 3, 2));
        r3.update(a(Y, 3, 2), a(P, 3, 2));
        assertEquals(3.0 / 5, p3.result(), EXACT);
        assertEquals(1.0, r3.result(), EXACT);
        // class 1 only: targets 0, 1, 0 against 0.6, 0.7, 0.5
        Precision column = new Precision("precision_1", 0.5, 1);
        column.update(a(Y, 3, 2), a(P, 3, 2));
        assertEquals(0.5, column.result(), EXACT);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Recall(1.5));
        assertTrue(e.getMessage().contains("threshold=1.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new Precision("p", 0.5, 2).update(a(Y, 3, 2), a(P, 3, 2)));
        assertTrue(e.getMessage().contains("class_id=2"), e.getMessage());
    }

    @Test
    void aucOfKnownExamples() {
        AUC auc = new AUC();
        // one of the four positive-negative pairs is misordered (0.35 < 0.4)
        auc.update(a(new float[] {0, 0, 1, 1}, 4, 1), a(new float[] {0.1f, 0.4f, 0.35f, 0.8f}, 4, 1));
        assertEquals(0.75, auc.result(), 1e-12);
        auc.reset();
        auc.update(a(new float[] {0, 1}, 2, 1), a(new float[] {0.2f, 0.9f}, 2, 1));
        assertEquals(1.0, auc.result(), 1e-12);
        auc.reset();
        auc.update(a(new float[] {1, 0}, 2, 1), a(new float[] {0.2f, 0.9f}, 2, 1));
        assertEquals(0.0, auc.result(), 1e-12);
        // within one of the 199 threshold intervals two scores tie: half credit, as in Keras
        auc.reset();
        auc.update(a(new float[] {0, 1}, 2, 1), a(new float[] {0.501f, 0.502f}, 2, 1));
        assertEquals(0.5, auc.result(), 1e-12);
        // with 3 thresholds (0, 0.5, 1) the curve has one corner: tpr 1/2 at fpr 0
        AUC coarse = new AUC(3);
        coarse.update(a(new float[] {0, 0, 1, 1}, 4, 1), a(new float[] {0.1f, 0.4f, 0.35f, 0.8f}, 4, 1));
        assertEquals(0.75, coarse.result(), 1e-12);
        coarse.reset();
        coarse.update(a(new float[] {0, 0, 1, 1}, 4, 1), a(new float[] {0.1f, 0.6f, 0.7f, 0.8f}, 4, 1));
        // corners (fpr, tpr): (1, 1) at -ε, (0.5, 1) at 0.5, (0, 0) at 1+ε; every pair is ordered, but the
        // coarse grid cannot see that 0.6 < 0.7
        assertEquals((1 - 0.5) * (1 + 1) / 2 + (0.5 - 0) * (1 + 0) / 2, coarse.result(), 1e-12);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new AUC(1));
        assertTrue(e.getMessage().contains("num_thresholds=1"), e.getMessage());
    }

    @Test
    void aucAccumulatesAcrossBatchesAndMatchesTheRankStatistic() {
        AUC auc = new AUC();
        SplittableRandom r = new SplittableRandom(5);
        int n = 400;
        float[] y = new float[n];
        float[] p = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextDouble() < 0.4 ? 1 : 0;
            p[i] = (float) Math.min(1, Math.max(0, 0.35 * y[i] + 0.65 * r.nextDouble()));
        }
        for (int start = 0; start < n; start += 100) {
            auc.update(a(Arrays.copyOfRange(y, start, start + 100), 100, 1),
                    a(Arrays.copyOfRange(p, start, start + 100), 100, 1));
        }
        double pairs = 0;
        double ordered = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (y[i] == 1 && y[j] == 0) {
                    pairs++;
                    ordered += p[i] > p[j] ? 1 : p[i] == p[j] ? 0.5 : 0;
                }
            }
        }
        assertEquals(ordered / pairs, auc.result(), 5e-3);
    }

    @Test
    void meanErrorsAverageEachExamplesMean() {
        MeanSquaredError mse = new MeanSquaredError();
        MeanAbsoluteError mae = new MeanAbsoluteError();
        FloatArray t = a(new float[] {0, 1, 2, 3}, 2, 2);
        FloatArray p = a(new float[] {1, 1, 2, 5}, 2, 2);
        mse.update(t, p);
        mae.update(t, p);
        assertEquals((0.5 + 2) / 2, mse.result(), EXACT);
        assertEquals((0.5 + 1) / 2, mae.result(), EXACT);
        mse.update(a(new float[] {0}, 1, 1), a(new float[] {3}, 1, 1));
        assertEquals((0.5 + 2 + 9) / 3, mse.result(), EXACT);
        assertEquals(Metric.Direction.DOWN, mse.direction());
    }

    @Test
    void accuracyChoosesItsKindFromTheShapesAsKerasCompileDoes() {
        Accuracy binary = new Accuracy();
        binary.update(a(new float[] {1, 0}, 2, 1), a(new float[] {0.8f, 0.7f}, 2, 1));
        assertEquals(0.5, binary.result(), EXACT);
        Accuracy sparse = new Accuracy("acc");
        sparse.update(a(INDICES, 3), a(PROBS, 3, 3));
        assertEquals(2.0 / 3, sparse.result(), EXACT);
        Accuracy sparseColumn = new Accuracy();
        sparseColumn.update(a(INDICES, 3, 1), a(PROBS, 3, 3));
        assertEquals(2.0 / 3, sparseColumn.result(), EXACT);
        Accuracy categorical = new Accuracy();
        categorical.update(a(ONE_HOT, 3, 3), a(PROBS, 3, 3));
        assertEquals(2.0 / 3, categorical.result(), EXACT);
    }

    @Test
    void copyKeepsNameAndConfigurationButNotState() {
        List<Metric> metrics = List.of(new Precision("p", 0.3, -1), new Recall(0.3), new BinaryAccuracy("b", 0.35),
                new TopKCategoricalAccuracy("top2", 2), new SparseTopKCategoricalAccuracy("s2", 2), new AUC("a", 3),
                new MeanSquaredError("m"), new MeanAbsoluteError(), new CategoricalAccuracy("c"),
                new SparseCategoricalAccuracy("s"), new Accuracy("acc"));
        Map<Class<?>, FloatArray[]> data = Map.of(
                TopKCategoricalAccuracy.class, new FloatArray[] {a(onehot(TOP_LABELS), 4, 4), a(TOP, 4, 4)},
                SparseTopKCategoricalAccuracy.class, new FloatArray[] {a(TOP_LABELS, 4), a(TOP, 4, 4)},
                CategoricalAccuracy.class, new FloatArray[] {a(ONE_HOT, 3, 3), a(PROBS, 3, 3)},
                SparseCategoricalAccuracy.class, new FloatArray[] {a(INDICES, 3), a(PROBS, 3, 3)});
        FloatArray[] binary = {a(Y, 6, 1), a(P, 6, 1)};
        for (Metric m : metrics) {
            FloatArray[] batch = data.getOrDefault(m.getClass(), binary);
            m.update(batch[0], batch[1]);
            Metric fresh = m.copy();
            assertEquals(m.getClass(), fresh.getClass());
            assertEquals(m.name(), fresh.name());
            assertEquals(0, fresh.result(), m.name());
            fresh.update(batch[0], batch[1]);
            assertEquals(m.result(), fresh.result(), EXACT, m.name());
            assertTrue(m.result() > 0, m.name());
        }
    }

    private static float[] onehot(float[] labels) {
        float[] t = new float[labels.length * 4];
        for (int r = 0; r < labels.length; r++) t[r * 4 + (int) labels[r]] = 1;
        return t;
    }

    @Test
    void kerasNamesAndAliasesKeepTheGivenNameInLogs() {
        assertInstanceOf(Accuracy.class, Metrics.get("acc"));
        assertEquals("acc", Metrics.get("acc").name());
        assertInstanceOf(BinaryAccuracy.class, Metrics.get("binary_accuracy"));
        assertInstanceOf(BinaryAccuracy.class, Metrics.get("BinaryAccuracy"));
        assertInstanceOf(CategoricalAccuracy.class, Metrics.get("categorical_accuracy"));
        assertInstanceOf(SparseCategoricalAccuracy.class, Metrics.get("sparse_categorical_accuracy"));
        TopKCategoricalAccuracy top = assertInstanceOf(TopKCategoricalAccuracy.class,
                Metrics.get("top_k_categorical_accuracy"));
        assertEquals(5, top.k());
        assertInstanceOf(SparseTopKCategoricalAccuracy.class, Metrics.get("sparse_top_k_categorical_accuracy"));
        assertInstanceOf(Precision.class, Metrics.get("precision"));
        assertInstanceOf(Recall.class, Metrics.get("Recall"));
        AUC auc = assertInstanceOf(AUC.class, Metrics.get("auc"));
        assertEquals(200, auc.numThresholds());
        assertEquals("AUC", Metrics.get("AUC").name());
        assertInstanceOf(MeanSquaredError.class, Metrics.get("mse"));
        assertEquals("mse", Metrics.get("mse").name());
        assertInstanceOf(MeanSquaredError.class, Metrics.get("mean_squared_error"));
        assertInstanceOf(MeanAbsoluteError.class, Metrics.get("MAE"));
        assertEquals("mean_absolute_error", new MeanAbsoluteError().name());
        assertEquals(Metric.Direction.UP, Metrics.get("auc").direction());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Metrics.get("f1"));
        assertTrue(e.getMessage().contains("'f1'"), e.getMessage());
    }

    @Test
    void shapeErrorsNameTheMetricAndBothShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CategoricalAccuracy().update(a(INDICES, 3), a(PROBS, 3, 3)));
        assertTrue(e.getMessage().contains("categorical_accuracy") && e.getMessage().contains("[3]")
                && e.getMessage().contains("[3, 3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new AUC().update(a(Y, 6), a(new float[] {0.5f, 0.5f, 0.5f}, 3, 1)));
        assertTrue(e.getMessage().contains("auc"), e.getMessage());
    }
}
