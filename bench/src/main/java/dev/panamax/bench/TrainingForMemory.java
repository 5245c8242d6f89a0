package dev.panamax.bench;

/**
 * How long the cold-start run trains on after its first step before it reads peak RSS: enough
 * steps for the memory of a steady state, bounded in time for slow sides. The peers use the
 * same numbers.
 */
final class TrainingForMemory {
    static final int MIN_STEPS = 3;
    static final int MAX_STEPS = 20;
    static final long BUDGET_NANOS = 5_000_000_000L;

    private TrainingForMemory() {
    }

    /** Whether to take another step, after {@code steps} steps, with the time budget ending at {@code deadline}. */
    static boolean goOn(int steps, long deadline) {
        return steps < MIN_STEPS || (steps < MAX_STEPS && System.nanoTime() - deadline < 0);
    }
}
