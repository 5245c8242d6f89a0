package dev.panamax.autograd;

import java.util.ArrayList;
import java.util.List;

/**
 * The backend calls and host-side tensor writes of one training step, in the order they ran, so
 * that later steps of the same shapes can run them again on the same tensors without rebuilding
 * the graph ({@link #replay}): a replayed step makes no Java objects. Keras traces its train
 * function for the same reason. Dropout seeds are the one input that changes between steps: they
 * are drawn anew for each replayed step exactly as {@link Ops#randomSeed} would draw them.
 */
public final class RecordedStep {
    /** One recorded action; it reads and writes only tensors that live as long as the recording. */
    @FunctionalInterface
    public interface Action {
        void run();
    }

    private final List<Action> actions = new ArrayList<>();
    private long[] seedLayers = new long[4];
    private long[] seeds = new long[4];
    private int seedCount;
    private String notReplayable;

    void add(Action action) {
        actions.add(action);
    }

    /** Notes that this step drew {@code seed} for a layer seeded {@code layerSeed} (the next draw index). */
    void noteSeed(long layerSeed, long seed) {
        if (seedCount == seeds.length) {
            seeds = java.util.Arrays.copyOf(seeds, seedCount * 2);
            seedLayers = java.util.Arrays.copyOf(seedLayers, seedCount * 2);
        }
        seedLayers[seedCount] = layerSeed;
        seeds[seedCount++] = seed;
    }

    /** The index of the latest draw that gave {@code seed}, or -1 when it was not drawn through {@link Ops}. */
    int seedSlot(long seed) {
        for (int i = seedCount - 1; i >= 0; i--) {
            if (seeds[i] == seed) return i;
        }
        return -1;
    }

    /** The seed of draw {@code slot} in the step being replayed (or recorded). */
    long seed(int slot) {
        return seeds[slot];
    }

    /** Marks this recording as unfit for replay, saying why (the step then runs eagerly each time). */
    void markNotReplayable(String reason) {
        if (notReplayable == null) notReplayable = reason;
    }

    /** Whether {@link #replay} reproduces the recorded step. */
    public boolean replayable() {
        return notReplayable == null;
    }

    /** Why this recording cannot be replayed, or null. */
    public String notReplayableReason() {
        return notReplayable;
    }

    /** Number of recorded actions. */
    public int size() {
        return actions.size();
    }

    /**
     * Runs every recorded action again, in order, as training step {@code step} (which the dropout
     * seeds derive from). The caller has reset the step's memory and written the new batch into the
     * recorded input tensors.
     */
    public void replay(long step) {
        if (notReplayable != null) {
            throw new IllegalStateException("RecordedStep.replay: this step cannot be replayed: " + notReplayable);
        }
        for (int i = 0; i < seedCount; i++) seeds[i] = Ops.seedFor(seedLayers[i], step, i);
        for (int i = 0, n = actions.size(); i < n; i++) actions.get(i).run();
    }
}
