package io.kplane.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole watch protocol suite of {@link WatchProtocolCachedTest} over HTTP/2: the JDK client
 * offers h2 by ALPN and multiplexes every request and watch of the suite as streams of one
 * connection, whose flushes the server consolidates ({@link HttpProtocols}).
 */
class WatchProtocolHttp2Test extends WatchProtocolCachedTest {

  @BeforeAll
  static void start() throws Exception {
    server = new TestApiServer(new EmbeddedStorage(), true).withBookmarkInterval(Duration.ofMillis(300))
        .withWatchSource((storage, registry) -> new CachedWatchSource(storage, 2, System::nanoTime, WatchCache.FRESH_NANOS, 8, 4096));
    http = new TestHttp(server, true, false, HttpClient.Version.HTTP_2);
    http.json("POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"w1\"}}");
    http.json("POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"w2\"}}");
  }

  @Test
  void theSuiteRunsOverHttp2() throws Exception {
    HttpResponse<String> r = http.send("GET", "/api/v1/namespaces/w1", null, null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
  }
}
