package io.kplane.kubelet;

import io.kplane.model.Container;
import io.kplane.model.ContainerPort;
import io.kplane.model.HttpHeader;
import io.kplane.model.IntOrString;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Runs a probe for real against the pod's address: an HTTP GET succeeds with a status code from
 * 200 to 399 (HTTPS without certificate checks, as the kubelet does), a TCP probe when the
 * connection opens, both within {@code timeoutSeconds}. The host is the probe's {@code host} if
 * set, else the pod IP; a named port is looked up among the container's ports. Exec probes cannot
 * run in a hollow container and count as success (kubemark's hollow kubelet has no runtime either).
 */
final class ProbeRunner {
    private static final SSLContext TRUST_ALL = trustAll();

    private ProbeRunner() {
    }

    /** True if the probe passed. Never throws: any error is a failed probe. */
    static boolean run(ProbeSpec probe, Container container, String podIp) {
        int timeoutMs = (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(probe.timeoutNs()));
        try {
            if (probe.httpGet() != null) {
                var get = probe.httpGet();
                String host = get.host() == null || get.host().isEmpty() ? podIp : get.host();
                String scheme = get.scheme() == null ? "http" : get.scheme().toLowerCase();
                String path = get.path() == null || get.path().isEmpty() ? "/" : get.path();
                if (!path.startsWith("/")) {
                    path = "/" + path;
                }
                URI uri = URI.create(scheme + "://" + hostPort(host, port(get.port(), container)) + path);
                HttpURLConnection conn = (HttpURLConnection) uri.toURL().openConnection(java.net.Proxy.NO_PROXY);
                if (conn instanceof HttpsURLConnection https) {
                    https.setSSLSocketFactory(TRUST_ALL.getSocketFactory());
                    https.setHostnameVerifier((h, s) -> true);
                }
                conn.setConnectTimeout(timeoutMs);
                conn.setReadTimeout(timeoutMs);
                conn.setInstanceFollowRedirects(false);
                conn.setRequestProperty("User-Agent", "kube-probe/1.32");
                conn.setRequestProperty("Accept", "*/*");
                for (HttpHeader h : get.httpHeaders()) {
                    conn.setRequestProperty(h.name(), h.value());
                }
                try {
                    int code = conn.getResponseCode();
                    drain(code < 400 ? conn.getInputStream() : conn.getErrorStream());
                    return code >= 200 && code < 400;
                } finally {
                    conn.disconnect();
                }
            }
            if (probe.tcpSocket() != null) {
                var tcp = probe.tcpSocket();
                String host = tcp.host() == null || tcp.host().isEmpty() ? podIp : tcp.host();
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(host, port(tcp.port(), container)), timeoutMs);
                    return true;
                }
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static String hostPort(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    static int port(IntOrString port, Container container) {
        if (port == null) {
            throw new IllegalArgumentException("probe without a port");
        }
        if (port.isInt()) {
            return port.intValue();
        }
        for (ContainerPort p : container.ports()) {
            if (port.stringValue().equals(p.name()) && p.containerPort() != null) {
                return p.containerPort();
            }
        }
        throw new IllegalArgumentException("no container port named " + port.stringValue());
    }

    private static void drain(InputStream in) throws IOException {
        if (in != null) {
            try (in) {
                in.readNBytes(10 * 1024);
            }
        }
    }

    private static SSLContext trustAll() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, new SecureRandom());
            return ctx;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
