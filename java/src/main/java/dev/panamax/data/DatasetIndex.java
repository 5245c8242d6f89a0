package dev.panamax.data;

/** The argument checks every {@link Dataset#get} implementation shares. */
final class DatasetIndex {
    private DatasetIndex() {
    }

    static void check(int epoch, int index, int size) {
        if (epoch < 0) {
            throw new IllegalArgumentException("Dataset.get: epoch must be 0 or more, got " + epoch);
        }
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("Dataset.get: index " + index + " is out of range for "
                    + size + " examples");
        }
    }
}
