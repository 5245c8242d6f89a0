package dev.panamax.backend.nativecpu;

import dev.panamax.tensor.Shape;
import dev.panamax.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * Per-thread native memory for the small arrays some shim calls take (dimensions, axes, the
 * pointers of concat's pieces), cut into fixed slots once, so that filling them allocates
 * nothing on the Java heap. Each slot is reused by the next call on the same thread.
 */
final class ArgumentScratch {
    /** The shim's highest rank. */
    static final int MAX_RANK = 8;
    /** Pieces of a concat or split that fit in the slots; more use a temporary arena. */
    static final int MAX_PIECES = 64;

    private static final ThreadLocal<ArgumentScratch> PER_THREAD = ThreadLocal.withInitial(ArgumentScratch::new);

    final MemorySegment longs0;
    final MemorySegment longs1;
    final MemorySegment longs2;
    final MemorySegment ints;
    final MemorySegment pointers;
    final MemorySegment sizes;

    private ArgumentScratch() {
        MemorySegment all = Arena.ofAuto().allocate(4 * 64 + 2 * 8L * MAX_PIECES, 64);
        longs0 = all.asSlice(0, 64);
        longs1 = all.asSlice(64, 64);
        longs2 = all.asSlice(128, 64);
        ints = all.asSlice(192, 32);
        pointers = all.asSlice(256, 8L * MAX_PIECES);
        sizes = all.asSlice(256 + 8L * MAX_PIECES, 8L * MAX_PIECES);
    }

    static ArgumentScratch get() {
        return PER_THREAD.get();
    }

    /** Writes the dims of {@code shape} into {@code slot}. */
    static MemorySegment dims(MemorySegment slot, Shape shape) {
        int rank = checkRank(shape.rank());
        for (int i = 0; i < rank; i++) slot.setAtIndex(ValueLayout.JAVA_LONG, i, shape.dim(i));
        return slot;
    }

    static MemorySegment longs(MemorySegment slot, long[] values) {
        checkRank(values.length);
        MemorySegment.copy(values, 0, slot, ValueLayout.JAVA_LONG, 0, values.length);
        return slot;
    }

    static MemorySegment ints(MemorySegment slot, int[] values) {
        checkRank(values.length);
        MemorySegment.copy(values, 0, slot, ValueLayout.JAVA_INT, 0, values.length);
        return slot;
    }

    /** The segments of {@code tensors} as a pointer array, in these slots or in {@code arena} when too many. */
    MemorySegment pointers(List<Tensor> tensors, Arena arena) {
        MemorySegment p = tensors.size() <= MAX_PIECES ? pointers : arena.allocate(ValueLayout.ADDRESS, tensors.size());
        for (int i = 0; i < tensors.size(); i++) p.setAtIndex(ValueLayout.ADDRESS, i, tensors.get(i).segment());
        return p;
    }

    /** Each tensor's size along {@code axis}, in these slots or in {@code arena} when too many. */
    MemorySegment axisSizes(List<Tensor> tensors, int axis, Arena arena) {
        MemorySegment s = tensors.size() <= MAX_PIECES ? sizes : arena.allocate(ValueLayout.JAVA_LONG, tensors.size());
        for (int i = 0; i < tensors.size(); i++) s.setAtIndex(ValueLayout.JAVA_LONG, i, tensors.get(i).shape().dim(axis));
        return s;
    }

    private static int checkRank(int rank) {
        if (rank > MAX_RANK) {
            throw new IllegalArgumentException("tensors of rank " + rank + " exceed the native backend's limit of "
                    + MAX_RANK);
        }
        return rank;
    }
}
