package dev.panamax.backend;

/** Reductions over axes. */
public enum ReduceOp {
    SUM, MEAN, MAX
}
