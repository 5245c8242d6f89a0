package dev.panamax.bench.report;

/** The columns of every comparison: Panamax's two backends and the two peers. */
enum Side {
    PANAMAX_NATIVE("Panamax native", "panamax"),
    PANAMAX_JAVA("Panamax Java", "panamax"),
    DL4J("DL4J", "dl4j"),
    PYTORCH("PyTorch", "pytorch");

    private final String title;
    /** The run a side's results come from: bench/run.sh runs each in its own JVMs and environment. */
    private final String run;

    Side(String title, String run) {
        this.title = title;
        this.run = run;
    }

    String title() {
        return title;
    }

    String run() {
        return run;
    }

    boolean isPanamax() {
        return this == PANAMAX_NATIVE || this == PANAMAX_JAVA;
    }

    /** The side of a result of {@code run}; Panamax's results name their backend. */
    static Side of(String run, String backend) {
        return switch (run) {
            case "panamax" -> switch (backend == null ? "" : backend) {
                case "native" -> PANAMAX_NATIVE;
                case "java" -> PANAMAX_JAVA;
                default -> throw new IllegalArgumentException("Side: Panamax result without backend 'native' or"
                        + " 'java': " + backend);
            };
            case "panamax-native" -> PANAMAX_NATIVE;
            case "panamax-java" -> PANAMAX_JAVA;
            case "dl4j" -> DL4J;
            case "pytorch" -> PYTORCH;
            default -> throw new IllegalArgumentException("Side: unknown run '" + run + "'");
        };
    }
}
