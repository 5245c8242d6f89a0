package dev.panamax.io;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/** Serializer behind {@link Json#write} and {@link Json#writePretty}; one instance writes one value. */
final class JsonWriter {
    private static final String INDENT = "  ";

    private final boolean pretty;
    private final StringBuilder out = new StringBuilder();
    /** Keys (String) and indices (Integer) from the root to the value being written, for error messages. */
    private final List<Object> path = new ArrayList<>();

    JsonWriter(boolean pretty) {
        this.pretty = pretty;
    }

    String write(Object value) {
        writeValue(value);
        return out.toString();
    }

    private void writeValue(Object value) {
        switch (value) {
            case null -> out.append("null");
            case String s -> writeString(s);
            case Boolean b -> out.append(b);
            case Long n -> out.append(n);
            case Integer n -> out.append(n);
            case Short n -> out.append(n);
            case Byte n -> out.append(n);
            case Double d -> writeDouble(d);
            case Float f -> writeFloat(f);
            case Map<?, ?> map -> writeObject(map);
            case Collection<?> list -> {
                Object[] elements = list.toArray();
                writeArray(elements.length, i -> elements[i]);
            }
            case Object[] array -> writeArray(array.length, i -> array[i]);
            case int[] array -> writeArray(array.length, i -> array[i]);
            case long[] array -> writeArray(array.length, i -> array[i]);
            case float[] array -> writeArray(array.length, i -> array[i]);
            case double[] array -> writeArray(array.length, i -> array[i]);
            default -> throw error("cannot write a value of type " + value.getClass().getName());
        }
    }

    private void writeObject(Map<?, ?> map) {
        checkDepth();
        if (map.isEmpty()) {
            out.append("{}");
            return;
        }
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw error("object keys must be strings, found "
                        + (e.getKey() == null ? "null" : "a key of type " + e.getKey().getClass().getName()));
            }
            if (!first) {
                out.append(',');
            }
            first = false;
            newline(depth() + 1);
            writeString(key);
            out.append(pretty ? ": " : ":");
            path.add(key);
            writeValue(e.getValue());
            path.removeLast();
        }
        newline(depth());
        out.append('}');
    }

    private void writeArray(int length, IntFunction<Object> element) {
        checkDepth();
        if (length == 0) {
            out.append("[]");
            return;
        }
        out.append('[');
        for (int i = 0; i < length; i++) {
            if (i > 0) {
                out.append(',');
            }
            newline(depth() + 1);
            path.add(i);
            writeValue(element.apply(i));
            path.removeLast();
        }
        newline(depth());
        out.append(']');
    }

    private int depth() {
        return path.size();
    }

    /** Bounds depth, which also turns a map or list that contains itself into an error, not a stack overflow. */
    private void checkDepth() {
        if (depth() >= Json.MAX_DEPTH) {
            throw error("nesting deeper than " + Json.MAX_DEPTH + " arrays and objects (a value that contains itself?)");
        }
    }

    private void newline(int depth) {
        if (pretty) {
            out.append('\n').append(INDENT.repeat(depth));
        }
    }

    private void writeDouble(double d) {
        requireFinite(d);
        // Double.toString is the shortest text that parses back to the same double (JDK 19+),
        // and its forms (1.0, 1.0E-5) are all valid JSON numbers.
        out.append(d);
    }

    private void writeFloat(float f) {
        requireFinite(f);
        // A reader sees a double; the float's own shortest text (0.1) narrows back to the same
        // float unless it lies too near a rounding boundary, where the exact widened value is used.
        String shortest = Float.toString(f);
        out.append((float) Double.parseDouble(shortest) == f ? shortest : Double.toString(f));
    }

    private void requireFinite(double d) {
        if (!Double.isFinite(d)) {
            throw error(d + " has no JSON representation");
        }
    }

    private void writeString(String s) {
        out.append('"');
        int runStart = 0;
        for (int i = 0; i < s.length(); i++) {
            String escape = escapeAt(s, i);
            if (escape != null) {
                out.append(s, runStart, i).append(escape);
                runStart = i + 1;
            }
        }
        out.append(s, runStart, s.length()).append('"');
    }

    /**
     * The escape for the character at {@code i}, or null to write it as is. Lone surrogates are
     * escaped so that the text encodes to UTF-8 without loss.
     */
    private static String escapeAt(String s, int i) {
        char c = s.charAt(i);
        return switch (c) {
            case '"' -> "\\\"";
            case '\\' -> "\\\\";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            case '\b' -> "\\b";
            case '\f' -> "\\f";
            default -> {
                boolean loneHigh = Character.isHighSurrogate(c)
                        && (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1)));
                boolean loneLow = Character.isLowSurrogate(c)
                        && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
                yield c < 0x20 || loneHigh || loneLow ? String.format("\\u%04x", (int) c) : null;
            }
        };
    }

    private IllegalArgumentException error(String message) {
        StringBuilder where = new StringBuilder("$");
        for (Object step : path.subList(0, Math.min(path.size(), 32))) {
            where.append(step instanceof Integer i ? "[" + i + "]" : "." + step);
        }
        if (path.size() > 32) {
            where.append("...");
        }
        return new IllegalArgumentException("Json.write: " + message + " at " + where);
    }
}
