package io.kplane.check;

import java.util.function.Predicate;

/** A named state predicate that must hold in every reachable state. */
public record Invariant<S>(String name, Predicate<S> holds) {}
