package io.kplane.bench.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.etcd.jetcd.api.StatusResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The peer of the store benchmark: three real etcd members on loopback, driven by the benchmark client. */
class EtcdClusterTest {

    @Test
    void threeMemberEtcdServesEveryBenchmarkOperation(@TempDir Path dir) throws Exception {
        assumeTrue(EtcdCluster.installed(), "etcd is not installed (apt-get install etcd-server); skipping");
        try (EtcdCluster etcd = EtcdCluster.start(3, dir.resolve("etcd"));
             StoreClient client = new StoreClient(etcd.clientEndpoints(), 2, 100, 256)) {
            assertThat(etcd.clientEndpoints()).hasSize(3);
            StatusResponse status = StoreProbe.status(etcd.clientEndpoints().get(0));
            assertThat(status.getVersion()).startsWith("3.4");
            assertThat(status.getLeader()).isNotZero();

            client.preload(16);
            List<CompletableFuture<Void>> calls = new ArrayList<>();
            for (StoreClient.Op op : StoreClient.Op.values()) {
                for (int i = 0; i < 20; i++) {
                    calls.add(client.issue(op, i, i));
                }
            }
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            // preload (100 puts) + 20 puts + 20 successful txn puts, one revision each, from revision 1
            assertThat(StoreProbe.status(etcd.clientEndpoints().get(1)).getHeader().getRevision()).isEqualTo(141);

            // Watch delivery: every (put, watcher) pair arrives and is measured exactly once.
            WatchDelivery.Result w = WatchDelivery.run(etcd.clientEndpoints(), 10, 1, 50, 1.0,
                    com.google.protobuf.ByteString.copyFromUtf8("watch/"), client.value());
            assertThat(w.putErrors()).isZero();
            assertThat(w.expected()).isEqualTo(w.puts() * 10);
            assertThat(w.delivered()).isEqualTo(w.expected());
            assertThat(w.latencyNanos().getTotalCount()).isEqualTo(w.expected());
        }
    }

    @Test
    void instantServerAnswersWithoutStoring() throws Exception {
        try (InstantKvServer server = InstantKvServer.start();
             StoreClient client = new StoreClient(server.clientEndpoints(), 1, 10, 8)) {
            client.issue(StoreClient.Op.TXN, 0, 3).get(5, TimeUnit.SECONDS);
            assertThat(StoreProbe.status(server.clientEndpoints().get(0)).getLeader()).isEqualTo(1);
        }
    }
}
