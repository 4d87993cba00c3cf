package io.kplane.etcd;

import static io.kplane.etcd.EtcdTranscript.b;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.api.StatusResponse;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchGrpc;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three {@code kplane store --listen-client} processes: writes through one member are read
 * (linearizably) and watched through the others, etcdctl works against them, and after the leader
 * is killed with SIGKILL the survivors elect a new one and keep every acknowledged write.
 */
class ProcessClusterTest {
    @TempDir
    Path dir;

    @Test
    void threeProcessesServeEtcdClientsAndSurviveTheLeadersDeath() throws Exception {
        try (KvClusterProcesses cluster = KvClusterProcesses.start(3, dir, List.of("-Xmx256m"))) {
            List<ManagedChannel> channels = new ArrayList<>();
            for (String e : cluster.clientEndpoints()) {
                channels.add(NettyChannelBuilder.forTarget(e).usePlaintext().build());
            }
            try {
                BlockingQueue<WatchResponse> watched = new LinkedBlockingQueue<>();
                StreamObserver<WatchRequest> watch = WatchGrpc.newStub(channels.get(2)).watch(new StreamObserver<>() {
                    @Override
                    public void onNext(WatchResponse r) {
                        watched.add(r);
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
                watch.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder().setKey(b("k"))).build());
                assertThat(watched.poll(10, TimeUnit.SECONDS).getCreated()).isTrue();

                long rev = KVGrpc.newBlockingStub(channels.get(0))
                        .put(PutRequest.newBuilder().setKey(b("k")).setValue(b("v1")).build()).getHeader().getRevision();
                for (ManagedChannel ch : channels) {
                    var got = KVGrpc.newBlockingStub(ch).range(RangeRequest.newBuilder().setKey(b("k")).build());
                    assertThat(got.getKvs(0).getValue().toStringUtf8()).isEqualTo("v1");
                    assertThat(got.getHeader().getRevision()).isGreaterThanOrEqualTo(rev);
                }
                WatchResponse event = watched.poll(10, TimeUnit.SECONDS);
                assertThat(event.getEvents(0).getKv().getModRevision()).isEqualTo(rev);

                if (RealEtcd.installed()) {
                    EtcdctlInteropTest.Session ctl = new EtcdctlInteropTest.Session("http://" + cluster.clientEndpoints().get(1));
                    assertThat(ctl.run(null, "get", "k", "--print-value-only")).isEqualTo("v1\n");
                    assertThat(ctl.run(null, "member", "list")).hasLineCount(3);
                }

                int leader = -1;
                for (int i = 0; i < 3; i++) {
                    StatusResponse s = MaintenanceGrpc.newBlockingStub(channels.get(i)).status(StatusRequest.getDefaultInstance());
                    if (s.getLeader() == s.getHeader().getMemberId()) {
                        leader = i;
                    }
                }
                assertThat(leader).as("one member reports itself as leader").isNotNegative();
                cluster.kill(leader);
                int survivor = (leader + 1) % 3;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                long rev2 = -1;
                while (rev2 < 0) {
                    try {
                        rev2 = KVGrpc.newBlockingStub(channels.get(survivor)).withDeadlineAfter(2, TimeUnit.SECONDS)
                                .put(PutRequest.newBuilder().setKey(b("k")).setValue(b("v2")).build()).getHeader().getRevision();
                    } catch (RuntimeException e) {
                        if (System.nanoTime() > deadline) {
                            throw e;
                        }
                        Thread.sleep(100);
                    }
                }
                assertThat(rev2).isEqualTo(rev + 1);
                var other = KVGrpc.newBlockingStub(channels.get((leader + 2) % 3))
                        .range(RangeRequest.newBuilder().setKey(b("k")).build());
                assertThat(other.getKvs(0).getValue().toStringUtf8()).isEqualTo("v2");
                assertThat(other.getKvs(0).getVersion()).isEqualTo(2);
            } finally {
                channels.forEach(ManagedChannel::shutdownNow);
            }
        }
    }
}
