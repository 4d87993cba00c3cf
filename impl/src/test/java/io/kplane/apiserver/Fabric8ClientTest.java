package io.kplane.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fabric8 Kubernetes client (8.0.0) against the API server on real etcd 3.4 (the embedded
 * store when etcd is not installed): CRUD with optimistic concurrency, and a SharedInformer whose
 * cache follows every change through a restart of the API server and through a 410 (its
 * resourceVersion compacted away while the server was down).
 */
class Fabric8ClientTest {
  static EtcdProcess etcd;
  static TestApiServer server;
  static KubernetesClient client;

  @BeforeAll
  static void start() throws Exception {
    Storage storage;
    if (EtcdProcess.installed()) {
      etcd = new EtcdProcess();
      storage = new EtcdStorage(List.of(etcd.endpoint));
    } else {
      storage = new EmbeddedStorage();
    }
    server = new TestApiServer(storage, true);
    Config config = new ConfigBuilder().withMasterUrl(server.url()).withOauthToken(server.token)
        .withCaCertFile(server.dir.resolve("pki/ca.crt").toString()).withNamespace("default")
        .withWatchReconnectInterval(200).withWatchReconnectLimit(-1).withRequestRetryBackoffInterval(200)
        .withRequestRetryBackoffLimit(20).build();
    client = new KubernetesClientBuilder().withConfig(config).build();
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
    if (etcd != null) {
      etcd.close();
    }
  }

  static Pod pod(String ns, String name) {
    return new PodBuilder().withNewMetadata().withName(name).withNamespace(ns).addToLabels("app", "f8").endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().build();
  }

  @Test
  @Timeout(120)
  void crudWithOptimisticConcurrency() {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("f8crud").endMetadata().build()).create();
    Pod created = client.pods().inNamespace("f8crud").resource(pod("f8crud", "a")).create();
    assertThat(created.getMetadata().getUid()).isNotEmpty();
    assertThat(created.getSpec().getRestartPolicy()).isEqualTo("Always");
    assertThat(created.getStatus().getPhase()).isEqualTo("Pending");
    Pod edited = client.pods().inNamespace("f8crud").withName("a").edit(p -> new PodBuilder(p).editMetadata()
        .addToLabels("edited", "yes").endMetadata().build());
    assertThat(edited.getMetadata().getLabels()).containsEntry("edited", "yes");
    // an update carrying the old resourceVersion is rejected with 409
    Pod stale = new PodBuilder(created).editMetadata().addToLabels("stale", "yes").endMetadata().build();
    assertThatThrownBy(() -> client.pods().inNamespace("f8crud").resource(stale).update())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    assertThat(client.pods().inNamespace("f8crud").withLabel("edited", "yes").list().getItems()).hasSize(1);
    client.pods().inNamespace("f8crud").withName("a").delete();
    assertThat(client.pods().inNamespace("f8crud").withName("a").get()).isNull();
  }

  // fabric8 watches over a WebSocket first; a server that answered the upgrade with a streaming 200
  // left it waiting for the body to end (the watch's timeoutSeconds, 10 min) before it fell back to
  // HTTP. A hang must fail here, not stall the suite.
  @Test
  @Timeout(150)
  void informerStaysInSyncThroughARestartAndA410() throws Exception {
    String ns = "f8inf";
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    for (int i = 0; i < 5; i++) {
      client.pods().inNamespace(ns).resource(pod(ns, "p" + i)).create();
    }
    AtomicInteger events = new AtomicInteger();
    SharedIndexInformer<Pod> informer = client.pods().inNamespace(ns).inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod obj) {
        events.incrementAndGet();
      }

      @Override
      public void onUpdate(Pod oldObj, Pod newObj) {
        events.incrementAndGet();
      }

      @Override
      public void onDelete(Pod obj, boolean deletedFinalStateUnknown) {
        events.incrementAndGet();
      }
    }, 0);
    try {
      Supplier<Set<String>> cached = () -> informer.getStore().list().stream().map(p -> p.getMetadata().getName()
          + "@" + p.getMetadata().getResourceVersion()).collect(Collectors.toCollection(TreeSet::new));
      Supplier<Set<String>> truth = () -> client.pods().inNamespace(ns).list().getItems().stream().map(p -> p.getMetadata().getName()
          + "@" + p.getMetadata().getResourceVersion()).collect(Collectors.toCollection(TreeSet::new));
      awaitEqual(cached, truth);
      client.pods().inNamespace(ns).withName("p0").delete();
      client.pods().inNamespace(ns).resource(pod(ns, "p5")).create();
      awaitEqual(cached, truth);

      // 1) restart: changes after it reach the informer through its re-established watch
      server.stop();
      server.start();
      client.pods().inNamespace(ns).withName("p1").delete();
      client.pods().inNamespace(ns).resource(pod(ns, "p6")).create();
      awaitEqual(cached, truth);

      // 2) 410: while the server is down the objects change and history is compacted past the
      // informer's resourceVersion; its watch comes back with 410, it relists and converges.
      server.stop();
      Registry offline = new Registry(server.storage, Resources.builtIn(), Clock.systemUTC());
      ResourceType pods = Resources.builtIn().find("", "v1", "pods");
      offline.delete(pods, ns, "p2", new Registry.DeleteOptions(0L, null, null, null, false));
      ObjectNode p7 = (ObjectNode) Registry.JSON.readTree(io.fabric8.kubernetes.client.utils.Serialization.asJson(pod(ns, "p7")));
      offline.create(pods, ns, p7, false);
      server.storage.compact(server.storage.currentRevision());
      server.start();
      awaitEqual(cached, truth);
      assertThat(cached.get().stream().map(s -> s.substring(0, s.indexOf('@'))).toList())
          .containsExactlyInAnyOrder("p3", "p4", "p5", "p6", "p7");
      assertThat(events.get()).isGreaterThanOrEqualTo(10);
    } finally {
      informer.close();
    }
  }

  static void awaitEqual(Supplier<Set<String>> actual, Supplier<Set<String>> expected) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    Set<String> want = null;
    Set<String> have = null;
    while (System.nanoTime() < deadline) {
      try {
        want = expected.get();
        have = actual.get();
        if (want.equals(have)) {
          return;
        }
      } catch (KubernetesClientException e) {
        // the server is restarting
      }
      Thread.sleep(100);
    }
    assertThat(have).as("informer cache").isEqualTo(want);
  }
}
