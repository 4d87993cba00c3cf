package io.kplane.archfixture.cli;

/** Fixture for ArchitectureTest: a cli type nobody may use. */
public final class Command {
  public static String run() {
    return "ok";
  }
}
