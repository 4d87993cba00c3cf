package io.kplane.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchGrpc;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code WatchCreateRequest.fragment}: with {@code --max-request-bytes} 64 KiB on both servers (etcd
 * fragments watch responses at that plus its 512 KiB gRPC allowance), a catch-up response of fifteen
 * 60 KB events and a live delete of the fifteen keys with their previous values are split into
 * fragments exactly as real etcd 3.4 splits them (same pieces, same flags), while a watcher without
 * {@code fragment} gets them whole.
 */
class WatchFragmentInteropTest {
    private static final int MAX_REQUEST_BYTES = 64 * 1024;
    private static final int KEYS = 15;

    @BeforeAll
    static void needsEtcd() {
        Assumptions.assumeTrue(RealEtcd.installed(), "etcd not installed");
    }

    @Test
    void largeResponsesAreFragmentedAsEtcdDoes() throws Exception {
        List<String> etcd;
        try (RealEtcd real = new RealEtcd(1, "--max-request-bytes=" + MAX_REQUEST_BYTES)) {
            etcd = script(real.clientPort);
        }
        List<String> kplane;
        try (LocalReplica replica = new LocalReplica();
             EtcdServer server = EtcdServer.start(replica, new InetSocketAddress("127.0.0.1", 0),
                     new EtcdServer.Options(MAX_REQUEST_BYTES, TimeUnit.MINUTES.toMillis(10), 500, 1000))) {
            kplane = script(server.port());
        }
        Path out = Path.of("target", "interop");
        Files.createDirectories(out);
        Files.write(out.resolve("watch-fragment.etcd.txt"), etcd);
        Files.write(out.resolve("watch-fragment.kplane.txt"), kplane);
        assertThat(String.join("\n", kplane)).isEqualTo(String.join("\n", etcd));
        assertThat(etcd).anyMatch(l -> l.contains("fragment=true")); // the script does exercise fragments
    }

    /** {@code WatchResponse.fragment} (field 7, not in jetcd-grpc's proto). */
    private static boolean fragment(WatchResponse r) {
        com.google.protobuf.UnknownFieldSet.Field f = r.getUnknownFields().getField(7);
        return f != null && !f.getVarintList().isEmpty() && f.getVarintList().get(0) != 0;
    }

    private static List<String> script(int port) throws Exception {
        ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
                .maxInboundMessageSize(64 << 20).build();
        try {
            KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS);
            String value = "v".repeat(60_000);
            for (int i = 0; i < KEYS; i++) {
                kv.put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("k" + i))
                        .setValue(ByteString.copyFromUtf8(value)).build());
            }
            List<String> lines = new ArrayList<>();
            lines.add("-- catch-up from revision 1, fragment");
            lines.addAll(watch(ch, true, false, KEYS, null));
            lines.add("-- catch-up from revision 1, no fragment");
            lines.addAll(watch(ch, false, false, KEYS, null));
            lines.add("-- live delete of every key, prev_kv, fragment");
            lines.addAll(watch(ch, true, true, KEYS, () -> KVGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .deleteRange(DeleteRangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("k"))
                            .setRangeEnd(ByteString.copyFromUtf8("l")).build())));
            return lines;
        } finally {
            ch.shutdownNow();
        }
    }

    /**
     * Watches prefix {@code k} (from revision 1 unless {@code live}, then from now and runs
     * {@code action}); records every response until {@code events} events arrived.
     */
    private static List<String> watch(ManagedChannel ch, boolean fragment, boolean live, int events, Runnable action)
            throws Exception {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicInteger seen = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.CountDownLatch created = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        StreamObserver<WatchRequest> requests = WatchGrpc.newStub(ch).watch(new StreamObserver<>() {
            @Override
            public void onNext(WatchResponse r) {
                StringBuilder b = new StringBuilder("rev=" + r.getHeader().getRevision() + " created=" + r.getCreated()
                        + " fragment=" + fragment(r) + " events=[");
                r.getEventsList().forEach(e -> b.append(e.getType()).append(' ').append(e.getKv().getKey().toStringUtf8())
                        .append(e.hasPrevKv() ? "(prev)" : "").append(' '));
                lines.add(b.append(']').toString());
                if (r.getCreated()) {
                    created.countDown();
                }
                if (seen.addAndGet(r.getEventsCount()) >= events) {
                    done.countDown();
                }
            }

            @Override
            public void onError(Throwable t) {
                lines.add("error " + t);
                done.countDown();
            }

            @Override
            public void onCompleted() {
                done.countDown();
            }
        });
        WatchCreateRequest.Builder create = WatchCreateRequest.newBuilder().setKey(ByteString.copyFromUtf8("k"))
                .setRangeEnd(ByteString.copyFromUtf8("l")).setPrevKv(live);
        if (fragment) { // field 8, not in jetcd-grpc's proto
            create.setUnknownFields(com.google.protobuf.UnknownFieldSet.newBuilder().addField(8,
                    com.google.protobuf.UnknownFieldSet.Field.newBuilder().addVarint(1).build()).build());
        }
        if (!live) {
            create.setStartRevision(1);
        }
        requests.onNext(WatchRequest.newBuilder().setCreateRequest(create).build());
        assertThat(created.await(20, TimeUnit.SECONDS)).as("watch created").isTrue();
        if (action != null) {
            action.run();
        }
        assertThat(done.await(20, TimeUnit.SECONDS)).as("all events arrived: " + lines).isTrue();
        requests.onCompleted();
        return new ArrayList<>(lines);
    }
}
