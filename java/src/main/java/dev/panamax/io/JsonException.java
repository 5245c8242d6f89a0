package dev.panamax.io;

/**
 * Text that is not valid JSON, or JSON that breaks one of {@link Json}'s bounds. The message
 * names the fact at fault and the character offset where it was found.
 */
public final class JsonException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String fact;
    private final int offset;

    JsonException(String fact, int offset) {
        super("JSON: " + fact + " at offset " + offset);
        this.fact = fact;
        this.offset = offset;
    }

    /** What is wrong, without the offset, e.g. {@code unterminated string starting}. */
    public String fact() {
        return fact;
    }

    /** Offset, in characters from the start of the text, where parsing failed. */
    public int offset() {
        return offset;
    }
}
