package dev.panamax.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MemoryPoolTest {

    @Test
    void steadyStateRecyclesBlocksZeroedAndUseAfterCloseThrows() {
        try (MemoryPool pool = new MemoryPool("test")) {
            Tensor leaked = null;
            for (int step = 0; step < 5; step++) {
                try (MemoryScope s = MemoryScope.open("step", pool)) {
                    Tensor a = Tensor.zeros(s, 1000, 100);
                    Tensor b = Tensor.zeros(s, 7);
                    for (float v : a.toFloatArray()) assertEquals(0f, v); // recycled memory is zeroed again
                    a.fill(3f);
                    b.fill(4f);
                    leaked = a;
                }
            }
            assertEquals(2, pool.freshAllocations(), "steps after the first allocate nothing new");
            Tensor stale = leaked;
            assertThrows(IllegalStateException.class, () -> stale.getFloat(0, 0));
        }
    }
}
