package dev.panamax.training;

/**
 * Keras' {@code Recall}: true positives / (true positives + false negatives), with predictions above
 * the threshold (0.5 by default) positive; over every output, or one column with a class id.
 */
public final class Recall extends ConfusionMetric {

    /** Named {@code recall}, threshold 0.5, every class. */
    public Recall() {
        this("recall", 0.5, ALL_CLASSES);
    }

    public Recall(double threshold) {
        this("recall", threshold, ALL_CLASSES);
    }

    /**
     * @param classId the one column to count, or -1 for every output
     */
    public Recall(String name, double threshold, int classId) {
        super(name, threshold, classId);
    }

    @Override
    public double result() {
        return ratio(truePositives, falseNegatives);
    }

    @Override
    public Metric copy() {
        return new Recall(name(), threshold(), classId());
    }
}
