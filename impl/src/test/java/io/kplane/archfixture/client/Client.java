package io.kplane.archfixture.client;

import io.kplane.archfixture.model.Thing;
import io.kplane.archfixture.time.Tick;

/** Fixture for ArchitectureTest: client may use model, and time like every package. */
public final class Client {
  public Thing get() {
    return new Thing("x" + new Tick().now());
  }
}
