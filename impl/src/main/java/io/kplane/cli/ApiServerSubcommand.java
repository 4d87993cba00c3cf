package io.kplane.cli;

/** Registers {@code kplane apiserver}. */
public final class ApiServerSubcommand implements KplaneSubcommand {
  @Override
  public Object command() {
    return new ApiServerCommand();
  }

  @Override
  public int order() {
    return 30;
  }
}
