package dev.panamax;

/**
 * The one setting for how many threads compute ops use, on every backend: oneDNN's OpenMP
 * threads and OpenBLAS's threads on the native backend, the worker count of the Java backend.
 *
 * <p>Read once from the system property {@code panamax.threads}, else the environment
 * variable {@code PANAMAX_THREADS}, else the number of available processors; change it at
 * run time with {@link #set}. Backends apply the current value before each op.
 */
public final class ComputeThreads {
    public static final String PROPERTY = "panamax.threads";
    public static final String ENV = "PANAMAX_THREADS";
    public static final int MAX = 4096;

    private static volatile int threads = initial();

    private ComputeThreads() {
    }

    /** The current thread count. */
    public static int get() {
        return threads;
    }

    /** Sets the thread count, 1 to {@value #MAX}. */
    public static void set(int n) {
        threads = check(n, "ComputeThreads.set");
    }

    /** Where the current value came from, for {@code panamax info}. */
    public static String source() {
        if (System.getProperty(PROPERTY) != null) return "-D" + PROPERTY;
        if (System.getenv(ENV) != null) return ENV;
        return "available processors";
    }

    private static int initial() {
        String p = System.getProperty(PROPERTY);
        if (p != null) return parse(p, "system property " + PROPERTY);
        String e = System.getenv(ENV);
        if (e != null) return parse(e, "environment variable " + ENV);
        return Math.min(Runtime.getRuntime().availableProcessors(), MAX);
    }

    private static int parse(String text, String where) {
        try {
            return check(Integer.parseInt(text.strip()), where);
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException(where + " must be an integer from 1 to " + MAX + ", got '" + text + "'");
        }
    }

    private static int check(int n, String where) {
        if (n < 1 || n > MAX) {
            throw new IllegalArgumentException(where + ": threads must be 1 to " + MAX + ", got " + n);
        }
        return n;
    }
}
