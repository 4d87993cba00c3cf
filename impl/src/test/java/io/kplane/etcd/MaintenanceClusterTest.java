package io.kplane.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.HashKVRequest;
import io.etcd.jetcd.api.HashRequest;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.MoveLeaderRequest;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HashKV, Hash and MoveLeader on a real 3-member cluster (TCP, WAL): what a single member cannot show. */
class MaintenanceClusterTest {
    @TempDir
    Path dir;

    @Test
    void membersAgreeOnHashKvAndMoveLeaderHandsLeadershipToTheChosenVoter() throws Exception {
        try (KvCluster cluster = KvCluster.start(3, dir, Duration.ofMillis(20), false)) {
            int leader = cluster.awaitLeader(Duration.ofSeconds(20));
            List<ManagedChannel> channels = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    channels.add(NettyChannelBuilder.forAddress("127.0.0.1", cluster.server(i).port()).usePlaintext().build());
                }
                KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(channels.get(leader)).withDeadlineAfter(30, TimeUnit.SECONDS);
                for (int i = 0; i < 200; i++) {
                    kv.put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("k" + (i % 20)))
                            .setValue(ByteString.copyFromUtf8("v" + i)).build());
                }
                kv.compact(CompactionRequest.newBuilder().setRevision(150).build());
                long rev = kv.range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("k1")).build())
                        .getHeader().getRevision();
                List<Integer> hashes = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    // a linearizable read on each member first: then it has applied everything up to rev
                    KVGrpc.newBlockingStub(channels.get(i)).withDeadlineAfter(30, TimeUnit.SECONDS)
                            .range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("k1")).build());
                    var h = MaintenanceGrpc.newBlockingStub(channels.get(i)).withDeadlineAfter(30, TimeUnit.SECONDS)
                            .hashKV(HashKVRequest.newBuilder().setRevision(rev).build());
                    assertThat(h.getCompactRevision()).isEqualTo(150);
                    hashes.add(h.getHash());
                }
                assertThat(hashes).as("hash per member").containsOnly(hashes.get(0));

                // Maintenance.Hash: etcd hashes its backend file, a value kplane has no equivalent of, so
                // real etcd cannot be the oracle here; what must hold is that members that applied the
                // same entries answer the same hash, and that a write changes it.
                List<Integer> full = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    full.add(MaintenanceGrpc.newBlockingStub(channels.get(i)).withDeadlineAfter(30, TimeUnit.SECONDS)
                            .hash(HashRequest.getDefaultInstance()).getHash());
                }
                assertThat(full).as("Hash per member").containsOnly(full.get(0));
                kv.put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("k-after"))
                        .setValue(ByteString.copyFromUtf8("v")).build());
                assertThat(MaintenanceGrpc.newBlockingStub(channels.get(leader)).withDeadlineAfter(30, TimeUnit.SECONDS)
                        .hash(HashRequest.getDefaultInstance()).getHash()).as("Hash after a write").isNotEqualTo(full.get(0));

                int target = (leader + 1) % 3;
                long targetId = cluster.member(target).status().memberId();
                int follower = (leader + 2) % 3;
                assertThatThrownBy(() -> MaintenanceGrpc.newBlockingStub(channels.get(follower))
                        .moveLeader(MoveLeaderRequest.newBuilder().setTargetID(targetId).build()))
                        .hasMessageContaining("etcdserver: not leader");
                assertThatThrownBy(() -> MaintenanceGrpc.newBlockingStub(channels.get(leader))
                        .moveLeader(MoveLeaderRequest.newBuilder().setTargetID(12345).build()))
                        .hasMessageContaining("etcdserver: bad leader transferee");
                MaintenanceGrpc.newBlockingStub(channels.get(leader)).withDeadlineAfter(30, TimeUnit.SECONDS)
                        .moveLeader(MoveLeaderRequest.newBuilder().setTargetID(targetId).build());
                assertThat(cluster.member(target).status().isLeader()).isTrue();
            } finally {
                channels.forEach(ManagedChannel::shutdownNow);
            }
        }
    }
}
