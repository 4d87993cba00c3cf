package io.kplane.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.kplane.kv.KvCommand;
import io.kplane.server.ClusterSpec;
import io.kplane.server.StoreConfig;
import io.kplane.server.StoreNode;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 defect 11: ranges (their counting and encoding) ran on the member's Raft thread, so a
 * large list held up ticks and heartbeats. No timing here: a read that cannot finish until the
 * member has committed and applied another write proves the read is not on the Raft thread (on it,
 * the write could never be applied and the test runs into its deadline).
 */
class ReadsOffTheRaftThreadTest {

    @TempDir
    Path dir;

    private static ByteString b(String s) {
        return ByteString.copyFromUtf8(s);
    }

    @Test
    void aReadInProgressDoesNotHoldUpTheRaftThread() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ClusterSpec spec = ClusterSpec.parse("solo=127.0.0.1:" + port, "reads");
        StoreConfig config = StoreConfig.defaults("solo", spec, dir.resolve("solo")).withTick(Duration.ofMillis(10));
        try (StoreNode node = StoreNode.startTcp(config, new KvReplicatedStateMachine(), null)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (!node.status().isLeader() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            KvService kv = new KvService(node, new Headers(node), EtcdServer.DEFAULT_MAX_REQUEST_BYTES);
            try {
                for (int i = 0; i < 300; i++) {
                    node.propose(KvCommand.PUT.encode(PutRequest.newBuilder().setKey(b("k/" + i)).setValue(b("v")).build()))
                            .get(10, TimeUnit.SECONDS);
                }
                CountDownLatch writeApplied = new CountDownLatch(1);
                CompletableFuture<String> read = kv.read(false, store -> {
                    RangeResponse all = store.rangePublished(RangeRequest.newBuilder().setKey(b("k/")).setRangeEnd(b("k0")).build());
                    try {
                        // the read is "large": it lasts until the member has applied another write
                        if (!writeApplied.await(20, TimeUnit.SECONDS)) {
                            throw new IllegalStateException("the member applied nothing while the read ran");
                        }
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return all.getCount() + " keys on " + Thread.currentThread().getName();
                });
                node.propose(KvCommand.PUT.encode(PutRequest.newBuilder().setKey(b("during")).setValue(b("x")).build()))
                        .get(15, TimeUnit.SECONDS);
                writeApplied.countDown();
                assertThat(read.get(20, TimeUnit.SECONDS)).startsWith("300 keys on etcd-read-");
                assertThat(node.status().isLeader()).as("still leader: ticks and heartbeats went on").isTrue();
            } finally {
                kv.close();
            }
        }
    }
}
