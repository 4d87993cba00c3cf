package io.kplane.archfixture.model;

/** Fixture for ArchitectureTest: a model type. */
public record Thing(String name) {}
