package io.kplane.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.kplane.kv.KvCommand;
import io.kplane.server.ClusterSpec;
import io.kplane.server.Member;
import io.kplane.server.MembershipChange;
import io.kplane.server.ReplicaStatus;
import io.kplane.server.StoreConfig;
import io.kplane.server.StoreNode;
import io.kplane.time.ManualNanoClock;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member added at runtime joins a running 3-member cluster over TCP: MemberAdd as learner, the
 * new member starts with an empty log from the joined membership, receives the leader's snapshot
 * (members included) and catches up, is promoted to voter, takes new writes, and stops once removed.
 */
class MemberJoinTest {
    @TempDir
    Path dir;

    @Test
    void aLearnerAddedAtRuntimeCatchesUpIsPromotedAndLeavesWhenRemoved() throws Exception {
        try (KvCluster cluster = KvCluster.start(3, dir, Duration.ofMillis(50), true)) {
            StoreNode leader = cluster.member(cluster.awaitLeader(Duration.ofSeconds(20)));
            for (int i = 0; i < 20; i++) {
                leader.propose(KvCommand.PUT.encode(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("k" + i))
                        .setValue(ByteString.copyFromUtf8("v" + i)).build())).get(10, TimeUnit.SECONDS);
            }
            int port = RealEtcd.freePort();
            long id = 0x4a4f494e4544L; // any id no member has
            List<Member> members = leader.changeMembership(new MembershipChange(MembershipChange.Kind.ADD,
                    new Member(id, "", List.of("http://127.0.0.1:" + port), List.of(), true))).get(10, TimeUnit.SECONDS);
            assertThat(members).hasSize(4).anyMatch(m -> m.id() == id && m.isLearner());

            ClusterSpec joined = ClusterSpec.joined("kplane-kv-cluster", leader.status().clusterId(), members, id, "n4");
            StoreConfig config = StoreConfig.defaults("n4", joined, dir.resolve("n4")).withTick(Duration.ofMillis(50));
            // The newbie's clock moves only when the test moves it: as a learner and then a follower it
            // needs no ticks (the leader drives it), and the grace before a removed member stops is
            // measured on it, so the test moves the clock instead of waiting that second out.
            ManualNanoClock newbieClock = new ManualNanoClock();
            try (StoreNode newbie = StoreNode.startTcp(config, new KvReplicatedStateMachine(), null, newbieClock);
                 EtcdServer server = EtcdServer.start(newbie, new InetSocketAddress("127.0.0.1", 0))) {
                long target = leader.status().commitIndex();
                await(() -> newbie.status().appliedIndex() >= target, "the new member catches up to " + target);
                assertThat(serializableGet(server.port(), "k19")).isEqualTo("v19");
                assertThat(newbie.status().members()).hasSize(4); // learned from the snapshot and the log

                List<Member> promoted = leader.changeMembership(new MembershipChange(MembershipChange.Kind.PROMOTE,
                        new Member(id, "", List.of(), List.of(), false))).get(10, TimeUnit.SECONDS);
                assertThat(promoted).anyMatch(m -> m.id() == id && !m.isLearner());
                leader.propose(KvCommand.PUT.encode(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("after"))
                        .setValue(ByteString.copyFromUtf8("promotion")).build())).get(10, TimeUnit.SECONDS);
                await(() -> "promotion".equals(serializableGet(server.port(), "after")), "the voter gets new writes");

                ReplicaStatus before = leader.status();
                leader.changeMembership(new MembershipChange(MembershipChange.Kind.REMOVE,
                        new Member(id, "", List.of(), List.of(), false))).get(10, TimeUnit.SECONDS);
                // The change's future completes when the entry applies; the status snapshot follows it.
                await(() -> leader.status().members().size() == 3, "the leader's status drops the removed member");
                assertThat(leader.status().members()).hasSize(3).noneMatch(m -> m.id() == id);
                await(() -> newbie.status().members().size() == 3, "the removed member applies its removal");
                assertThat(newbie.failure()).as("it stops only after a grace on its clock").isNotDone();
                newbieClock.advance(Duration.ofSeconds(1).plusNanos(1));
                await(() -> newbie.failure().isCompletedExceptionally(), "the removed member stops");
                assertThatThrownBy(() -> newbie.failure().join()).hasMessageContaining("permanently removed");
                assertThat(before.members()).hasSize(4);
            }
            // the three remaining members still commit
            leader.propose(KvCommand.PUT.encode(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("end"))
                    .setValue(ByteString.copyFromUtf8("x")).build())).get(10, TimeUnit.SECONDS);
        }
    }

    private static String serializableGet(int port, String key) {
        ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            var kvs = KVGrpc.newBlockingStub(ch).withDeadlineAfter(5, TimeUnit.SECONDS).range(RangeRequest.newBuilder()
                    .setKey(ByteString.copyFromUtf8(key)).setSerializable(true).build()).getKvsList();
            return kvs.isEmpty() ? null : kvs.get(0).getValue().toStringUtf8();
        } finally {
            ch.shutdownNow();
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }
}
