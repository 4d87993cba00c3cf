package io.kplane.etcd;

import static io.kplane.etcd.EtcdTranscript.b;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lease expiry across a leader change, as etcd's {@code Lessor.Promote}: the new leader gives every
 * lease a full TTL plus an election timeout from the moment it takes over, so a lease does not expire
 * at the deadline the old leader had; and the new leader does revoke it once that extended TTL passes.
 */
class LeaseLeaderChangeTest {
    @TempDir
    Path dir;

    @Test
    void aNewLeaderExtendsLeasesAndThenExpiresThem() throws Exception {
        try (KvCluster cluster = KvCluster.start(3, dir, Duration.ofMillis(20), true)) {
            int leader = cluster.awaitLeader(Duration.ofSeconds(10));
            int other = (leader + 1) % 3;
            ManagedChannel ch = NettyChannelBuilder.forTarget(cluster.endpoints().get(other).replace("http://", ""))
                    .usePlaintext().build();
            try {
                long t0 = System.nanoTime();
                LeaseGrpc.newBlockingStub(ch).leaseGrant(LeaseGrantRequest.newBuilder().setID(7).setTTL(3).build());
                KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(ch);
                kv.put(PutRequest.newBuilder().setKey(b("owned")).setValue(b("x")).setLease(7).build());
                sleepUntil(t0, 2000);
                cluster.stop(leader);
                cluster.awaitLeader(Duration.ofSeconds(10));
                sleepUntil(t0, 3800); // past the 3 s TTL counted from the grant
                assertThat(kv.range(RangeRequest.newBuilder().setKey(b("owned")).build()).getCount())
                        .as("the new leader extended the lease when it took over").isEqualTo(1);
                long deadline = t0 + TimeUnit.SECONDS.toNanos(12);
                long count = 1;
                while (count > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                    count = kv.range(RangeRequest.newBuilder().setKey(b("owned")).build()).getCount();
                }
                assertThat(count).as("and revoked it once the extended TTL passed").isZero();
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isGreaterThan(4500);
            } finally {
                ch.shutdownNow();
            }
        }
    }

    private static void sleepUntil(long t0, long millis) throws InterruptedException {
        long wait = TimeUnit.MILLISECONDS.toNanos(millis) - (System.nanoTime() - t0);
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }
}
