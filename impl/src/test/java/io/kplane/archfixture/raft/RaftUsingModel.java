package io.kplane.archfixture.raft;

import io.kplane.archfixture.model.Thing;

/** Fixture for ArchitectureTest: raft must not use model. */
public final class RaftUsingModel {
  public String use(Thing t) {
    return t.name();
  }
}
