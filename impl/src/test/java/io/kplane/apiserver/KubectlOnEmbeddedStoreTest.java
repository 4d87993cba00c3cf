package io.kplane.apiserver;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link KubectlScenarios} on the embedded store. */
class KubectlOnEmbeddedStoreTest extends KubectlScenarios {
  static TestApiServer server;

  @BeforeAll
  static void start() throws Exception {
    server = new TestApiServer(new EmbeddedStorage(), true);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Override
  TestApiServer server() {
    return server;
  }
}
