package dev.panamax.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

class TensorTest {

    @Test
    void memoryIsZeroedAnd64ByteAligned() {
        try (MemoryScope scope = MemoryScope.open("t")) {
            for (int n = 1; n < 40; n += 7) {
                Tensor t = Tensor.zeros(scope, n, 3);
                assertEquals(0, t.segment().address() % 64, "address of " + t);
                assertEquals(n * 3L * 4, t.byteSize());
                for (float v : t.toFloatArray()) assertEquals(0f, v);
            }
        }
    }

    @Test
    void copiesInAndOutOfArraysAndBuffers() {
        float[] values = {1, 2, 3, 4, 5, 6};
        try (MemoryScope scope = MemoryScope.open("t")) {
            Tensor t = Tensor.of(scope, values, 2, 3);
            assertArrayEquals(values, t.toFloatArray());
            float[] out = new float[6];
            t.copyTo(out);
            assertArrayEquals(values, out);

            FloatBuffer heap = FloatBuffer.wrap(new float[] {9, 9, 6, 5, 4, 3, 2, 1}, 2, 6);
            t.copyFrom(heap);
            assertEquals(8, heap.position(), "the buffer advances");
            assertArrayEquals(new float[] {6, 5, 4, 3, 2, 1}, t.toFloatArray());

            FloatBuffer direct = ByteBuffer.allocateDirect(24).order(ByteOrder.nativeOrder()).asFloatBuffer();
            t.copyTo(direct);
            direct.flip();
            t.fill(0);
            t.copyFrom(direct);
            assertArrayEquals(new float[] {6, 5, 4, 3, 2, 1}, t.toFloatArray());
        }
    }

    @Test
    void byteBuffersAreReadInTheirOwnByteOrder() {
        try (MemoryScope scope = MemoryScope.open("t")) {
            Tensor t = Tensor.zeros(scope, 3);
            for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
                ByteBuffer in = ByteBuffer.allocate(12).order(order);
                in.putFloat(1.5f).putFloat(-2f).putFloat(1e-3f).flip();
                t.copyFrom(in);
                assertArrayEquals(new float[] {1.5f, -2f, 1e-3f}, t.toFloatArray(), "order " + order);
                ByteBuffer out = ByteBuffer.allocate(12).order(order);
                t.copyTo(out);
                out.flip();
                assertEquals(-2f, out.getFloat(4), "order " + order);
            }
        }
    }

    @Test
    void int32TensorsKeepTheirElements() {
        try (MemoryScope scope = MemoryScope.open("t")) {
            Tensor labels = Tensor.zeros(scope, DType.INT32, Shape.of(4));
            labels.setInt(7, 2);
            assertEquals(7, labels.getInt(2));
            assertThrows(IllegalArgumentException.class, () -> labels.getFloat(0));
        }
    }

    @Test
    void reshapeAndSliceShareMemory() {
        try (MemoryScope scope = MemoryScope.open("t")) {
            Tensor t = Tensor.of(scope, new float[] {0, 1, 2, 3, 4, 5, 6, 7}, 4, 2);
            Tensor flat = t.reshape(8);
            flat.setFloat(42, 3);
            assertEquals(42f, t.getFloat(1, 1));

            Tensor rows = t.slice(1, 2);
            assertEquals(Shape.of(2, 2), rows.shape());
            assertArrayEquals(new float[] {2, 42, 4, 5}, rows.toFloatArray());
            rows.setFloat(-1, 1, 0);
            assertEquals(-1f, t.getFloat(2, 0));

            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.reshape(3, 3));
            assertTrue(e.getMessage().contains("[4, 2]") && e.getMessage().contains("[3, 3]"), e.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> t.slice(3, 2));
        }
    }

    @Test
    void toStringShowsShapeAndSomeValues() {
        try (MemoryScope scope = MemoryScope.open("t")) {
            Tensor small = Tensor.of(scope, new float[] {1, 2, 3}, 3);
            assertEquals("Tensor(float32, [3], [1.0, 2.0, 3.0])", small.toString());
            Tensor big = Tensor.zeros(scope, 10, 10);
            big.setFloat(9, 9, 9);
            assertEquals("Tensor(float32, [10, 10], [0.0, 0.0, 0.0, 0.0, 0.0, ..., 9.0])", big.toString());
        }
    }

    @Test
    void closingTheScopeFreesItsTensorsAndLaterUseThrows() {
        MemoryScope scope = MemoryScope.open("batch");
        Tensor t = Tensor.zeros(scope, 2, 2);
        Tensor view = t.reshape(4);
        scope.close();
        assertFalse(scope.isOpen());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.getFloat(0, 0));
        assertTrue(e.getMessage().contains("'batch' is closed"), e.getMessage());
        assertThrows(IllegalStateException.class, view::toFloatArray);
        assertThrows(IllegalStateException.class, () -> Tensor.zeros(scope, 1));
        assertTrue(t.toString().contains("closed"));
        scope.close(); // closing twice is harmless
    }

    @Test
    void childScopesCloseOnTheirOwnOrAtTheLatestWithTheirParent() {
        long live = MemoryScope.liveBytes();
        MemoryScope parent = MemoryScope.open("model");
        MemoryScope early = parent.openChild("replaced");
        MemoryScope late = parent.openChild("kept");
        Tensor e = Tensor.zeros(early, 16);
        Tensor l = Tensor.zeros(late, 16);
        early.close();
        assertThrows(IllegalStateException.class, e::toFloatArray);
        assertTrue(parent.isOpen() && late.isOpen(), "a child's close leaves its parent and siblings open");
        assertEquals(0f, l.getFloat(3));
        parent.close();
        assertFalse(late.isOpen(), "closed with its parent");
        assertThrows(IllegalStateException.class, l::toFloatArray);
        late.close(); // closing twice is harmless
        assertEquals(live, MemoryScope.liveBytes(), "every byte given back");
        IllegalStateException closed = assertThrows(IllegalStateException.class, () -> parent.openChild("late"));
        assertTrue(closed.getMessage().contains("'model' is closed"), closed.getMessage());
    }

    @Test
    void badShapesAndCountsAreRejectedWithTheValues() {
        IllegalArgumentException neg = assertThrows(IllegalArgumentException.class, () -> Shape.of(2, -3));
        assertTrue(neg.getMessage().contains("-3"), neg.getMessage());
        try (MemoryScope scope = MemoryScope.open("t")) {
            IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                    () -> Tensor.of(scope, new float[5], 2, 3));
            assertTrue(count.getMessage().contains("5 values") && count.getMessage().contains("[2, 3]"),
                    count.getMessage());
            Tensor t = Tensor.zeros(scope, 2, 3);
            assertThrows(IllegalArgumentException.class, () -> t.copyTo(new float[7]));
            assertThrows(IllegalArgumentException.class, () -> t.copyFrom(ByteBuffer.allocate(8)));
            assertThrows(IndexOutOfBoundsException.class, () -> t.getFloat(2, 0));
            assertThrows(IllegalArgumentException.class, () -> t.getFloat(0));
        }
    }

    @Test
    void packedTensorsCannotBeReadAsElements() {
        try (MemoryScope scope = MemoryScope.open("t")) {
            Tensor p = Tensor.packed(scope, DType.FLOAT32, Shape.of(3, 3, 4, 8), Layout.backendPacked("native", "x"), 4096);
            assertEquals(4096, p.byteSize());
            IllegalStateException e = assertThrows(IllegalStateException.class, p::toFloatArray);
            assertTrue(e.getMessage().contains("native:x"), e.getMessage());
            assertTrue(p.toString().contains("layout native:x"), p.toString());
        }
    }
}
