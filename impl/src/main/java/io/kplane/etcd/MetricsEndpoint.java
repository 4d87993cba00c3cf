package io.kplane.etcd;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * etcd's HTTP {@code /health} and Prometheus {@code /metrics} of one member ({@link MemberMetrics})
 * on the separate address etcd calls {@code --listen-metrics-urls}. The client port serves them
 * too ({@link ClientPortHttp}).
 */
final class MetricsEndpoint implements AutoCloseable {
    private final MemberMetrics metrics;
    private final HttpServer http;
    private final ExecutorService threads;

    MetricsEndpoint(MemberMetrics metrics, InetSocketAddress listen) throws IOException {
        this.metrics = metrics;
        this.http = HttpServer.create(listen, 16);
        this.threads = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "etcd-metrics");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(threads);
        http.createContext("/health", this::health);
        http.createContext("/metrics", this::metrics);
        http.start();
    }

    int port() {
        return http.getAddress().getPort();
    }

    private void health(HttpExchange ex) throws IOException {
        boolean ok = metrics.healthy().join();
        respond(ex, ok ? 200 : 503, "application/json", MemberMetrics.healthBody(ok));
    }

    private void metrics(HttpExchange ex) throws IOException {
        respond(ex, 200, MemberMetrics.METRICS_CONTENT_TYPE, metrics.render());
    }

    private static void respond(HttpExchange ex, int code, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        http.stop(0);
        threads.shutdownNow();
    }
}
