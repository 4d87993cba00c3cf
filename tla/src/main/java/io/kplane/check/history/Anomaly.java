package io.kplane.check.history;

/** A property a history violates: which one ({@code kind}) and a readable excerpt of the evidence. */
public record Anomaly(String kind, String detail) {
}
