package dev.panamax.backend.purejava;

/** Index arithmetic shared by the Java backend's op families. */
final class Sizes {
    private Sizes() {
    }

    static int roundUp4(int x) {
        return (x + 3) & ~3;
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** {@code v} as an int index; Java arrays cap what one block of an op may hold. */
    static int toInt(long v) {
        if (v > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("java backend: dimension " + v + " is too large for a Java array");
        }
        return (int) v;
    }
}
