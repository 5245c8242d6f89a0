package dev.panamax.bench.report;

/** A measured quantity of the model comparison, and which way is better. */
enum Metric {
    TRAIN_IMAGES_PER_SECOND("images/s", true),
    TRAIN_HEAP_BYTES_PER_STEP("bytes/step", false),
    LATENCY_MEDIAN_MS("ms", false),
    LATENCY_P99_MS("ms", false),
    INFERENCE_IMAGES_PER_SECOND("images/s", true),
    FIRST_STEP_SECONDS("s", false),
    PEAK_RSS_MIB("MiB", false);

    private final String unit;
    private final boolean higherIsBetter;

    Metric(String unit, boolean higherIsBetter) {
        this.unit = unit;
        this.higherIsBetter = higherIsBetter;
    }

    String unit() {
        return unit;
    }

    boolean higherIsBetter() {
        return higherIsBetter;
    }
}
