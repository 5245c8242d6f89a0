package dev.panamax.data;

/** A dataset several times over per epoch, each repetition from its own inner epoch (see {@link Dataset#repeat}). */
final class RepeatedDataset implements Dataset {
    private final Dataset source;
    private final int times;
    private final int size;

    RepeatedDataset(Dataset source, int times) {
        if (times < 1) {
            throw new IllegalArgumentException("Dataset.repeat: times must be 1 or more, got " + times);
        }
        try {
            this.size = Math.multiplyExact(source.size(), times);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("Dataset.repeat: " + source.size() + " examples " + times
                    + " times over is more than " + Integer.MAX_VALUE + " examples");
        }
        this.source = source;
        this.times = times;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Example get(int epoch, int index) {
        DatasetIndex.check(epoch, index, size);
        int n = source.size();
        long innerEpoch = (long) epoch * times + index / n;
        if (innerEpoch > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Dataset.repeat: epoch " + epoch + " with " + times
                    + " repetitions goes past the last epoch the source can number");
        }
        return source.get((int) innerEpoch, index % n);
    }
}
