package io.kplane.reports;

/**
 * A fact to compare a measurement with: a published figure (DESIGN.md §5) or a peer measured in
 * the same run.
 *
 * @param name   what the figure is, e.g. "etcd 3.4 puts, 1000 clients, 3x8 vCPU"
 * @param value  the figure, in {@code unit}
 * @param unit   e.g. "ops/s", "pods/s", "ms", "s", "B"
 * @param source where it comes from: a document, or "measured in this run"
 */
public record Anchor(String name, double value, String unit, String source) {}
