package io.kplane.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
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
 * Client TLS with etcd's flags, certificates made by {@code openssl} in the test: real etcdctl with
 * {@code --cacert/--cert/--key} against real etcd 3.4 and against kplane, the same transcript; without
 * a client certificate both refuse.
 */
class ClientTlsInteropTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void needsTools() {
        Assumptions.assumeTrue(RealEtcd.installed(), "etcd/etcdctl not installed");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl not installed");
    }

    private void sh(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    private void makeCertificates() throws Exception {
        sh("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
                "-days", "1", "-subj", "/CN=kplane-test-ca");
        Files.writeString(dir.resolve("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                + "extendedKeyUsage=serverAuth,clientAuth\n");
        Files.writeString(dir.resolve("client.ext"), "extendedKeyUsage=clientAuth\n");
        for (String who : List.of("server", "client")) {
            sh("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", who + ".key", "-out", who + ".csr",
                    "-subj", "/CN=" + who);
            sh("openssl", "x509", "-req", "-in", who + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                    "-out", who + ".crt", "-days", "1", "-extfile", who + ".ext");
        }
    }

    private String[] tlsArgs(String... rest) {
        List<String> args = new ArrayList<>(List.of("--cacert", dir.resolve("ca.crt").toString(),
                "--cert", dir.resolve("client.crt").toString(), "--key", dir.resolve("client.key").toString()));
        args.addAll(List.of(rest));
        return args.toArray(new String[0]);
    }

    private void script(EtcdctlInteropTest.Session s) throws Exception {
        s.run(null, tlsArgs("put", "secure", "yes"));
        s.run(null, tlsArgs("get", "secure", "-w", "json"));
        s.run(null, tlsArgs("endpoint", "health"));
    }

    private int withoutClientCertificate(String endpoint) throws Exception {
        Process p = new ProcessBuilder("etcdctl", "--endpoints", endpoint, "--dial-timeout", "3s", "--command-timeout", "5s",
                "--cacert", dir.resolve("ca.crt").toString(), "get", "secure").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        p.waitFor(30, TimeUnit.SECONDS);
        return p.exitValue();
    }

    @Test
    void etcdctlOverTlsWithClientCertificatesSeesTheSameAsOnRealEtcd() throws Exception {
        makeCertificates();
        EtcdctlInteropTest.Session etcd;
        int etcdRefused;
        int port = RealEtcd.freePort();
        int peer = RealEtcd.freePort();
        String url = "https://127.0.0.1:" + port;
        Process real = new ProcessBuilder("etcd", "--name", "tls", "--data-dir", dir.resolve("etcd-data").toString(),
                "--listen-client-urls", url, "--advertise-client-urls", url,
                "--listen-peer-urls", "http://127.0.0.1:" + peer, "--initial-advertise-peer-urls", "http://127.0.0.1:" + peer,
                "--initial-cluster", "tls=http://127.0.0.1:" + peer,
                "--cert-file", dir.resolve("server.crt").toString(), "--key-file", dir.resolve("server.key").toString(),
                "--trusted-ca-file", dir.resolve("ca.crt").toString(), "--client-cert-auth",
                "--log-level", "error", "--logger", "zap")
                .redirectErrorStream(true).redirectOutput(dir.resolve("etcd.log").toFile()).start();
        try {
            etcd = new EtcdctlInteropTest.Session(url);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                Process h = etcd.start(tlsArgs("endpoint", "health"));
                h.getInputStream().readAllBytes();
                if (h.waitFor(20, TimeUnit.SECONDS) && h.exitValue() == 0) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("TLS etcd did not start: " + Files.readString(dir.resolve("etcd.log")));
                }
                Thread.sleep(200);
            }
            script(etcd);
            etcdRefused = withoutClientCertificate(url);
        } finally {
            real.destroy();
            real.waitFor(10, TimeUnit.SECONDS);
        }
        EtcdctlInteropTest.Session kplane;
        int kplaneRefused;
        try (LocalReplica replica = new LocalReplica();
             EtcdServer server = EtcdServer.start(replica, new InetSocketAddress("127.0.0.1", 0),
                     EtcdServer.Options.defaults().withTls(new ClientTls(dir.resolve("server.crt"),
                             dir.resolve("server.key"), dir.resolve("ca.crt"), true)))) {
            replica.setClientUrls(List.of(server.endpoint()));
            assertThat(server.endpoint()).startsWith("https://");
            kplane = new EtcdctlInteropTest.Session(server.endpoint());
            script(kplane);
            kplaneRefused = withoutClientCertificate(server.endpoint());
        }
        Path out = Path.of("target", "interop");
        Files.createDirectories(out);
        Files.write(out.resolve("etcdctl-tls.etcd.txt"), etcd.lines);
        Files.write(out.resolve("etcdctl-tls.kplane.txt"), kplane.lines);
        assertThat(String.join("\n", kplane.lines)).isEqualTo(String.join("\n", etcd.lines));
        assertThat(String.join("\n", etcd.lines)).contains("is healthy");
        assertThat(etcdRefused).as("etcd refuses a client without a certificate").isNotZero();
        assertThat(kplaneRefused).as("kplane refuses a client without a certificate").isNotZero();
    }
}
