package io.kplane.apiserver;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link KubectlScenarios} on a real etcd 3.4. */
class KubectlOnEtcdTest extends KubectlScenarios {
  static EtcdProcess etcd;
  static TestApiServer server;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(EtcdProcess.installed(), "etcd is not installed");
    etcd = new EtcdProcess();
    server = new TestApiServer(new EtcdStorage(List.of(etcd.endpoint)), true);
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (etcd != null) {
      etcd.close();
    }
  }

  @Override
  TestApiServer server() {
    return server;
  }
}
