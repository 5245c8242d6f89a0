package dev.panamax.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Recursive-descent parser behind {@link Json#parse}; one instance parses one text. */
final class JsonParser {
    private final String text;
    private int pos;
    private int depth;

    JsonParser(String text) {
        if (text == null) {
            throw new IllegalArgumentException("Json.parse: text is null");
        }
        this.text = text;
    }

    Object parseDocument() {
        skipWhitespace();
        Object value = parseValue();
        skipWhitespace();
        if (pos < text.length()) {
            throw error("unexpected " + describe(text.charAt(pos)) + " after the end of the value");
        }
        return value;
    }

    private Object parseValue() {
        if (pos >= text.length()) {
            throw error("unexpected end of input, expected a value");
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> parseObject();
            case '[' -> parseArray();
            case '"' -> parseString();
            case 't' -> parseLiteral("true", Boolean.TRUE);
            case 'f' -> parseLiteral("false", Boolean.FALSE);
            case 'n' -> parseLiteral("null", null);
            default -> {
                if (c == '-' || isDigit(c)) {
                    yield parseNumber();
                }
                throw error("unexpected " + describe(c) + ", expected a value");
            }
        };
    }

    private Map<String, Object> parseObject() {
        enter();
        pos++; // '{'
        Map<String, Object> members = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            depth--;
            return members;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error(pos >= text.length() ? "unterminated object, expected a key"
                        : "expected a string key, found " + describe(text.charAt(pos)));
            }
            int keyOffset = pos;
            String key = parseString();
            skipWhitespace();
            expect(':', "after the key \"" + key + "\"");
            skipWhitespace();
            if (members.containsKey(key)) {
                throw new JsonException("duplicate key \"" + key + "\"", keyOffset);
            }
            members.put(key, parseValue());
            skipWhitespace();
            if (peek() == ',') {
                pos++;
            } else if (peek() == '}') {
                pos++;
                depth--;
                return members;
            } else {
                throw error(pos >= text.length() ? "unterminated object"
                        : "expected ',' or '}' in an object, found " + describe(text.charAt(pos)));
            }
        }
    }

    private List<Object> parseArray() {
        enter();
        pos++; // '['
        List<Object> elements = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            depth--;
            return elements;
        }
        while (true) {
            skipWhitespace();
            elements.add(parseValue());
            skipWhitespace();
            if (peek() == ',') {
                pos++;
            } else if (peek() == ']') {
                pos++;
                depth--;
                return elements;
            } else {
                throw error(pos >= text.length() ? "unterminated array"
                        : "expected ',' or ']' in an array, found " + describe(text.charAt(pos)));
            }
        }
    }

    private void enter() {
        if (++depth > Json.MAX_DEPTH) {
            throw error("nesting deeper than " + Json.MAX_DEPTH + " arrays and objects");
        }
    }

    private String parseString() {
        int start = pos;
        pos++; // opening quote
        StringBuilder out = null;
        int runStart = pos;
        while (true) {
            if (pos >= text.length()) {
                throw new JsonException("unterminated string starting", start);
            }
            char c = text.charAt(pos);
            if (c == '"') {
                String s = out == null ? text.substring(runStart, pos) : out.append(text, runStart, pos).toString();
                pos++;
                return s;
            }
            if (c < 0x20) {
                throw error("unescaped control character " + describe(c) + " in a string");
            }
            if (c == '\\') {
                if (out == null) {
                    out = new StringBuilder();
                }
                out.append(text, runStart, pos);
                out.append(parseEscape());
                runStart = pos;
            } else {
                pos++;
            }
        }
    }

    /** Reads the escape at {@code pos} (its backslash included) and returns the character it stands for. */
    private char parseEscape() {
        int start = pos;
        pos++; // backslash
        if (pos >= text.length()) {
            throw new JsonException("unterminated escape", start);
        }
        char c = text.charAt(pos++);
        return switch (c) {
            case '"' -> '"';
            case '\\' -> '\\';
            case '/' -> '/';
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'u' -> {
                int code = 0;
                for (int i = 0; i < 4; i++) {
                    int digit = pos < text.length() ? Character.digit(text.charAt(pos), 16) : -1;
                    if (digit < 0) {
                        throw new JsonException("bad escape: \\u must be followed by four hex digits", start);
                    }
                    code = code * 16 + digit;
                    pos++;
                }
                yield (char) code;
            }
            default -> throw new JsonException("bad escape \\" + printable(c), start);
        };
    }

    private Object parseNumber() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (!isDigit(peek())) {
            throw error("expected a digit in a number");
        }
        if (peek() == '0') {
            pos++;
            if (isDigit(peek())) {
                throw new JsonException("number with a leading zero", start);
            }
        } else {
            skipDigits();
        }
        boolean integral = true;
        if (peek() == '.') {
            integral = false;
            pos++;
            if (!isDigit(peek())) {
                throw error("expected a digit after the decimal point");
            }
            skipDigits();
        }
        if (peek() == 'e' || peek() == 'E') {
            integral = false;
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!isDigit(peek())) {
                throw error("expected a digit in the exponent");
            }
            skipDigits();
        }
        String literal = text.substring(start, pos);
        if (integral) {
            try {
                return Long.parseLong(literal);
            } catch (NumberFormatException e) {
                throw new JsonException("integer " + literal + " does not fit in a 64-bit long", start);
            }
        }
        double value = Double.parseDouble(literal);
        if (Double.isInfinite(value)) {
            throw new JsonException("number " + literal + " is beyond the range of a double", start);
        }
        return value;
    }

    private Object parseLiteral(String word, Object value) {
        if (!text.startsWith(word, pos)) {
            throw error("invalid literal, expected '" + word + "'");
        }
        pos += word.length();
        return value;
    }

    private void expect(char c, String where) {
        if (peek() != c) {
            throw error(pos >= text.length() ? "unexpected end of input, expected '" + c + "' " + where
                    : "expected '" + c + "' " + where + ", found " + describe(text.charAt(pos)));
        }
        pos++;
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private void skipDigits() {
        while (isDigit(peek())) {
            pos++;
        }
    }

    /** The character at {@code pos}, or 0 at the end (never a valid token start, so no special case). */
    private char peek() {
        return pos < text.length() ? text.charAt(pos) : 0;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private JsonException error(String message) {
        return new JsonException(message, pos);
    }

    private static String describe(char c) {
        return "'" + printable(c) + "'";
    }

    private static String printable(char c) {
        return c < 0x20 || c >= 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }
}
