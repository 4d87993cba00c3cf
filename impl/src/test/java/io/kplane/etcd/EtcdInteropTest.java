package io.kplane.etcd;

import static io.kplane.etcd.EtcdTranscript.b;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.WatchCreateRequest;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real etcd 3.4 is the oracle: the same scripted gRPC sequence runs against it and against kplane
 * (here a single in-process member), and the transcripts must be equal. Skipped only when the
 * {@code etcd} binary is missing (CI installs Debian's etcd-server).
 */
class EtcdInteropTest {

    @BeforeAll
    static void needsEtcd() {
        Assumptions.assumeTrue(RealEtcd.installed(), "etcd/etcdctl not installed (CI installs etcd-server, etcd-client)");
    }

    /** Runs {@code script} against a fresh real etcd and a fresh kplane; returns both transcripts. */
    static List<List<String>> both(Consumer<EtcdTranscript> script) throws Exception {
        List<String> etcd;
        try (RealEtcd real = new RealEtcd()) {
            EtcdTranscript t = new EtcdTranscript(real.clientPort);
            script.accept(t);
            t.close();
            etcd = t.lines;
        }
        List<String> kplane;
        try (LocalReplica replica = new LocalReplica();
             EtcdServer server = EtcdServer.start(replica, new InetSocketAddress("127.0.0.1", 0))) {
            EtcdTranscript t = new EtcdTranscript(server.port());
            script.accept(t);
            t.close();
            kplane = t.lines;
        }
        return List.of(etcd, kplane);
    }

    static void assertSame(List<List<String>> both) throws java.io.IOException {
        java.nio.file.Path dir = java.nio.file.Path.of("target", "interop");
        java.nio.file.Files.createDirectories(dir);
        String name = StackWalker.getInstance().walk(f -> f.skip(1).findFirst().orElseThrow().getMethodName());
        java.nio.file.Files.write(dir.resolve(name + ".etcd.txt"), both.get(0));
        java.nio.file.Files.write(dir.resolve(name + ".kplane.txt"), both.get(1));
        assertThat(String.join("\n", both.get(1))).isEqualTo(String.join("\n", both.get(0)));
        assertThat(both.get(0)).isNotEmpty();
    }

    @Test
    void kvTxnLeaseAndErrorsMatchRealEtcd() throws Exception {
        assertSame(both(EtcdTranscript::runKvAndLeaseScript));
    }

    /** Issue 14 defect 10: a nested txn putting one key in both branches was rejected; etcd accepts it. */
    @Test
    void nestedTxnDuplicatePutsMatchRealEtcd() throws Exception {
        assertSame(both(EtcdTranscript::runNestedTxnDuplicateScript));
    }

    @Test
    void watchesMatchRealEtcd() throws Exception {
        assertSame(both(t -> {
            t.runKvAndLeaseScript(); // history: revisions 2.., compacted at 4
            t.watch("compacted", List.of(WatchCreateRequest.newBuilder().setKey(b("\0")).setRangeEnd(b("\0"))
                    .setStartRevision(2).build()), null, false);
            t.watch("history", List.of(WatchCreateRequest.newBuilder().setKey(b("\0")).setRangeEnd(b("\0"))
                    .setStartRevision(4).setPrevKv(true).build()), null, false);
            t.watch("prefix", List.of(
                    WatchCreateRequest.newBuilder().setKey(b("c/")).setRangeEnd(b("c0")).setPrevKv(true).build(),
                    WatchCreateRequest.newBuilder().setKey(b("c/")).setRangeEnd(b("c0"))
                            .addFilters(WatchCreateRequest.FilterType.NODELETE).build(),
                    WatchCreateRequest.newBuilder().setKey(b("c/w")).build()), () -> {
                t.call("w put", () -> t.kvStub().put(PutRequest.newBuilder().setKey(b("c/w")).setValue(b("1")).build()));
                t.call("w del", () -> t.kvStub().deleteRange(DeleteRangeRequest.newBuilder().setKey(b("c/")).setRangeEnd(b("c0")).build()));
                t.call("w put2", () -> t.kvStub().put(PutRequest.newBuilder().setKey(b("c/w")).setValue(b("2")).build()));
            }, false);
            t.watch("cancel", List.of(WatchCreateRequest.newBuilder().setKey(b("q")).build()), null, true);
        }));
    }
}
