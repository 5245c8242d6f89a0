package dev.panamax.backend;

import java.lang.foreign.MemorySegment;

/** Whether two segments share bytes, without the slice and Optional of {@code asOverlappingSlice}. */
final class Overlap {
    private Overlap() {
    }

    static boolean overlaps(MemorySegment a, MemorySegment b) {
        if (a.isNative() && b.isNative()) {
            long aStart = a.address();
            long bStart = b.address();
            return aStart < bStart + b.byteSize() && bStart < aStart + a.byteSize()
                    && a.byteSize() > 0 && b.byteSize() > 0;
        }
        return a.asOverlappingSlice(b).isPresent();
    }

    /** The same bytes exactly: an in-place operation. */
    static boolean same(MemorySegment a, MemorySegment b) {
        if (a.byteSize() != b.byteSize() || !overlaps(a, b)) return false;
        if (a.isNative()) return a.address() == b.address();
        return a.asOverlappingSlice(b).map(MemorySegment::byteSize).orElse(0L) == a.byteSize();
    }
}
