package dev.panamax.training;

/**
 * Keras' {@code Precision}: true positives / (true positives + false positives), with predictions
 * above the threshold (0.5 by default) positive; over every output, or one column with a class id.
 */
public final class Precision extends ConfusionMetric {

    /** Named {@code precision}, threshold 0.5, every class. */
    public Precision() {
        this("precision", 0.5, ALL_CLASSES);
    }

    public Precision(double threshold) {
        this("precision", threshold, ALL_CLASSES);
    }

    /**
     * @param classId the one column to count, or -1 for every output
     */
    public Precision(String name, double threshold, int classId) {
        super(name, threshold, classId);
    }

    @Override
    public double result() {
        return ratio(truePositives, falsePositives);
    }

    @Override
    public Metric copy() {
        return new Precision(name(), threshold(), classId());
    }
}
