package dev.panamax.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Doubles printed as Python's repr prints them (the values below are Python 3's output). */
class PythonFloatsTest {

    @ParameterizedTest
    @CsvSource({
        "0.1, 0.1", "1.0, 1.0", "100.0, 100.0", "-2.5, -2.5", "0.0001, 0.0001", "1e-05, 1e-05",
        "1.5e-07, 1.5e-07", "123456.789, 123456.789", "1e16, 1e+16", "1e15, 1000000000000000.0",
        "12345678901234567.0, 1.2345678901234568e+16", "1e22, 1e+22", "0.30000000000000004, 0.30000000000000004",
        "1e-100, 1e-100", "0.0, 0.0", "-0.0, -0.0"})
    void reprLikePython(double value, String python) {
        assertEquals(python, PythonFloats.repr(value));
    }

    @Test
    void specialValues() {
        assertEquals("nan", PythonFloats.repr(Double.NaN));
        assertEquals("inf", PythonFloats.repr(Double.POSITIVE_INFINITY));
        assertEquals("-inf", PythonFloats.repr(Double.NEGATIVE_INFINITY));
        assertEquals("0.10000000149011612", PythonFloats.repr(0.1f));
    }
}
