package dev.panamax.backend;

/** Element-wise binary operations with NumPy broadcasting. */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, MAX, MIN;

    /** The definition, in double precision. */
    public double apply(double a, double b) {
        return switch (this) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
        };
    }
}
