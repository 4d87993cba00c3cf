package io.kplane.archfixture.client;

import io.kplane.archfixture.model.Thing;

/** Fixture for ArchitectureTest: client may use model. */
public final class Client {
  public Thing get() {
    return new Thing("x");
  }
}
