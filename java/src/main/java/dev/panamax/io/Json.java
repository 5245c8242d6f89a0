package dev.panamax.io;

import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON reader and writer for configs and file headers.
 *
 * <p>Values map to Java as follows: objects to {@code Map<String, Object>} (a
 * {@link java.util.LinkedHashMap} in document order), arrays to {@code List<Object>}, strings to
 * {@link String}, integers written without fraction or exponent to {@link Long}, other numbers
 * to {@link Double}, {@code true}/{@code false} to {@link Boolean} and {@code null} to null.
 *
 * <p>Parsing follows RFC 8259 with no extensions and rejects what a lenient parser would guess
 * at: trailing text, duplicate keys, leading zeros, integers beyond a {@code long}, numbers
 * beyond a {@code double}, control characters in strings and nesting deeper than
 * {@link #MAX_DEPTH}. Errors are {@link JsonException}s giving the character offset.
 *
 * <p>Writing accepts the same types plus {@link Integer}, {@link Short}, {@link Byte},
 * {@link Float}, any {@link java.util.Collection}, and {@code int[]}, {@code long[]},
 * {@code float[]} and {@code double[]}. Output is deterministic; floating-point numbers are
 * written so that they parse back to the same {@code double}, and a {@code Float} to a
 * {@code double} that narrows back to the same {@code float}.
 */
public final class Json {
    /** Deepest nesting of arrays and objects that is read or written. */
    public static final int MAX_DEPTH = 256;

    private Json() {
    }

    /** Parses one JSON value that makes up the whole of {@code text}, surrounding whitespace aside. */
    public static Object parse(String text) {
        return new JsonParser(text).parseDocument();
    }

    /** Parses {@code text}, which must hold a JSON object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        Object value = parse(text);
        if (!(value instanceof Map)) {
            throw new JsonException("expected an object, found " + kindOf(value), 0);
        }
        return (Map<String, Object>) value;
    }

    /** {@code value} as compact JSON: no whitespace between tokens. */
    public static String write(Object value) {
        return new JsonWriter(false).write(value);
    }

    /** {@code value} as JSON indented by two spaces, one member or element per line. */
    public static String writePretty(Object value) {
        return new JsonWriter(true).write(value);
    }

    /** A short description of a parsed value's JSON kind, for error messages. */
    static String kindOf(Object value) {
        return switch (value) {
            case null -> "null";
            case Map<?, ?> m -> "an object";
            case List<?> l -> "an array";
            case String s -> "a string";
            case Number n -> "a number";
            case Boolean b -> "a boolean";
            default -> "a value of type " + value.getClass().getName();
        };
    }
}
