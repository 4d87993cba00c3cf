package io.kplane.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Authentication (token, client certificate, anonymous), 429 beyond the in-flight limit, /metrics. */
class ServerGuardsTest {
  static TestApiServer server;

  @BeforeAll
  static void start() throws Exception {
    server = new TestApiServer(new EmbeddedStorage(), true);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void anonymousAndWrongTokensAreRejectedTokensAndClientCertificatesAccepted() throws Exception {
    HttpResponse<String> anon = new TestHttp(server, false, false).send("GET", "/api/v1/namespaces", null, null);
    assertThat(anon.statusCode()).isEqualTo(401);
    assertThat(Registry.JSON.readTree(anon.body()).path("reason").asText()).isEqualTo("Unauthorized");
    TestHttp wrong = new TestHttp(server, false, false);
    HttpResponse<String> bad = wrong.client.send(wrong.request("/api/v1/namespaces").header("Authorization", "Bearer nope").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(bad.statusCode()).isEqualTo(401);
    assertThat(new TestHttp(server, true, false).send("GET", "/api/v1/namespaces", null, null).statusCode()).isEqualTo(200);
    assertThat(new TestHttp(server, false, true).send("GET", "/api/v1/namespaces", null, null).statusCode()).isEqualTo(200);
  }

  @Test
  void requestsBeyondTheInFlightLimitGet429WithRetryAfter() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch entered = new CountDownLatch(1);
    // a storage whose reads block until released, so one read holds the single read-only slot
    EmbeddedStorage inner = new EmbeddedStorage();
    Storage blocking = new ForwardingStorage(inner) {
      @Override
      public Page list(String prefix, String fromKey, long limit, long revision) {
        if (prefix.startsWith("/registry/services/")) {
          entered.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        return super.list(prefix, fromKey, limit, revision);
      }
    };
    int port = EtcdProcess.freePort();
    Authenticator auth = new Authenticator(Map.of(), true);
    ApiServer limited = new ApiServer(ApiServer.Config.plain(new InetSocketAddress("127.0.0.1", port), auth).withInFlight(1, 1)
        .withCompactionInterval(Duration.ZERO), blocking);
    limited.start();
    try {
      java.net.http.HttpClient c = java.net.http.HttpClient.newHttpClient();
      var first = c.sendAsync(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/api/v1/services")).build(),
          HttpResponse.BodyHandlers.ofString());
      entered.await();
      HttpResponse<String> second = c.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/api/v1/pods")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(second.statusCode()).isEqualTo(429);
      assertThat(second.headers().firstValue("Retry-After")).contains("1");
      assertThat(Registry.JSON.readTree(second.body()).path("reason").asText()).isEqualTo("TooManyRequests");
      // writes have their own limit: a create still goes through
      HttpResponse<String> write = c.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/api/v1/namespaces"))
          .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"metadata\":{\"name\":\"ok\"}}")).header("Content-Type", "application/json").build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(write.statusCode()).isEqualTo(201);
      release.countDown();
      assertThat(first.get().statusCode()).isEqualTo(200);
      String metrics = c.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertThat(metrics).contains("apiserver_dropped_requests_total{request_kind=\"readOnly\"} 1",
          "apiserver_request_total{code=\"201\",component=\"apiserver\",group=\"\",resource=\"namespaces\",scope=\"cluster\",subresource=\"\",verb=\"POST\",version=\"v1\"} 1",
          "apiserver_request_duration_seconds_bucket{", "apiserver_current_inflight_requests{request_kind=\"mutating\"}");
    } finally {
      release.countDown();
      limited.close();
      inner.close();
    }
  }

  @Test
  void errorsAreStatusObjectsWithTheRightCodes() throws Exception {
    TestHttp http = new TestHttp(server, true, false);
    JsonNode nf = Registry.JSON.readTree(http.send("GET", "/api/v1/namespaces/default/pods/none", null, null).body());
    assertThat(nf.path("code").asInt()).isEqualTo(404);
    assertThat(nf.path("message").asText()).isEqualTo("pods \"none\" not found");
    HttpResponse<String> badJson = http.send("POST", "/api/v1/namespaces/default/pods", "{not json", "application/json");
    assertThat(badJson.statusCode()).isEqualTo(400);
    HttpResponse<String> invalid = http.send("POST", "/apis/apps/v1/namespaces/default/deployments",
        "{\"metadata\":{\"name\":\"d\"},\"spec\":{\"selector\":{\"matchLabels\":{\"a\":\"b\"}},\"template\":{\"metadata\":{\"labels\":{\"a\":\"c\"}},"
            + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}}}}", "application/json");
    assertThat(invalid.statusCode()).isEqualTo(422);
    assertThat(invalid.body()).contains("`selector` does not match template `labels`");
    HttpResponse<String> unknown = http.send("GET", "/apis/apps/v1/namespaces/default/widgets", null, null);
    assertThat(unknown.statusCode()).isEqualTo(404);
    HttpResponse<String> badSelector = http.send("GET", "/api/v1/pods?labelSelector=a%3D%3D%3Db", null, null);
    assertThat(badSelector.statusCode()).isEqualTo(400);
    HttpResponse<String> badContinue = http.send("GET", "/api/v1/pods?limit=1&continue=garbage", null, null);
    assertThat(badContinue.statusCode()).isEqualTo(400);
    List.of(nf).forEach(n -> assertThat(n.path("kind").asText()).isEqualTo("Status"));
  }
}
