package dev.panamax.data;

/** A contiguous range of another dataset's examples (see {@link Dataset#take}, {@link Dataset#skip}). */
final class SlicedDataset implements Dataset {
    private final Dataset source;
    private final int start;
    private final int size;

    SlicedDataset(Dataset source, int start, int size) {
        this.source = source;
        this.start = start;
        this.size = size;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Example get(int epoch, int index) {
        DatasetIndex.check(epoch, index, size);
        return source.get(epoch, start + index);
    }
}
