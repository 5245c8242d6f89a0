package dev.panamax.layers;

import dev.panamax.autograd.Var;
import dev.panamax.tensor.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Keras' {@code ZeroPadding2D}: rows of zeros above and below, columns left and right of channels-last
 * images {@code [h, w, c]}. Padding is one int (all sides), a pair {@code (height, width)} (symmetric),
 * or {@code ((top, bottom), (left, right))}.
 */
public class ZeroPadding2D extends Layer {
    private final int[][] padding;

    public ZeroPadding2D() {
        this(1);
    }

    public ZeroPadding2D(int padding) {
        this(padding, padding);
    }

    public ZeroPadding2D(int height, int width) {
        this(new int[][] {{height, height}, {width, width}}, null);
    }

    /** @param padding {@code {{top, bottom}, {left, right}}} */
    public ZeroPadding2D(int[][] padding, String name) {
        super(name);
        boolean valid = padding != null && padding.length == 2;
        for (int i = 0; valid && i < 2; i++) {
            valid = padding[i] != null && padding[i].length == 2 && padding[i][0] >= 0 && padding[i][1] >= 0;
        }
        if (!valid) {
            throw new IllegalArgumentException("`padding` should be either an int, a tuple of 2 ints"
                    + " (symmetric_height_pad, symmetric_width_pad), or a tuple of 2 tuples of 2 ints"
                    + " ((top_pad, bottom_pad), (left_pad, right_pad)), all non-negative. Received: padding="
                    + Arrays.deepToString(padding));
        }
        this.padding = new int[][] {padding[0].clone(), padding[1].clone()};
    }

    /** {@code {{top, bottom}, {left, right}}}. */
    public int[][] padding() {
        return new int[][] {padding[0].clone(), padding[1].clone()};
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        if (inputShape.rank() != 3) {
            throw shapeError("expects images [height, width, channels] (rank 4 with the batch)", inputShape);
        }
        return Shape.of(inputShape.dim(0) + padding[0][0] + padding[0][1],
                inputShape.dim(1) + padding[1][0] + padding[1][1], inputShape.dim(2));
    }

    @Override
    public Var call(Var input, boolean training) {
        return input.ops().pad(input, new long[] {0, padding[0][0], padding[1][0], 0},
                new long[] {0, padding[0][1], padding[1][1], 0});
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("padding", List.of(LayerConfigs.list(padding[0]), LayerConfigs.list(padding[1])));
        return c;
    }

    public static ZeroPadding2D fromConfig(Map<String, Object> c) {
        Object v = c.get("padding");
        String name = LayerConfigs.string(c, "name", null);
        int[][] p;
        if (v == null || v instanceof Number) {
            int x = LayerConfigs.intValue(c, "padding", 1);
            p = new int[][] {{x, x}, {x, x}};
        } else if (v instanceof List<?> list && list.size() == 2 && list.get(0) instanceof List<?>) {
            p = new int[2][];
            for (int i = 0; i < 2; i++) {
                if (!(list.get(i) instanceof List<?> side)) {
                    throw new IllegalArgumentException("Layer config: 'padding' must be an int, 2 ints or 2 pairs of"
                            + " ints. Received: " + v);
                }
                p[i] = LayerConfigs.ints(Map.of("padding", side), "padding", 2);
            }
        } else {
            int[] hw = LayerConfigs.ints(c, "padding", 2);
            p = new int[][] {{hw[0], hw[0]}, {hw[1], hw[1]}};
        }
        return LayerConfigs.common(new ZeroPadding2D(p, name), c);
    }
}
