package dev.panamax.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JsonTest {

    @Test
    void parsesEachKindToItsJavaType() {
        Map<String, Object> doc = Json.parseObject("""
                { "z": 1, "a": -2.5, "m": [true, false, null], "s": "x", "o": {}, "e": 1e3, "big": 9223372036854775807 }
                """);
        assertEquals(List.of("z", "a", "m", "s", "o", "e", "big"), List.copyOf(doc.keySet()), "document order is kept");
        assertInstanceOf(LinkedHashMap.class, doc);
        assertEquals(1L, doc.get("z"));
        assertEquals(-2.5, doc.get("a"));
        assertEquals(java.util.Arrays.asList(true, false, null), doc.get("m"));
        assertEquals("x", doc.get("s"));
        assertEquals(Map.of(), doc.get("o"));
        assertEquals(1000.0, doc.get("e"), "an exponent makes a Double even when the value is whole");
        assertEquals(Long.MAX_VALUE, doc.get("big"));
        assertEquals(Long.MIN_VALUE, Json.parse("-9223372036854775808"));
        assertEquals(0L, Json.parse(" 0 "));
        assertEquals(1.0, Json.parse("1.0"));
        assertNull(Json.parse("null"));
    }

    @Test
    void writesCompactAndPrettyFormsStably() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("name", "dense");
        doc.put("units", 64);
        doc.put("rate", 0.5f);
        doc.put("shape", new long[] {2, 3});
        doc.put("empty", List.of());
        doc.put("nested", Map.of("ok", true));
        doc.put("none", null);
        assertEquals("{\"name\":\"dense\",\"units\":64,\"rate\":0.5,\"shape\":[2,3],\"empty\":[],"
                + "\"nested\":{\"ok\":true},\"none\":null}", Json.write(doc));
        assertEquals("""
                {
                  "name": "dense",
                  "units": 64,
                  "rate": 0.5,
                  "shape": [
                    2,
                    3
                  ],
                  "empty": [],
                  "nested": {
                    "ok": true
                  },
                  "none": null
                }""", Json.writePretty(doc));
        assertEquals(Json.parse(Json.write(doc)), Json.parse(Json.writePretty(doc)));
    }

    @Test
    void roundTripsNestedValues() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("layers", List.of(Map.of("units", 3L), Map.of("units", 4L)));
        doc.put("weights", List.of(1.5, -0.0, 1e-300, Double.MAX_VALUE, Double.MIN_VALUE));
        doc.put("ints", List.of(Long.MIN_VALUE, -1L, 0L, Long.MAX_VALUE));
        doc.put("text", "tab\tquote\" back\\ slash/ nl\n cr\r bell\u0007 é 漢 😀 \u2028");
        assertEquals(doc, Json.parse(Json.write(doc)));
        assertEquals(doc, Json.parse(Json.writePretty(doc)));
    }

    @Test
    void writesPrimitiveArraysAndBoxedIntegers() {
        assertEquals("[1,-2]", Json.write(new int[] {1, -2}));
        assertEquals("[9223372036854775807]", Json.write(new long[] {Long.MAX_VALUE}));
        assertEquals("[0.1,-3.0]", Json.write(new float[] {0.1f, -3f}));
        assertEquals("[0.1,1.0E-5]", Json.write(new double[] {0.1, 1e-5}));
        assertEquals("[7,8,9]", Json.write(List.of((short) 7, (byte) 8, 9)));
    }

    @Test
    void doublesRoundTripExactly() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 20_000; i++) {
            double d = Double.longBitsToDouble(random.nextLong());
            if (!Double.isFinite(d)) {
                continue;
            }
            Object back = Json.parse(Json.write(d));
            assertEquals(Double.doubleToRawLongBits(d), Double.doubleToRawLongBits((Double) back), "value " + d);
        }
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits((Double) Json.parse(Json.write(-0.0))));
    }

    @Test
    void floatsRoundTripExactlyThroughTheDoubleAReaderSees() {
        SplittableRandom random = new SplittableRandom(7);
        List<Float> values = new ArrayList<>(List.of(Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, 0.1f,
                1f / 3, -0f, 16777217f, Math.nextDown(1f), Math.nextUp(Float.MIN_NORMAL)));
        for (int i = 0; i < 50_000; i++) {
            values.add(Float.intBitsToFloat(random.nextInt()));
        }
        for (float f : values) {
            if (!Float.isFinite(f)) {
                continue;
            }
            double read = (Double) Json.parse(Json.write(f));
            assertEquals(Float.floatToRawIntBits(f), Float.floatToRawIntBits((float) read), "value " + f);
        }
        assertEquals("0.1", Json.write(0.1f), "a float is written in its own shortest form");
    }

    @Test
    void stringEscapesAreDecoded() {
        assertEquals("\"\\/\b\f\n\r\t", Json.parse("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\""));
        assertEquals("é😀", Json.parse("\"\\u00e9\\ud83d\\ude00\""));
        assertEquals("\u00e9", Json.parse("\"\\u00E9\""), "hex digits in either case");
    }

    @Test
    void loneSurrogatesAreWrittenEscapedAndReadBack() {
        String lone = "a\ud800b\udc00";
        String json = Json.write(lone);
        assertEquals("\"a\\ud800b\\udc00\"", json);
        assertEquals(lone, Json.parse(json));
    }

    @Test
    void nestingUpToTheBoundIsAccepted() {
        String deep = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        Object value = Json.parse(deep);
        assertEquals(deep, Json.write(value));
    }

    static List<Arguments> invalidDocuments() {
        String tooDeep = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
        return List.of(
                Arguments.of("", 0, "unexpected end of input"),
                Arguments.of("   ", 3, "unexpected end of input"),
                Arguments.of("{} x", 3, "after the end of the value"),
                Arguments.of("1 2", 2, "after the end of the value"),
                Arguments.of("[1,]", 3, "expected a value"),
                Arguments.of("[1 2]", 3, "expected ',' or ']'"),
                Arguments.of("[1", 2, "unterminated array"),
                Arguments.of("{\"a\":1,}", 7, "expected a string key"),
                Arguments.of("{a:1}", 1, "expected a string key"),
                Arguments.of("{\"a\" 1}", 5, "expected ':'"),
                Arguments.of("{\"a\":1", 6, "unterminated object"),
                Arguments.of("{\"a\":1,\"a\":2}", 7, "duplicate key \"a\""),
                Arguments.of("\"abc", 0, "unterminated string"),
                Arguments.of("[\"a\\x\"]", 3, "bad escape \\x"),
                Arguments.of("\"\\u12g4\"", 1, "bad escape: \\u must be followed by four hex digits"),
                Arguments.of("\"\\u12\"", 1, "bad escape"),
                Arguments.of("\"\\", 1, "unterminated escape"),
                Arguments.of("\"a\nb\"", 2, "unescaped control character"),
                Arguments.of("01", 0, "leading zero"),
                Arguments.of("-01", 0, "leading zero"),
                Arguments.of("1.", 2, "after the decimal point"),
                Arguments.of(".5", 0, "expected a value"),
                Arguments.of("+1", 0, "expected a value"),
                Arguments.of("-", 1, "expected a digit"),
                Arguments.of("1e", 2, "in the exponent"),
                Arguments.of("1e+", 3, "in the exponent"),
                Arguments.of("99999999999999999999", 0, "does not fit in a 64-bit long"),
                Arguments.of("[1e999]", 1, "beyond the range of a double"),
                Arguments.of("tru", 0, "expected 'true'"),
                Arguments.of("nul", 0, "expected 'null'"),
                Arguments.of("NaN", 0, "expected a value"),
                Arguments.of("'a'", 0, "expected a value"),
                Arguments.of("\ufeff{}", 0, "expected a value"),
                Arguments.of(tooDeep, Json.MAX_DEPTH, "nesting deeper than 256"));
    }

    @ParameterizedTest(name = "[{index}] {2}")
    @MethodSource("invalidDocuments")
    void rejectsInvalidDocumentsNamingTheOffset(String text, int offset, String fact) {
        JsonException e = assertThrows(JsonException.class, () -> Json.parse(text));
        assertEquals(offset, e.offset(), e.getMessage());
        assertTrue(e.getMessage().contains(fact), e.getMessage());
        assertTrue(e.getMessage().endsWith("at offset " + offset), e.getMessage());
        assertTrue(e.fact().contains(fact) && !e.fact().contains("offset"), e.fact());
    }

    @Test
    void parseObjectRejectsOtherValues() {
        JsonException e = assertThrows(JsonException.class, () -> Json.parseObject("[1]"));
        assertTrue(e.getMessage().contains("expected an object, found an array"), e.getMessage());
    }

    @Test
    void writeRejectsWhatJsonCannotHold() {
        Map<String, Object> nan = new LinkedHashMap<>();
        nan.put("loss", List.of(1.0, Double.NaN));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.write(nan));
        assertEquals("Json.write: NaN has no JSON representation at $.loss[1]", e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> Json.write(Float.POSITIVE_INFINITY));
        assertTrue(e.getMessage().contains("Infinity has no JSON representation at $"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of(1, "x")));
        assertTrue(e.getMessage().contains("object keys must be strings"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> Json.write(List.of(new Object())));
        assertTrue(e.getMessage().contains("cannot write a value of type java.lang.Object at $[0]"), e.getMessage());

        List<Object> cycle = new ArrayList<>();
        cycle.add(cycle);
        e = assertThrows(IllegalArgumentException.class, () -> Json.write(cycle));
        assertTrue(e.getMessage().contains("nesting deeper than 256"), e.getMessage());
    }

    @Test
    void parseRejectsNull() {
        assertThrows(IllegalArgumentException.class, () -> Json.parse(null));
    }
}
