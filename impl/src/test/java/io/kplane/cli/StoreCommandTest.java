package io.kplane.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import io.kplane.server.TestCertificateAuthority;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The error paths of {@code kplane store}: each gets a clear message and a non-zero exit. */
class StoreCommandTest {

    @TempDir
    Path dir;

    private record Result(int code, String err) {
    }

    private static Result run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, err.toString());
    }

    @Test
    void badClusterSpecIsAUsageError() {
        Result r = run("store", "--name", "n1", "--data-dir", dir.toString(), "--initial-cluster", "n1=127.0.0.1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("missing port");
        r = run("store", "--name", "n4", "--data-dir", dir.toString(), "--initial-cluster", "n1=127.0.0.1:1,n2=127.0.0.1:2");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--name n4 is not in --initial-cluster");
        r = run("store", "--name", "n1", "--data-dir", dir.toString(), "--initial-cluster", "n1=127.0.0.1:1",
                "--listen-peer", "127.0.0.1:5");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("does not match");
        r = run("store", "--name", "n1", "--data-dir", dir.toString(), "--initial-cluster", "n1=127.0.0.1:1",
                "--state-machine", "nope");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--state-machine nope is not built");
    }

    @Test
    void portInUseIsReported() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            Result r = run("store", "--name", "n1", "--data-dir", dir.resolve("n1").toString(),
                    "--initial-cluster", "n1=127.0.0.1:" + port + ",n2=127.0.0.1:1,n3=127.0.0.1:2", "--state-machine", "log");
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err()).contains("address already in use").contains(String.valueOf(port));
        }
    }

    @Test
    void dataDirOfAnotherClusterIsRefused() throws Exception {
        Path data = Files.createDirectories(dir.resolve("n1"));
        Properties p = new Properties();
        p.setProperty("cluster-id", "1234");
        p.setProperty("member-id", "99");
        p.setProperty("name", "n1");
        try (var w = Files.newBufferedWriter(data.resolve("member.properties"))) {
            p.store(w, null);
        }
        Result r = run("store", "--name", "n1", "--data-dir", data.toString(),
                "--initial-cluster", "n1=127.0.0.1:1,n2=127.0.0.1:2,n3=127.0.0.1:3", "--state-machine", "log");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("belongs to cluster 1234");
    }

    @Test
    void aDataDirIsRestartedOnlyUnderTheNameItWasCreatedWith() throws Exception {
        Path data = Files.createDirectories(dir.resolve("n1"));
        Properties p = new Properties();
        p.setProperty("cluster-id", "1234");
        p.setProperty("member-id", "99");
        p.setProperty("name", "n1");
        try (var w = Files.newBufferedWriter(data.resolve("member.properties"))) {
            p.store(w, null);
        }
        // whatever --initial-cluster and --initial-cluster-state say: the data dir decides
        Result r = run("store", "--name", "n2", "--data-dir", data.toString(), "--initial-cluster-state", "existing",
                "--initial-cluster", "n2=127.0.0.1:2", "--state-machine", "log");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("belongs to member n1 (99), not to --name n2");
    }

    @Test
    void aQuotaBeyondWhatASnapshotHoldsIsSaidAtStart() {
        Result r = run("store", "--name", "n1", "--data-dir", dir.toString(), "--initial-cluster", "n1=127.0.0.1",
                "--quota-backend-bytes", Long.toString(8L << 30));
        assertThat(r.code()).isEqualTo(2); // the missing port ends it before anything starts
        assertThat(r.err()).contains("WARNING --quota-backend-bytes 8589934592: a snapshot holds at most 2080374783 bytes");
        r = run("store", "--name", "n1", "--data-dir", dir.toString(), "--initial-cluster", "n1=127.0.0.1",
                "--quota-backend-bytes", "-1");
        assertThat(r.err()).contains("WARNING --quota-backend-bytes -1");
        r = run("store", "--name", "n1", "--data-dir", dir.toString(), "--initial-cluster", "n1=127.0.0.1");
        // the default (0: etcd's 2 GiB) is the limit less 64 MiB without a word: the help says so
        assertThat(r.err()).doesNotContain("WARNING");
    }

    @Test
    void peerTlsFlagsThatDoNotFitTogetherAreUsageErrors() throws Exception {
        TestCertificateAuthority ca = TestCertificateAuthority.create(dir.resolve("pki"), "cluster");
        TestCertificateAuthority.Issued n1 = ca.issue("n1");
        String cert = n1.certFile().toString();
        String key = n1.keyFile().toString();
        String https = "n1=https://127.0.0.1:1,n2=https://127.0.0.1:2";
        String data = dir.resolve("n1").toString();
        Object[][] cases = {
                {new String[] {"--initial-cluster", https, "--peer-cert-file", cert},
                        "peer TLS needs both --peer-cert-file and --peer-key-file"},
                {new String[] {"--initial-cluster", https, "--peer-key-file", key, "--peer-trusted-ca-file", ca.caFile().toString()},
                        "peer TLS needs both --peer-cert-file and --peer-key-file"},
                {new String[] {"--initial-cluster", https, "--peer-cert-file", cert, "--peer-key-file", key, "--peer-client-cert-auth"},
                        "--peer-client-cert-auth needs --peer-trusted-ca-file"},
                {new String[] {"--initial-cluster", https},
                        "peer URL https://127.0.0.1:1 (n1 in --initial-cluster) is https: peer TLS needs --peer-cert-file and --peer-key-file"},
                {new String[] {"--initial-cluster", "n1=https://127.0.0.1:1,n2=127.0.0.1:2", "--peer-cert-file", cert, "--peer-key-file", key},
                        "peer URL http://127.0.0.1:2 (n2 in --initial-cluster) is not https://"},
                {new String[] {"--initial-cluster", "n1=127.0.0.1:1", "--peer-cert-file", cert, "--peer-key-file", key},
                        "is not https://"},
                {new String[] {"--initial-cluster", https, "--peer-cert-file", cert, "--peer-key-file", cert},
                        "cannot load the peer TLS certificates"},
                {new String[] {"--initial-cluster", https, "--peer-cert-file", cert, "--peer-key-file", key,
                        "--peer-trusted-ca-file", dir.resolve("missing.crt").toString()},
                        "cannot load the peer TLS certificates"},
                {new String[] {"--initial-cluster", https, "--peer-cert-file", cert, "--peer-key-file", key,
                        "--listen-peer", "http://127.0.0.1:1"},
                        "differ in scheme"},
        };
        for (Object[] c : cases) {
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("store", "--name", "n1", "--data-dir", data,
                    "--state-machine", "log"));
            args.addAll(java.util.List.of((String[]) c[0]));
            Result r = run(args.toArray(String[]::new));
            assertThat(r.code()).as(args + ": " + r.err()).isEqualTo(2);
            assertThat(r.err()).as(String.valueOf(args)).contains((String) c[1]);
            assertThat(dir.resolve("n1")).as("nothing written for " + args).doesNotExist();
        }
    }
}
