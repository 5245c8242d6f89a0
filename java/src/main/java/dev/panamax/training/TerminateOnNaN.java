package dev.panamax.training;

import dev.panamax.models.Model;
import java.io.PrintStream;
import java.util.Map;
import java.util.Objects;

/** Keras' {@code TerminateOnNaN}: stops training as soon as a batch ends with a NaN or infinite loss. */
public final class TerminateOnNaN implements Callback {
    private final PrintStream out;
    private Model model;

    /** Reports on standard output, as Keras does. */
    public TerminateOnNaN() {
        this(System.out);
    }

    public TerminateOnNaN(PrintStream out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    @Override
    public void setModel(Model model) {
        this.model = model;
    }

    @Override
    public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
        Double loss = logs.get("loss");
        if (loss != null && !Double.isFinite(loss)) {
            out.println("Batch " + batch + ": Invalid loss, terminating training");
            model.stopTraining();
        }
    }
}
