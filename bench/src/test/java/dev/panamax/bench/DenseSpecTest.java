package dev.panamax.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DenseSpecTest {
    @Test
    void parsesItsDescriptorAndWritesItBack() {
        DenseSpec spec = DenseSpec.parse("n128_ic784_oc512");
        assertEquals(new DenseSpec(128, 784, 512), spec);
        assertEquals("n128_ic784_oc512", spec.descriptor());
        assertEquals(2.0 * 128 * 784 * 512, spec.flops());
    }

    @Test
    void rejectsMalformedDescriptorsAndNamesTheForm() {
        var e = assertThrows(IllegalArgumentException.class, () -> DenseSpec.parse("n128_c784_oc512"));
        assertTrue(e.getMessage().contains("'n128_c784_oc512'") && e.getMessage().contains("n<N>_ic<IN>_oc<OUT>"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DenseSpec.parse("n0_ic784_oc512"));
    }
}
