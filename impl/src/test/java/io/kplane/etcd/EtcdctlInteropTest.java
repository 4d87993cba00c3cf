package io.kplane.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real {@code etcdctl} (v3 API) against real etcd 3.4 and against kplane: the same commands,
 * equal output once ids, cluster ids, Raft term/index, db size, version and timings are normalized.
 */
class EtcdctlInteropTest {

    @BeforeAll
    static void needsEtcd() {
        Assumptions.assumeTrue(RealEtcd.installed(), "etcd/etcdctl not installed (CI installs etcd-server, etcd-client)");
    }

    /** Runs etcdctl commands against one endpoint and records normalized output. */
    static final class Session {
        final String endpoint;
        final List<String> lines = new ArrayList<>();
        private final Map<String, String> ids = new HashMap<>();

        Session(String endpoint) {
            this.endpoint = endpoint;
        }

        String run(String stdin, String... args) throws Exception {
            Process p = start(args);
            if (stdin != null) {
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("etcdctl " + String.join(" ", args) + " hung");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            String raw = out;
            StringBuilder errors = new StringBuilder();
            for (String line : err.split("\n")) {
                if (line.startsWith("Error:") || line.contains("is healthy")) {
                    errors.append(line).append('\n');
                }
            }
            lines.add(normalize("$ etcdctl " + String.join(" ", args) + " (exit " + p.exitValue() + ")"));
            for (String l : normalize(out + errors).split("\n")) {
                lines.add("  " + l);
            }
            return raw;
        }

        Process start(String... args) throws IOException {
            List<String> cmd = new ArrayList<>(List.of("etcdctl", "--endpoints", endpoint, "--dial-timeout", "5s",
                    "--command-timeout", "10s"));
            cmd.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().put("ETCDCTL_API", "3");
            return pb.start();
        }

        /** Starts {@code etcdctl watch ...} in the background; {@link Watch#stop} records its output. */
        Watch watch(String... args) throws IOException {
            Path out = Files.createTempFile("etcdctl-watch", ".out");
            List<String> all = new ArrayList<>(List.of("watch"));
            all.addAll(List.of(args));
            List<String> cmd = new ArrayList<>(List.of("etcdctl", "--endpoints", endpoint));
            cmd.addAll(all);
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            pb.environment().put("ETCDCTL_API", "3");
            return new Watch(this, String.join(" ", all), pb.start(), out);
        }

        String normalize(String s) {
            s = s.replace(endpoint.replace("http://", ""), "ENDPOINT").replace(endpoint, "ENDPOINT");
            s = s.replaceAll("\"cluster_id\":\\d+", "\"cluster_id\":C").replaceAll("\"member_id\":\\d+", "\"member_id\":M")
                    .replaceAll("\"raft_term\":\\d+", "\"raft_term\":T").replaceAll("\"raftTerm\":\\d+", "\"raftTerm\":T")
                    .replaceAll("\"raftIndex\":\\d+", "\"raftIndex\":I").replaceAll("\"raftAppliedIndex\":\\d+", "\"raftAppliedIndex\":I")
                    .replaceAll(",\"dbSize\":\\d+", "").replaceAll(",\"dbSizeInUse\":\\d+", "") // 0 is omitted
                    .replaceAll("\"leader\":\\d+", "\"leader\":M").replaceAll("\"ID\":\\d+", "\"ID\":M")
                    .replaceAll("\"version\":\"[^\"]*\"", "\"version\":V").replaceAll("\"name\":\"[^\"]*\"", "\"name\":N")
                    .replaceAll(",?\"peerURLs\":\\[[^]]*]", "") // the in-process member has no peers
                    .replaceAll("\"lease\":\\d+", "\"lease\":L")
                    // kplane members know only their own client URL (the Raft runtime does not carry them)
                    .replaceAll(",?\"clientURLs\":\\[[^]]*]", "")
                    .replaceAll("remaining\\(\\d+s\\)", "remaining(Ns)")
                    .replaceAll("took = [0-9.]+[a-zµ]+", "took = X")
                    // hashes of different storage engines differ; their agreement across members is tested elsewhere
                    .replaceAll("\"hash\":\\d+", "\"hash\":H").replaceAll("\\[[^]]*] hash: \\d+", "[ENDPOINT] hash: H")
                    // member ids are random on etcd, fixed on the in-process member: same id on both sides of a transfer
                    .replaceAll("move-leader [0-9a-f]{5,16} \\(", "move-leader SELF (")
                    .replaceAll("from ([0-9a-f]{5,16}) to \\1", "from SELF to SELF");
            // etcd lists a lease's keys in map order: compare them as a set
            Matcher keys = Pattern.compile("attached keys\\(\\[([^]]*)]\\)").matcher(s);
            if (keys.find()) {
                List<String> sorted = new ArrayList<>(List.of(keys.group(1).split(" ")));
                java.util.Collections.sort(sorted);
                s = s.substring(0, keys.start(1)) + String.join(" ", sorted) + s.substring(keys.end(1));
            }
            // lease ids: hex, random on both servers; number them by first appearance
            Matcher m = Pattern.compile("\\b[0-9a-f]{10,16}\\b").matcher(s);
            StringBuilder b = new StringBuilder();
            while (m.find()) {
                String id = ids.computeIfAbsent(m.group(), k -> "LEASE" + (ids.size() + 1));
                m.appendReplacement(b, id);
            }
            m.appendTail(b);
            return b.toString();
        }
    }

    record Watch(Session session, String label, Process process, Path out) {
        void stop(int expectLines) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (Files.readAllLines(out).size() < expectLines && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            Thread.sleep(300); // anything unexpected after the expected lines shows up too
            process.destroy();
            process.waitFor(5, TimeUnit.SECONDS);
            session.lines.add(session.normalize("$ etcdctl " + label + " (background)"));
            for (String l : session.normalize(Files.readString(out)).split("\n")) {
                session.lines.add("  " + l);
            }
            Files.deleteIfExists(out);
        }
    }

    static void script(Session s) throws Exception {
        s.run(null, "put", "foo", "bar");
        s.run(null, "put", "foo2", "bar2", "--prev-kv");
        s.run(null, "put", "foo", "bar3", "--prev-kv");
        s.run(null, "put", "fop", "x");
        s.run(null, "put", "zeta", "last");
        s.run(null, "get", "foo");
        s.run(null, "get", "foo", "--prefix");
        s.run(null, "get", "foo", "--from-key");
        s.run(null, "get", "", "--from-key", "--keys-only");
        s.run(null, "get", "foo", "--prefix", "--limit", "1");
        s.run(null, "get", "foo", "--rev", "2");
        s.run(null, "get", "fo", "--prefix", "--sort-by", "MODIFY", "--order", "DESCEND");
        s.run(null, "get", "fo", "--prefix", "--sort-by", "VALUE", "--order", "ASCEND");
        s.run(null, "get", "fo", "--prefix", "--sort-by", "CREATE");
        s.run(null, "get", "fo", "--prefix", "--sort-by", "VERSION", "--order", "DESCEND");
        s.run(null, "get", "fo", "--prefix", "--keys-only");
        s.run(null, "get", "fo", "--prefix", "--count-only", "-w", "json");
        s.run(null, "get", "fo", "--prefix", "--print-value-only");
        s.run(null, "get", "foo", "-w", "json");
        s.run(null, "get", "fo", "--prefix", "--limit", "2", "-w", "json");
        s.run(null, "get", "missing");
        s.run("value(\"foo\") = \"bar3\"\nversion(\"foo2\") > \"0\"\n\nput foo from-txn\nget foo\ndel fop\n\nput foo never\n\n",
                "txn");
        s.run("mod(\"foo\") < \"2\"\n\nput foo never\n\nget foo2\nput txn-else yes\n\n", "txn", "-w", "json");
        s.run(null, "del", "foo2", "--prev-kv");
        s.run(null, "del", "missing");
        s.run(null, "put", "fo1", "a");
        s.run(null, "put", "fo2", "b");
        s.run(null, "del", "fo", "--prefix", "--prev-kv");
        Watch history = s.watch("--rev", "2", "--prefix", "f");
        history.stop(35);
        Watch prevKv = s.watch("--rev", "3", "--prev-kv", "foo");
        prevKv.stop(14);

        String grant = s.run(null, "lease", "grant", "100");
        if (!grant.startsWith("lease ")) {
            throw new AssertionError("etcdctl lease grant failed on " + s.endpoint + ": "
                    + s.lines.subList(Math.max(0, s.lines.size() - 4), s.lines.size()));
        }
        String lease = grant.split(" ")[1];
        s.run(null, "put", "leased", "v", "--lease=" + lease);
        s.run(null, "put", "leased2", "w", "--lease=" + lease);
        s.run(null, "lease", "timetolive", lease, "--keys");
        s.run(null, "lease", "keep-alive", "--once", lease);
        s.run(null, "lease", "list");
        s.run(null, "get", "leased", "-w", "json");
        s.run(null, "lease", "revoke", lease);
        s.run(null, "get", "leased", "--prefix");
        s.run(null, "lease", "timetolive", lease);
        s.run(null, "lease", "revoke", lease);
        s.run(null, "put", "k", "v", "--lease=1234");

        s.run(null, "compaction", "5");
        s.run(null, "get", "foo", "--rev", "3");
        s.run(null, "get", "foo", "--rev", "5");
        s.run(null, "compaction", "5");
        s.run(null, "get", "foo", "--rev", "999");
        s.run(null, "endpoint", "status", "-w", "json");
        s.run(null, "endpoint", "health");
        s.run(null, "member", "list", "-w", "json");
    }

    /** Maintenance operations (issue 14): hashkv, defrag, move-leader, with their errors. */
    static void maintenanceScript(Session s) throws Exception {
        s.run(null, "put", "a", "1");
        s.run(null, "put", "a", "2");
        s.run(null, "put", "b", "1");
        s.run(null, "del", "b");
        s.run(null, "endpoint", "hashkv", "-w", "json");
        s.run(null, "compaction", "3");
        s.run(null, "endpoint", "hashkv", "--rev", "4", "-w", "json");
        s.run(null, "endpoint", "hashkv", "--rev", "2");
        s.run(null, "endpoint", "hashkv", "--rev", "99");
        s.run(null, "defrag");
        String status = s.run(null, "endpoint", "status", "-w", "json");
        Matcher id = Pattern.compile("\"member_id\":(\\d+)").matcher(status);
        if (!id.find()) {
            throw new AssertionError("no member id in " + status);
        }
        s.run(null, "move-leader", Long.toHexString(Long.parseUnsignedLong(id.group(1))));
        s.run(null, "move-leader", "abcdef");
        s.run(null, "get", "a");
    }

    @Test
    void maintenanceOperationsMatchRealEtcd() throws Exception {
        Session etcd;
        try (RealEtcd real = new RealEtcd()) {
            etcd = new Session(real.endpoint());
            maintenanceScript(etcd);
        }
        Session kplane;
        try (LocalReplica replica = new LocalReplica();
             EtcdServer server = EtcdServer.start(replica, new InetSocketAddress("127.0.0.1", 0))) {
            replica.setClientUrls(List.of(server.endpoint()));
            kplane = new Session(server.endpoint());
            maintenanceScript(kplane);
        }
        Path dir = Path.of("target", "interop");
        Files.createDirectories(dir);
        Files.write(dir.resolve("etcdctl-maintenance.etcd.txt"), etcd.lines);
        Files.write(dir.resolve("etcdctl-maintenance.kplane.txt"), kplane.lines);
        assertThat(String.join("\n", kplane.lines)).isEqualTo(String.join("\n", etcd.lines));
    }

    @Test
    void etcdctlSeesTheSameStoreAsRealEtcd() throws Exception {
        Session etcd;
        try (RealEtcd real = new RealEtcd()) {
            etcd = new Session(real.endpoint());
            script(etcd);
        }
        Session kplane;
        try (LocalReplica replica = new LocalReplica();
             EtcdServer server = EtcdServer.start(replica, new InetSocketAddress("127.0.0.1", 0))) {
            replica.setClientUrls(List.of(server.endpoint()));
            kplane = new Session(server.endpoint());
            script(kplane);
        }
        Path dir = Path.of("target", "interop");
        Files.createDirectories(dir);
        Files.write(dir.resolve("etcdctl.etcd.txt"), etcd.lines);
        Files.write(dir.resolve("etcdctl.kplane.txt"), kplane.lines);
        assertThat(String.join("\n", kplane.lines)).isEqualTo(String.join("\n", etcd.lines));
    }
}
