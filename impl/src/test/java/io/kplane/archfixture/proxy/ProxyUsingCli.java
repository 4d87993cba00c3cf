package io.kplane.archfixture.proxy;

import io.kplane.archfixture.cli.Command;
import io.kplane.archfixture.client.Client;

/** Fixture for ArchitectureTest: proxy may use client, not cli. */
public final class ProxyUsingCli {
  public String use() {
    return new Client().get().name() + Command.run();
  }
}
