package dev.panamax.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamax.tensor.Shape;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ImageAugmentationTest {
    private static final int H = 6;
    private static final int W = 5;
    private static final int C = 2;
    private static final Shape SHAPE = Shape.of(H, W, C);

    /** Distinct positive values: pixel (y, x) channel c is 100 y + 10 x + c + 1. */
    private static float[] image() {
        float[] image = new float[H * W * C];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                for (int c = 0; c < C; c++) {
                    image[(y * W + x) * C + c] = 100 * y + 10 * x + c + 1;
                }
            }
        }
        return image;
    }

    private static float at(float[] image, int y, int x, int c) {
        return image[(y * W + x) * C + c];
    }

    private static List<ImageAugmentation> all() {
        return List.of(RandomFlip.horizontal(), RandomFlip.vertical(), RandomFlip.of(RandomFlip.Mode.HORIZONTAL_AND_VERTICAL),
                RandomCrop.withPadding(2), RandomTranslation.of(0.3, 0.3),
                RandomRotation.of(0.1), RandomRotation.of(0.1, Interpolation.NEAREST));
    }

    @Test
    void everyAugmentationIsSeededShapePreservingNonDestructiveAndChangesSomething() {
        for (ImageAugmentation aug : all()) {
            String name = aug.getClass().getSimpleName();
            float[] input = image();
            float[] before = input.clone();
            boolean changed = false;
            for (long seed = 0; seed < 20; seed++) {
                float[] a = aug.apply(input, SHAPE, new SplittableRandom(seed));
                float[] b = aug.apply(input, SHAPE, new SplittableRandom(seed));
                assertArrayEquals(a, b, name + ": same seed, same result");
                assertEquals(input.length, a.length, name);
                changed |= !Arrays.equals(a, input);
            }
            assertArrayEquals(before, input, name + " must not write into its input");
            assertTrue(changed, name + " changed nothing in 20 draws");

            Example example = new Example(input, SHAPE, new float[] {3}, Shape.of(new long[0]));
            Example out = aug.apply(example, new SplittableRandom(1));
            assertEquals(SHAPE, out.xShape());
            assertSame(example.y(), out.y(), name + " leaves the label alone");
            assertThrows(IllegalArgumentException.class,
                    () -> aug.apply(new float[30], Shape.of(30), new SplittableRandom(1)), name + " needs [h, w, c]");
        }
    }

    @Test
    void augmentationInADatasetIsTheSameOnARerunAndDiffersPerEpoch() {
        float[] x = new float[4 * H * W * C];
        for (int i = 0; i < 4; i++) {
            System.arraycopy(image(), 0, x, i * H * W * C, H * W * C);
        }
        FloatArray images = FloatArray.of(x, 4, H, W, C);
        FloatArray labels = FloatArray.of(new float[] {0, 1, 2, 3}, 4);
        RandomTransform augment = RandomFlip.horizontal().andThen(RandomCrop.withPadding(1)).andThen(RandomRotation.of(0.05));
        Batches first = Dataset.fromArrays(images, labels).mapRandom(99, augment).batch(4);
        Batches rerun = Dataset.fromArrays(images, labels).mapRandom(99, augment).batch(4);
        assertEquals(first.get(0, 0), rerun.get(0, 0));
        assertEquals(first.get(1, 0), rerun.get(1, 0));
        assertFalse(first.get(0, 0).equals(first.get(1, 0)), "a new epoch, new variations");
        float[] batch = first.get(0, 0).x().data();
        assertFalse(Arrays.equals(Arrays.copyOf(batch, H * W * C), Arrays.copyOfRange(batch, H * W * C, 2 * H * W * C)),
                "identical source images get different variations");
    }

    @Test
    void flipsMirrorAndFlippingTwiceIsTheIdentity() {
        float[] img = image();
        float[] lr = RandomFlip.flipLeftRight(img, H, W, C);
        float[] ud = RandomFlip.flipUpDown(img, H, W, C);
        assertEquals(at(img, 2, 0, 1), at(lr, 2, W - 1, 1));
        assertEquals(at(img, 0, 3, 0), at(ud, H - 1, 3, 0));
        assertArrayEquals(img, RandomFlip.flipLeftRight(lr, H, W, C));
        assertArrayEquals(img, RandomFlip.flipUpDown(ud, H, W, C));

        // A random flip gives either the original or the mirror image, and both over several seeds.
        Set<String> seen = new HashSet<>();
        for (long seed = 0; seed < 32; seed++) {
            float[] out = RandomFlip.horizontal().apply(img, SHAPE, new SplittableRandom(seed));
            assertTrue(Arrays.equals(out, img) || Arrays.equals(out, lr), "seed " + seed);
            seen.add(Arrays.equals(out, img) ? "same" : "mirrored");
        }
        assertEquals(Set.of("same", "mirrored"), seen);
        assertThrows(IllegalArgumentException.class, () -> RandomFlip.flipUpDown(new float[5], 2, 2, 1));
    }

    @Test
    void cropWithPaddingShiftsByAtMostThePaddingAndFillsWithZero() {
        float[] img = image();
        Set<String> shifts = new HashSet<>();
        for (long seed = 0; seed < 300; seed++) {
            float[] out = RandomCrop.withPadding(1).apply(img, SHAPE, new SplittableRandom(seed));
            shifts.add(findShift(img, out));
        }
        // Every offset in [-1, 1] x [-1, 1] occurs, and nothing else.
        Set<String> expected = new HashSet<>();
        for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
                expected.add(dy + "," + dx);
            }
        }
        assertEquals(expected, shifts);
        assertThrows(IllegalArgumentException.class, () -> RandomCrop.withPadding(0));
    }

    @Test
    void translationMovesWholePixelsWithinItsFactors() {
        float[] img = image();
        Set<String> shifts = new HashSet<>();
        for (long seed = 0; seed < 200; seed++) {
            float[] out = RandomTranslation.of(0.34, 0).apply(img, SHAPE, new SplittableRandom(seed));
            String shift = findShift(img, out);
            shifts.add(shift);
        }
        // floor(0.34 * 6) = 2 rows either way, no horizontal movement.
        assertEquals(Set.of("-2,0", "-1,0", "0,0", "1,0", "2,0"), shifts);
        assertThrows(IllegalArgumentException.class, () -> RandomTranslation.of(1.5, 0));
        assertThrows(IllegalArgumentException.class, () -> RandomTranslation.of(0, 0));
    }

    /** The (dy, dx) for which out is img moved down dy and right dx with zero fill; fails if none. */
    private static String findShift(float[] img, float[] out) {
        for (int dy = -H + 1; dy < H; dy++) {
            for (int dx = -W + 1; dx < W; dx++) {
                if (Arrays.equals(out, PixelShift.shift(img, H, W, C, dy, dx))) {
                    return dy + "," + dx;
                }
            }
        }
        throw new AssertionError("not a pure shift of the input: " + Arrays.toString(out));
    }

    @Test
    void pixelShiftMovesContentAndFillsWithZero() {
        float[] img = image();
        float[] down = PixelShift.shift(img, H, W, C, 2, -1);
        assertEquals(at(img, 0, 1, 1), at(down, 2, 0, 1));
        assertEquals(at(img, 3, 4, 0), at(down, 5, 3, 0));
        assertEquals(0f, at(down, 1, 2, 0), "rows moved in from above are zero");
        assertEquals(0f, at(down, 4, W - 1, 1), "the column moved in from the right is zero");
        assertTrue(Arrays.stream(toDoubles(PixelShift.shift(img, H, W, C, 0, W))).allMatch(v -> v == 0));
    }

    @Test
    void rotationByAQuarterTurnIsExactWithNearestAndTurnsCounterClockwise() {
        int n = 5;
        float[] square = new float[n * n];
        for (int i = 0; i < square.length; i++) {
            square[i] = i + 1;
        }
        float[] turned = RandomRotation.rotate(square, n, n, 1, Math.PI / 2, Interpolation.NEAREST);
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                // Counter-clockwise: the right-hand column becomes the top row.
                assertEquals(square[x * n + (n - 1 - y)], turned[y * n + x], "(" + y + ", " + x + ")");
            }
        }
        float[] full = square;
        for (int k = 0; k < 4; k++) {
            full = RandomRotation.rotate(full, n, n, 1, Math.PI / 2, Interpolation.BILINEAR);
        }
        assertArrayEquals(square, full, 1e-4f, "four quarter turns are the identity");
        assertArrayEquals(image(), RandomRotation.rotate(image(), H, W, C, 0, Interpolation.BILINEAR));
    }

    @Test
    void bilinearRotationBlendsAndFillsOutsideWithZero() {
        int n = 9;
        float[] ones = new float[n * n * C];
        Arrays.fill(ones, 1f);
        float[] turned = RandomRotation.rotate(ones, n, n, C, Math.toRadians(45), Interpolation.BILINEAR);
        assertEquals(1f, turned[(4 * n + 4) * C], 1e-6f, "the centre stays inside");
        assertEquals(0f, turned[0], "a corner turned in from outside is fill");
        boolean blended = false;
        for (float v : turned) {
            assertTrue(v >= 0 && v <= 1 + 1e-6f, "value " + v);
            blended |= v > 0.01f && v < 0.99f;
        }
        assertTrue(blended, "edges blend with the zero fill");
        float[] nearest = RandomRotation.rotate(ones, n, n, C, Math.toRadians(30), Interpolation.NEAREST);
        for (float v : nearest) {
            assertTrue(v == 0f || v == 1f, "nearest copies values, got " + v);
        }
        assertThrows(IllegalArgumentException.class, () -> RandomRotation.of(0));
        assertThrows(IllegalArgumentException.class, () -> RandomRotation.of(1.5));
    }

    private static double[] toDoubles(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
