package dev.panamax.tensor;

/**
 * How a tensor's bytes are arranged. User data is always {@link #ROW_MAJOR}; a backend may
 * keep weights in its own blocked layout (oneDNN's packed convolution weights), tagged with a
 * layout that names the backend and the problem it was packed for. Such bytes are never
 * persisted or read as elements.
 */
public record Layout(String name) {
    /** Contiguous row-major (C order) elements. */
    public static final Layout ROW_MAJOR = new Layout("row-major");

    public Layout {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("Layout: name must be non-empty, got " + name);
        }
    }

    /** A backend-private layout, e.g. {@code backendPacked("native", "conv2d:n1_c3h8w8_oc4k3s1p1")}. */
    public static Layout backendPacked(String backend, String problem) {
        return new Layout(backend + ":" + problem);
    }

    public boolean isRowMajor() {
        return this.equals(ROW_MAJOR);
    }

    @Override
    public String toString() {
        return name;
    }
}
