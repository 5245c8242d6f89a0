package dev.panamax.training;

import dev.panamax.models.Model;
import java.util.Locale;
import java.util.Objects;

/** Whether a watched log value should go down or up: what EarlyStopping and ModelCheckpoint share. */
final class MonitorMode {
    private MonitorMode() {
    }

    /** Checks {@code mode} is {@code "auto"}, {@code "min"} or {@code "max"}; returns it lower-cased. */
    static String check(String callback, String mode) {
        String m = Objects.requireNonNull(mode, "mode").toLowerCase(Locale.ROOT);
        if (!m.equals("auto") && !m.equals("min") && !m.equals("max")) {
            throw new IllegalArgumentException(callback + ": mode must be \"auto\", \"min\" or \"max\". Received: mode="
                    + mode);
        }
        return m;
    }

    /**
     * True to minimize: {@code "min"}; false for {@code "max"}; in {@code "auto"} mode, a loss is
     * minimized and a compiled metric goes the way its {@link Metric#direction()} says.
     */
    static boolean minimize(String callback, String mode, String monitor, Model model) {
        if (mode.equals("min")) return true;
        if (mode.equals("max")) return false;
        String metric = monitor.startsWith("val_") ? monitor.substring(4) : monitor;
        if (metric.equals("loss") || metric.endsWith("_loss")) return true;
        if (model != null) {
            for (Metric m : model.metrics()) {
                if (m.name().equals(metric) && m.direction() != Metric.Direction.UNKNOWN) {
                    return m.direction() == Metric.Direction.DOWN;
                }
            }
        }
        throw new IllegalStateException(callback + ": monitor=" + monitor + " is neither the loss nor a compiled"
                + " metric whose direction is known, so \"auto\" mode cannot tell whether it should be minimized or"
                + " maximized; pass mode(\"min\") or mode(\"max\")");
    }
}
