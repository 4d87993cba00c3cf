package io.kplane.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** A plain HTTPS client for the test server (JDK HttpClient trusting the server's CA). */
final class TestHttp {
  final TestApiServer server;
  final HttpClient client;
  private final String token;

  TestHttp(TestApiServer server, boolean withToken, boolean withClientCert) throws Exception {
    this(server, withToken, withClientCert, HttpClient.Version.HTTP_1_1);
  }

  /** With {@code HTTP_2} the client offers h2 by ALPN and multiplexes every request and watch over one connection. */
  TestHttp(TestApiServer server, boolean withToken, boolean withClientCert, HttpClient.Version version) throws Exception {
    this.server = server;
    this.token = withToken ? server.token : null;
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", ServingCerts.readCert(server.dir.resolve("pki/ca.crt")));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    javax.net.ssl.KeyManager[] keys = null;
    if (withClientCert) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      PrivateKey key = ServingCerts.readKey(server.dir.resolve("pki/admin.key"));
      X509Certificate cert = ServingCerts.readCert(server.dir.resolve("pki/admin.crt"));
      ks.setKeyEntry("admin", key, new char[0], new java.security.cert.Certificate[] {cert});
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, new char[0]);
      keys = kmf.getKeyManagers();
    }
    ssl.init(keys, tmf.getTrustManagers(), null);
    this.client = HttpClient.newBuilder().sslContext(ssl).version(version).connectTimeout(Duration.ofSeconds(10)).build();
  }

  HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(60));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  HttpResponse<String> send(String method, String path, String body, String contentType) throws Exception {
    HttpRequest.Builder b = request(path).method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  JsonNode json(String method, String path, String body) throws Exception {
    HttpResponse<String> r = send(method, path, body, "application/json");
    if (r.statusCode() >= 300) {
      throw new AssertionError(method + " " + path + " -> " + r.statusCode() + ": " + r.body());
    }
    return Registry.JSON.readTree(r.body());
  }

  /** A watch stream: its events arrive in {@link #events}; {@link #close()} stops it. */
  final class Watch implements AutoCloseable {
    final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    final int status;
    private final Stream<String> lines;
    private final Thread reader;

    Watch(String path) throws Exception {
      HttpResponse<Stream<String>> r = client.send(request(path).timeout(Duration.ofMinutes(10)).build(), HttpResponse.BodyHandlers.ofLines());
      status = r.statusCode();
      lines = r.body();
      reader = new Thread(() -> {
        try {
          lines.forEach(l -> {
            try {
              events.add(Registry.JSON.readTree(l));
            } catch (Exception e) {
              events.add(Registry.JSON.createObjectNode().put("type", "UNPARSEABLE").put("line", l));
            }
          });
        } catch (RuntimeException closed) {
          // stream closed
        }
        events.add(Registry.JSON.createObjectNode().put("type", "END"));
      }, "test-watch-reader");
      reader.setDaemon(true);
      reader.start();
    }

    JsonNode next() throws InterruptedException {
      JsonNode e = events.poll(30, TimeUnit.SECONDS);
      if (e == null) {
        throw new AssertionError("no watch event within 30 s");
      }
      return e;
    }

    @Override
    public void close() {
      lines.close();
    }
  }

  Watch watch(String path) throws Exception {
    return new Watch(path);
  }
}
