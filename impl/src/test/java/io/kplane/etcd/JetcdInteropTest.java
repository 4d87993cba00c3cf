package io.kplane.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.LeaseOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** jetcd-core 0.8.7, the client the benchmarks and the API server use, against real etcd and kplane. */
class JetcdInteropTest {

    @BeforeAll
    static void needsEtcd() {
        Assumptions.assumeTrue(RealEtcd.installed(), "etcd/etcdctl not installed (CI installs etcd-server, etcd-client)");
    }

    static ByteSequence bs(String s) {
        return ByteSequence.from(s, UTF_8);
    }

    static final class Script {
        final List<String> lines = new ArrayList<>();
        final Map<Long, String> leaseNames = new HashMap<>();

        String kv(KeyValue kv) {
            return kv.getKey().toString(UTF_8) + "=" + kv.getValue().toString(UTF_8) + " c" + kv.getCreateRevision()
                    + " m" + kv.getModRevision() + " v" + kv.getVersion() + " l" + lease(kv.getLease());
        }

        String lease(long id) {
            return id == 0 ? "0" : leaseNames.computeIfAbsent(id, k -> "L" + (leaseNames.size() + 1));
        }

        void rec(String label, Supplier<CompletableFuture<String>> call) {
            try {
                lines.add(label + " -> " + call.get().get(20, TimeUnit.SECONDS));
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                lines.add(label + " -> ERROR " + c.getClass().getSimpleName() + ": " + c.getMessage());
            } catch (Exception e) {
                lines.add(label + " -> FAILED " + e);
            }
        }

        void run(Client client) throws Exception {
            KV kv = client.getKVClient();
            rec("put a", () -> kv.put(bs("a"), bs("1")).thenApply(r -> "rev " + r.getHeader().getRevision()));
            rec("put a prev", () -> kv.put(bs("a"), bs("2"), PutOption.builder().withPrevKV().build())
                    .thenApply(r -> "rev " + r.getHeader().getRevision() + " prev " + (r.hasPrevKv() ? kv(r.getPrevKv()) : "-")));
            for (String k : List.of("p/1", "p/2", "p/3", "q")) {
                rec("put " + k, () -> kv.put(bs(k), bs("v" + k)).thenApply(r -> "rev " + r.getHeader().getRevision()));
            }
            rec("get prefix", () -> kv.get(bs("p/"), GetOption.builder().isPrefix(true).build())
                    .thenApply(r -> r.getCount() + " " + r.isMore() + " " + r.getKvs().stream().map(this::kv).toList()));
            rec("get sorted limited", () -> kv.get(bs("p/"), GetOption.builder().isPrefix(true)
                            .withSortField(GetOption.SortTarget.MOD).withSortOrder(GetOption.SortOrder.DESCEND).withLimit(2).build())
                    .thenApply(r -> r.getCount() + " " + r.isMore() + " " + r.getKvs().stream().map(this::kv).toList()));
            rec("get old rev", () -> kv.get(bs("a"), GetOption.builder().withRevision(2).build())
                    .thenApply(r -> r.getKvs().stream().map(this::kv).toList().toString()));
            rec("get count only", () -> kv.get(bs("\0"), GetOption.builder().withRange(bs("\0")).withCountOnly(true).build())
                    .thenApply(r -> r.getCount() + " " + r.getKvs().size()));
            rec("get keys only serializable", () -> kv.get(bs("p/"), GetOption.builder().isPrefix(true).withKeysOnly(true)
                    .withSerializable(true).build()).thenApply(r -> r.getKvs().stream().map(this::kv).toList().toString()));
            rec("txn", () -> kv.txn().If(new Cmp(bs("a"), Cmp.Op.EQUAL, CmpTarget.value(bs("2"))),
                            new Cmp(bs("q"), Cmp.Op.GREATER, CmpTarget.createRevision(0)))
                    .Then(Op.put(bs("t"), bs("yes"), PutOption.DEFAULT), Op.get(bs("t"), GetOption.DEFAULT))
                    .Else(Op.put(bs("t"), bs("no"), PutOption.DEFAULT)).commit()
                    .thenApply(r -> r.isSucceeded() + " rev " + r.getHeader().getRevision() + " puts " + r.getPutResponses().size()
                            + " gets " + r.getGetResponses().stream().map(g -> g.getKvs().stream().map(this::kv).toList()).toList()));
            rec("txn else", () -> kv.txn().If(new Cmp(bs("a"), Cmp.Op.LESS, CmpTarget.version(1)))
                    .Then(Op.put(bs("t"), bs("never"), PutOption.DEFAULT))
                    .Else(Op.delete(bs("p/"), DeleteOption.builder().isPrefix(true).withPrevKV(true).build())).commit()
                    .thenApply(r -> r.isSucceeded() + " rev " + r.getHeader().getRevision() + " deleted "
                            + r.getDeleteResponses().get(0).getDeleted() + " "
                            + r.getDeleteResponses().get(0).getPrevKvs().stream().map(this::kv).toList()));
            rec("delete prev", () -> kv.delete(bs("q"), DeleteOption.builder().withPrevKV(true).build())
                    .thenApply(r -> r.getDeleted() + " " + r.getPrevKvs().stream().map(this::kv).toList()));

            // watch from history, with prev kv
            BlockingQueue<String> events = new LinkedBlockingQueue<>();
            Watch.Watcher w = client.getWatchClient().watch(bs("\0"), WatchOption.builder().withRange(bs("\0"))
                    .withRevision(2).withPrevKV(true).build(), resp -> {
                        for (WatchEvent e : resp.getEvents()) {
                            events.add(e.getEventType() + " " + kv(e.getKeyValue()) + " prev "
                                    + (e.getPrevKV().getKey().isEmpty() ? "-" : kv(e.getPrevKV())));
                        }
                    });
            for (String e; (e = events.poll(1500, TimeUnit.MILLISECONDS)) != null; ) {
                lines.add("watch " + e);
            }
            w.close();

            var lease = client.getLeaseClient();
            long id = lease.grant(30).get(10, TimeUnit.SECONDS).getID();
            lines.add("grant " + lease(id));
            rec("put leased", () -> kv.put(bs("lk"), bs("lv"), PutOption.builder().withLeaseId(id).build())
                    .thenApply(r -> "rev " + r.getHeader().getRevision()));
            rec("ttl", () -> lease.timeToLive(id, LeaseOption.builder().withAttachedKeys().build())
                    .thenApply(r -> lease(r.getID()) + " granted " + r.getGrantedTTL() + " ttl ok " + (r.getTTL() > 25 && r.getTTL() <= 30)
                            + " keys " + r.getKeys().stream().map(k -> k.toString(UTF_8)).toList()));
            rec("keepalive once", () -> lease.keepAliveOnce(id).thenApply(r -> lease(r.getID()) + " ttl " + r.getTTL()));
            rec("revoke", () -> lease.revoke(id).thenApply(r -> "ok"));
            rec("get revoked", () -> kv.get(bs("lk")).thenApply(r -> "count " + r.getCount() + " rev " + r.getHeader().getRevision()));
            rec("revoke again", () -> lease.revoke(id).thenApply(r -> "ok"));

            rec("compact", () -> kv.compact(4).thenApply(r -> "rev " + r.getHeader().getRevision()));
            rec("get compacted", () -> kv.get(bs("a"), GetOption.builder().withRevision(3).build()).thenApply(r -> "?"));
            BlockingQueue<String> errors = new LinkedBlockingQueue<>();
            Watch.Watcher cw = client.getWatchClient().watch(bs("a"), WatchOption.builder().withRevision(2).build(),
                    resp -> errors.add("events " + resp.getEvents().size()), err -> errors.add("error " + err.getClass().getSimpleName()
                            + ": " + err.getMessage()));
            lines.add("watch compacted -> " + errors.poll(5, TimeUnit.SECONDS));
            cw.close();
            rec("members", () -> client.getClusterClient().listMember().thenApply(r -> "count " + r.getMembers().size()));
        }
    }

    @Test
    void jetcdSeesTheSameStoreAsRealEtcd() throws Exception {
        Script etcd = new Script();
        try (RealEtcd real = new RealEtcd(); Client client = Client.builder().endpoints(real.endpoint()).build()) {
            etcd.run(client);
        }
        Script kplane = new Script();
        try (LocalReplica replica = new LocalReplica();
             EtcdServer server = EtcdServer.start(replica, new InetSocketAddress("127.0.0.1", 0));
             Client client = Client.builder().endpoints(server.endpoint()).build()) {
            kplane.run(client);
        }
        Path dir = Path.of("target", "interop");
        Files.createDirectories(dir);
        Files.write(dir.resolve("jetcd.etcd.txt"), etcd.lines);
        Files.write(dir.resolve("jetcd.kplane.txt"), kplane.lines);
        assertThat(String.join("\n", kplane.lines)).isEqualTo(String.join("\n", etcd.lines));
        assertThat(etcd.lines).anyMatch(l -> l.startsWith("watch PUT"));
    }
}
