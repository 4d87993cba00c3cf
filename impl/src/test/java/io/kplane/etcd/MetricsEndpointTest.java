package io.kplane.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.PutRequest;
import io.kplane.kv.KvCommand;
import io.kplane.server.ClusterSpec;
import io.kplane.server.StoreConfig;
import io.kplane.server.StoreNode;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /health} and {@code /metrics} with real etcd 3.4 as the oracle for names, types and the health body. */
class MetricsEndpointTest {
    @TempDir
    Path dir;

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** {@code name type} of every {@code # TYPE} line. */
    private static List<String> types(String exposition) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^# TYPE (\\S+) (\\S+)$").matcher(exposition);
        while (m.find()) {
            out.add(m.group(1) + " " + m.group(2));
        }
        return out;
    }

    private static double value(String exposition, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(exposition);
        assertThat(m.find()).as(series + " in\n" + exposition).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void healthAndMetricsSpeakEtcdsNamesAndShapes() throws Exception {
        Assumptions.assumeTrue(RealEtcd.installed(), "etcd not installed");
        String etcdHealth;
        String etcdMetrics;
        try (RealEtcd real = new RealEtcd()) {
            etcdHealth = get(real.clientPort, "/health").body();
            etcdMetrics = get(real.clientPort, "/metrics").body();
        }
        int peer = freePort();
        ClusterSpec spec = ClusterSpec.parse("solo=127.0.0.1:" + peer, "metrics");
        StoreConfig config = StoreConfig.defaults("solo", spec, dir.resolve("solo")).withTick(Duration.ofMillis(10));
        try (StoreNode node = StoreNode.startTcp(config, new KvReplicatedStateMachine(), null);
             EtcdServer server = EtcdServer.start(node, new InetSocketAddress("127.0.0.1", 0),
                     EtcdServer.Options.defaults().withMetricsListen(new InetSocketAddress("127.0.0.1", 0)))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (!node.status().isLeader() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            node.propose(KvCommand.PUT.encode(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("a"))
                    .setValue(ByteString.copyFromUtf8("1")).build())).get(10, TimeUnit.SECONDS);
            HttpResponse<String> health = get(server.metricsPort(), "/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo(etcdHealth);
            String metrics = get(server.metricsPort(), "/metrics").body();
            List<String> ours = types(metrics);
            assertThat(ours).hasSizeGreaterThanOrEqualTo(7).isSubsetOf(types(etcdMetrics));
            assertThat(value(metrics, "etcd_server_has_leader")).isEqualTo(1);
            assertThat(value(metrics, "etcd_server_is_leader")).isEqualTo(1);
            assertThat(value(metrics, "etcd_server_proposals_committed_total")).isGreaterThanOrEqualTo(2);
            assertThat(value(metrics, "etcd_disk_wal_fsync_duration_seconds_count")).isPositive();
            assertThat(value(metrics, "etcd_disk_wal_fsync_duration_seconds_bucket{le=\"+Inf\"}"))
                    .isEqualTo(value(metrics, "etcd_disk_wal_fsync_duration_seconds_count"));
        }
    }

    @Test
    void aMemberWithoutALeaderIsUnhealthy() throws Exception {
        ClusterSpec spec = ClusterSpec.parse("a=127.0.0.1:" + freePort() + ",b=127.0.0.1:" + freePort(), "lonely");
        StoreConfig config = StoreConfig.defaults("a", spec, dir.resolve("a")).withTick(Duration.ofMillis(10));
        try (StoreNode node = StoreNode.startTcp(config, new KvReplicatedStateMachine(), null);
             EtcdServer server = EtcdServer.start(node, new InetSocketAddress("127.0.0.1", 0),
                     EtcdServer.Options.defaults().withMetricsListen(new InetSocketAddress("127.0.0.1", 0)))) {
            HttpResponse<String> health = get(server.metricsPort(), "/health");
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).isEqualTo("{\"health\":\"false\"}");
            assertThat(value(get(server.metricsPort(), "/metrics").body(), "etcd_server_has_leader")).isZero();
        }
    }

    /**
     * etcd serves {@code /health} and {@code /metrics} over HTTP/1.1 on the client port next to gRPC:
     * the same GETs, and {@code etcdctl endpoint health} (gRPC) on the same port, against real etcd
     * and against kplane started without a metrics address.
     */
    @Test
    void clientPortServesHealthAndMetricsBesideGrpc() throws Exception {
        Assumptions.assumeTrue(RealEtcd.installed(), "etcd not installed");
        List<String> etcd;
        try (RealEtcd real = new RealEtcd()) {
            etcd = clientPortTranscript(real.clientPort);
        }
        int peer = freePort();
        ClusterSpec spec = ClusterSpec.parse("solo=127.0.0.1:" + peer, "client-port-http");
        StoreConfig config = StoreConfig.defaults("solo", spec, dir.resolve("solo")).withTick(Duration.ofMillis(10));
        List<String> kplane;
        String metrics;
        try (StoreNode node = StoreNode.startTcp(config, new KvReplicatedStateMachine(), null);
             EtcdServer server = EtcdServer.start(node, new InetSocketAddress("127.0.0.1", 0))) {
            assertThat(server.metricsPort()).isEqualTo(-1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (!node.status().isLeader() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            kplane = clientPortTranscript(server.port());
            metrics = get(server.port(), "/metrics").body();
        }
        assertThat(String.join("\n", kplane)).isEqualTo(String.join("\n", etcd));
        assertThat(value(metrics, "etcd_server_has_leader")).isEqualTo(1);
        assertThat(value(metrics, "etcd_server_proposals_applied_total")).isGreaterThanOrEqualTo(2); // the put below
    }

    /** HTTP/1.1 and gRPC on one port, in turns: health, a put over gRPC, metrics types, 404, etcdctl health. */
    private static List<String> clientPortTranscript(int port) throws Exception {
        HttpClient http1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        List<String> out = new ArrayList<>();
        HttpResponse<String> health = http1.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        out.add("GET /health " + health.statusCode() + " " + health.body());
        EtcdctlInteropTest.Session ctl = new EtcdctlInteropTest.Session("http://127.0.0.1:" + port);
        ctl.run(null, "put", "over-grpc", "v");
        HttpResponse<String> metrics = http1.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        out.add("GET /metrics " + metrics.statusCode() + " " + metrics.headers().firstValue("content-type").orElse("")
                + " has_leader " + types(metrics.body()).contains("etcd_server_has_leader gauge"));
        HttpResponse<String> missing = http1.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/no-such-path"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        out.add("GET /no-such-path " + missing.statusCode() + " " + missing.body().trim());
        ctl.run(null, "endpoint", "health");
        ctl.run(null, "get", "over-grpc", "--print-value-only");
        out.addAll(ctl.lines);
        return out;
    }
}
