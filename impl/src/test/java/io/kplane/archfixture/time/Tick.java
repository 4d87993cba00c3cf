package io.kplane.archfixture.time;

/** Fixture for ArchitectureTest: a time type every package may use. */
public final class Tick {
  public long now() {
    return 42;
  }
}
