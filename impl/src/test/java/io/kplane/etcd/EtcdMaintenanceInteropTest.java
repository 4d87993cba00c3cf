package io.kplane.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.server.ChildJvm;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Maintenance.Alarm (the NOSPACE alarm of --quota-backend-bytes) and Maintenance.Snapshot with the
 * real etcdctl, real etcd 3.4 as the oracle for the CLI behaviour, and kplane store processes.
 */
class EtcdMaintenanceInteropTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void needsEtcd() {
        Assumptions.assumeTrue(RealEtcd.installed(), "etcd/etcdctl not installed");
    }

    /** The same etcdctl commands against a store over its quota: equal output on etcd and kplane. */
    private static List<String> overQuotaTranscript(String endpoint) throws Exception {
        EtcdctlInteropTest.Session s = new EtcdctlInteropTest.Session(endpoint);
        s.run(null, "put", "a", "1");            // over the quota: raises the alarm, fails
        s.run(null, "alarm", "list");
        s.run(null, "get", "a");                  // reads go on
        s.run(null, "del", "a");                  // so do deletes
        s.run("\nput b 2\n\n", "txn");            // a txn with a put fails
        s.run(null, "alarm", "disarm");
        s.run(null, "alarm", "list");
        s.run(null, "put", "a", "1");            // still over: raised again
        s.run(null, "alarm", "list");
        List<String> out = new ArrayList<>();
        for (String l : s.lines) {
            out.add(l.replaceAll("memberID:\\d+", "memberID:M").replaceAll("LEASE\\d+", "ID"));
        }
        return out;
    }

    @Test
    void nospaceAlarmBehavesAsEtcdsAndDisarmsAfterCompactionFreesSpace() throws Exception {
        List<String> etcd;
        try (RealEtcd real = new RealEtcd(1, "--quota-backend-bytes=1")) {
            etcd = overQuotaTranscript(real.endpoint());
        }
        List<String> kplane;
        try (KvClusterProcesses k = KvClusterProcesses.start(1, dir, List.of("-Xmx256m"), "--quota-backend-bytes", "1")) {
            kplane = overQuotaTranscript("http://" + k.clientEndpoints().get(0));
        }
        assertThat(String.join("\n", kplane)).isEqualTo(String.join("\n", etcd));
        assertThat(String.join("\n", etcd)).contains("database space exceeded").contains("alarm:NOSPACE");

        // kplane alone: fill up to the quota, free space by delete + compaction, disarm, write again.
        Path more = dir.resolve("second");
        Files.createDirectories(more);
        try (KvClusterProcesses k = KvClusterProcesses.start(1, more, List.of("-Xmx256m"), "--quota-backend-bytes", "20000")) {
            EtcdctlInteropTest.Session s = new EtcdctlInteropTest.Session("http://" + k.clientEndpoints().get(0));
            String value = "v".repeat(1000);
            int written = 0;
            String last = "";
            for (int i = 0; i < 60 && !last.contains("database space exceeded"); i++) {
                int before = s.lines.size();
                s.run(null, "put", "k" + i, value);
                last = String.join("\n", s.lines.subList(before, s.lines.size()));
                if (!last.contains("database space exceeded")) {
                    written++;
                }
            }
            assertThat(last).contains("database space exceeded");
            assertThat(written).isBetween(10, 20);
            assertThat(s.run(null, "alarm", "list")).contains("alarm:NOSPACE");
            assertThat(s.run(null, "get", "k0", "--print-value-only")).startsWith(value);
            String del = s.run(null, "del", "k", "--prefix");
            assertThat(del.trim()).isEqualTo(String.valueOf(written));
            String rev = s.run(null, "get", "k0", "-w", "json").replaceAll("(?s).*\"revision\":(\\d+).*", "$1");
            s.run(null, "compaction", rev.trim());
            assertThat(s.run(null, "alarm", "disarm")).contains("alarm:NOSPACE");
            assertThat(s.run(null, "alarm", "list")).isBlank();
            assertThat(s.run(null, "put", "after", "ok")).contains("OK");
        }
    }

    private static String[] store(Path data, int peerPort, int clientPort, String... extra) {
        List<String> a = new ArrayList<>(List.of("store", "--name", "n1", "--data-dir", data.toString(),
                "--initial-cluster", "n1=127.0.0.1:" + peerPort, "--listen-client", "127.0.0.1:" + clientPort));
        a.addAll(List.of(extra));
        return a.toArray(new String[0]);
    }

    private static Process kplane(Path log, String... args) throws Exception {
        return new ProcessBuilder(ChildJvm.kplaneCommand(List.of("-Xmx256m"), List.of(args))).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
    }

    @Test
    void etcdctlSnapshotSaveProducesAFileKplaneStoreRestoreAccepts() throws Exception {
        // The oracle: etcdctl's own output for a save (its log lines go to stderr, this to stdout).
        String etcdSave;
        try (RealEtcd real = new RealEtcd()) {
            etcdSave = new EtcdctlInteropTest.Session(real.endpoint())
                    .run(null, "snapshot", "save", dir.resolve("etcd.db").toString());
        }
        assertThat(etcdSave).contains("Snapshot saved at " + dir.resolve("etcd.db"));

        Path backup = dir.resolve("kplane.db");
        Files.createDirectories(dir.resolve("src"));
        try (KvClusterProcesses k = KvClusterProcesses.start(1, dir.resolve("src"), List.of("-Xmx256m"))) {
            EtcdctlInteropTest.Session s = new EtcdctlInteropTest.Session("http://" + k.clientEndpoints().get(0));
            for (int i = 0; i < 50; i++) {
                s.run(null, "put", "key" + i, "value-" + i + "-" + "x".repeat(2000)); // ~100 KB: several chunks
            }
            s.run(null, "del", "key49");
            String saved = s.run(null, "snapshot", "save", backup.toString());
            assertThat(saved.replace(backup.toString(), "FILE"))
                    .isEqualTo(etcdSave.replace(dir.resolve("etcd.db").toString(), "FILE"));
            assertThat(s.lines.get(s.lines.size() - 2)).contains("(exit 0)");
        }
        assertThat(Files.size(backup)).isGreaterThan(100_000);

        // A corrupt copy and a truncated copy are refused, and seed nothing.
        Path corrupt = dir.resolve("corrupt.db");
        Files.copy(backup, corrupt);
        try (RandomAccessFile f = new RandomAccessFile(corrupt.toFile(), "rw")) {
            f.seek(Files.size(corrupt) / 2);
            int b = f.read();
            f.seek(Files.size(corrupt) / 2);
            f.write(b ^ 0x40);
        }
        Path truncated = dir.resolve("truncated.db");
        Files.write(truncated, java.util.Arrays.copyOf(Files.readAllBytes(backup), (int) Files.size(backup) - 1000));
        for (Path bad : List.of(corrupt, truncated)) {
            Path data = dir.resolve("bad-" + bad.getFileName());
            Path log = dir.resolve(bad.getFileName() + ".log");
            Process p = kplane(log, store(data, ChildJvm.freePort(), ChildJvm.freePort(), "--restore", bad.toString()));
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isEqualTo(1);
            assertThat(Files.readString(log)).contains("--restore").containsAnyOf("corrupt", "truncated");
            assertThat(data.resolve("wal")).doesNotExist();
        }

        // The good one seeds a new member that serves the saved data.
        int client = ChildJvm.freePort();
        Path log = dir.resolve("restored.log");
        Process restored = kplane(log, store(dir.resolve("restored"), ChildJvm.freePort(), client, "--restore", backup.toString()));
        try {
            EtcdctlInteropTest.Session s = new EtcdctlInteropTest.Session("http://127.0.0.1:" + client);
            String got = "";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!got.contains("key0") && System.nanoTime() < deadline && restored.isAlive()) {
                got = s.run(null, "get", "key", "--prefix", "--keys-only");
                Thread.sleep(200);
            }
            assertThat(Files.readString(log)).contains("restored " + backup);
            List<String> keys = got.lines().filter(l -> !l.isBlank()).toList();
            assertThat(keys).hasSize(49).contains("key0", "key48").doesNotContain("key49");
            assertThat(s.run(null, "get", "key7", "--print-value-only")).startsWith("value-7-xx");
            assertThat(s.run(null, "put", "new", "write")).contains("OK");
        } finally {
            restored.destroy();
            restored.waitFor(20, TimeUnit.SECONDS);
        }
        assertThat(new String(Files.readAllBytes(backup), 0, 8, StandardCharsets.US_ASCII)).isEqualTo("KPBACKUP");
    }
}
