package dev.panamax.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.tensor.Shape;
import org.junit.jupiter.api.Test;

class PreprocessingTest {

    @Test
    void normalizationSubtractsTheMeanAndDividesByTheStdPerChannel() {
        Normalization norm = Normalization.of(new float[] {1, 10}, new float[] {2, 4});
        float[] out = norm.apply(new float[] {3, 18, 1, 2}, Shape.of(2, 1, 2));
        assertArrayEquals(new float[] {1, 2, 0, -2}, out);
        Example e = new Example(new float[] {5, 10}, Shape.of(1, 1, 2), new float[] {0}, Shape.of(1));
        assertArrayEquals(new float[] {2, 0}, norm.apply(e).x());
        assertArrayEquals(new float[] {1, 2, 3}, Normalization.of(0.5f, 0.5f).apply(new float[] {1, 1.5f, 2}, Shape.of(3)));

        var mismatch = assertThrows(IllegalArgumentException.class, () -> norm.apply(new float[3], Shape.of(1, 3)));
        assertTrue(mismatch.getMessage().contains("[1, 3]"), mismatch.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Normalization.of(new float[] {0}, new float[] {0}));
        assertThrows(IllegalArgumentException.class, () -> Normalization.of(new float[] {0, 1}, new float[] {1}));
    }

    @Test
    void adaptedNormalizationGivesZeroMeanAndUnitStdPerChannel() {
        // Channel 0 holds 1..8, channel 1 is constant (std floored, not a division by zero).
        float[] data = new float[16];
        for (int i = 0; i < 8; i++) {
            data[2 * i] = i + 1;
            data[2 * i + 1] = 7;
        }
        FloatArray x = FloatArray.of(data, 2, 2, 2, 2);
        Normalization norm = Normalization.adapt(x);
        assertArrayEquals(new float[] {4.5f, 7}, norm.mean());
        assertEquals(Math.sqrt(5.25), norm.std()[0], 1e-6);
        FloatArray normalised = norm.apply(x);
        double sum = 0;
        double squares = 0;
        for (int i = 0; i < 8; i++) {
            sum += normalised.data()[2 * i];
            squares += normalised.data()[2 * i] * normalised.data()[2 * i];
            assertEquals(0f, normalised.data()[2 * i + 1]);
        }
        assertEquals(0, sum / 8, 1e-6);
        assertEquals(1, squares / 8, 1e-5);
        assertEquals(x.shape(), normalised.shape());
    }

    @Test
    void rescalingScalesThenOffsets() {
        assertArrayEquals(new float[] {-1, 0, 1}, Rescaling.of(1 / 127.5f, -1).apply(new float[] {0, 127.5f, 255}), 1e-6f);
        FloatArray x = FloatArray.of(new float[] {0, 255}, 2, 1);
        assertArrayEquals(new float[] {0, 1}, Rescaling.of(1 / 255f, 0).apply(x).data());
        assertThrows(IllegalArgumentException.class, () -> Rescaling.of(Float.NaN, 0));
    }

    @Test
    void oneHotEncodesClassIndices() {
        Example e = new Example(new float[] {1}, Shape.of(1), new float[] {2}, Shape.of(new long[0]));
        Example hot = OneHot.of(4).apply(e);
        assertArrayEquals(new float[] {0, 0, 1, 0}, hot.y());
        assertEquals(Shape.of(4), hot.yShape());
        assertArrayEquals(e.x(), hot.x());

        FloatArray encoded = OneHot.encode(FloatArray.of(new float[] {1, 0, 2}, 3), 3);
        assertEquals(Shape.of(3, 3), encoded.shape());
        assertArrayEquals(new float[] {0, 1, 0, 1, 0, 0, 0, 0, 1}, encoded.data());

        var outOfRange = assertThrows(IllegalArgumentException.class,
                () -> OneHot.encode(FloatArray.of(new float[] {1, 3}, 2), 3));
        assertTrue(outOfRange.getMessage().contains("label 3.0 at row 1"), outOfRange.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OneHot.of(3).apply(e.withY(new float[] {0.5f}, Shape.of(1))));
        assertThrows(IllegalArgumentException.class, () -> OneHot.encode(FloatArray.of(new float[4], 2, 2), 3));
        assertThrows(IllegalArgumentException.class, () -> OneHot.of(1));
    }
}
