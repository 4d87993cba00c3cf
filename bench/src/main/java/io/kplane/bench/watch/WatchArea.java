package io.kplane.bench.watch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.kplane.bench.BenchArea;
import io.kplane.bench.JmhRun;
import io.kplane.bench.JmhSettings;
import io.kplane.bench.RunContext;
import io.kplane.bench.store.EtcdCluster;
import io.kplane.bench.store.ProcessCpu;
import io.kplane.reports.Anchors;
import io.kplane.server.ChildJvm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * {@code kplane bench watch [--quick]}: the API server's watch cache.
 *
 * <ol>
 *   <li>JMH ({@code WatchFanoutBenchmark}): one event to 1k/10k/100k in-process watchers, ns and
 *       bytes allocated per delivery, against a naive per-watcher copy + serialize.</li>
 *   <li>End to end on loopback: {@code kplane apiserver --store embedded} in its own process, N watch
 *       streams (HTTP/2 streams or HTTP/1.1 connections, Netty client on two threads) on the pods of one namespace with a
 *       label selector matching half of them, merge-patches at a fixed rate through the API (open
 *       loop); latency from each write's acknowledgement to its receipt at every watcher, deliveries/s,
 *       bytes/s, server heap per watcher, server CPU.</li>
 *   <li>The floor, same run ({@code -p floor=false} skips it; HTTP/1.1 only): {@link RawFanoutServer}, a
 *       plain NIO process that acknowledges the same writes and fans out pre-framed chunks of kplane's
 *       average event size to the same client — the machine's room for any watch server.</li>
 *   <li>The peer, same run: a single etcd 3.4 member, N jetcd watchers on the half of the keys that
 *       plays the selector's part, puts of the same objects at the same rate.</li>
 * </ol>
 * Parameters: {@code -p watchers=1000,10000} ({@code --quick}: 1000), {@code -p rate=1000},
 * {@code -p duration=20s} ({@code --quick}: 8s), {@code -p warmup=10s}, {@code -p inflight=64} (writes outstanding: the
 * writer's keep-alive connections to the API server, jetcd's outstanding puts to etcd),
 * {@code -p protocol=http1|h2} (kplane's watch streams: one HTTP/1.1 connection per stream, the
 * default; or HTTP/2 prior knowledge with {@code -p streams=1000} streams per connection, as client-go multiplexes them),
 * {@code -p jmh=false}, {@code -p compare=none}, {@code -p serverJvm="-XX:StartFlightRecording=filename=/tmp/a.jfr"}
 * (extra JVM options of the API server process, e.g. to profile it).
 *
 * <p>Both writers are open loop (write {@code i} is due at {@code start + i/rate}) with at most
 * {@code inflight} writes outstanding; the achieved rate is reported beside the target. The kplane
 * writer is a Netty client on one event loop ({@link PatchWriter}); the watch streams are read on
 * two ({@link WatchStreams}); receipts are matched to acknowledgements without locks
 * ({@link AckTimes}). The etcd watchers are counted as ready by their created notifications, not
 * after a sleep.
 */
public final class WatchArea implements BenchArea {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int PODS = 100;
  /** HTTP/2 watch streams per connection by default: the server's limit ({@code MAX_CONCURRENT_STREAMS}), as a Go client fills it. */
  private static final int STREAMS_PER_CONNECTION = 1000;

  @Override
  public String name() {
    return "watch";
  }

  @Override
  public String title() {
    return "Watch: API server watch cache fan-out (JMH) and watch streams end to end, vs etcd 3.4's own watch";
  }

  @Override
  public int order() {
    return 25;
  }

  /**
   * What one system's end-to-end run measured. {@code seconds} is the measured writing time;
   * {@code deliverySeconds} runs from its start until the last of its events arrived (the drain
   * included), and the server's CPU is taken over that same span: when watchers lag, most
   * deliveries — and the server's work for them — come after the writing stopped.
   */
  record E2e(String system, int watchers, Histogram latency, double seconds, double deliverySeconds, long deliveries, long expected,
             long bytes, double serverCpuSeconds, double heapPerWatcherBytes, long writes, long early, long ended) {
    double deliveriesPerSecond() {
      return deliveries / deliverySeconds;
    }

    double bytesPerSecond() {
      return bytes / deliverySeconds;
    }

    double deliveriesPerCoreSecond() {
      return serverCpuSeconds > 0 ? deliveries / serverCpuSeconds : 0;
    }
  }

  @Override
  public void run(RunContext ctx) throws Exception {
    List<Integer> counts = new ArrayList<>();
    for (String s : ctx.param("watchers", ctx.quickOr("1000", "1000,10000")).split(",")) {
      counts.add(Integer.parseInt(s.trim()));
    }
    double rate = ctx.param("rate", 1000.0);
    // Long enough for the server's JIT: after a shorter one the open-loop writer, behind from the
    // cold start, catches up inside the measured window at up to 1.1x the rate and its backlog,
    // not the steady state, set the quick suite's p99.
    Duration warmup = ctx.param("warmup", Duration.ofSeconds(10));
    Duration duration = ctx.param("duration", ctx.quickOr(Duration.ofSeconds(8), Duration.ofSeconds(20)));
    int inflight = ctx.param("inflight", 64);
    String protocol = ctx.param("protocol", "http1");
    if (!protocol.equals("h2") && !protocol.equals("http1")) {
      throw new IllegalArgumentException("-p protocol=h2|http1, not " + protocol);
    }
    boolean http2 = protocol.equals("h2");
    int streamsPerConnection = ctx.param("streams", STREAMS_PER_CONNECTION);
    List<String> serverJvm = List.of(ctx.param("serverJvm", "").trim().split("\\s+")).stream().filter(x -> !x.isEmpty()).toList();
    boolean compare = !ctx.param("compare", "etcd").equals("none");
    boolean etcd = compare && EtcdCluster.installed();
    // The floor speaks HTTP/1.1 only; over h2 kplane is compared with etcd alone.
    boolean floor = Boolean.parseBoolean(ctx.param("floor", "true")) && !http2;
    if (compare && !etcd) {
      ctx.note("etcd peer skipped: " + RunContext.ETCD_INSTALL_HINT);
    }
    if (Boolean.parseBoolean(ctx.param("jmh", "true"))) {
      jmh(ctx);
    }
    Path tmp = Files.createTempDirectory("kplane-bench-watch");
    try {
      for (int n : counts) {
        ctx.log().printf("  load before %,d watchers: %s%n", n, loadAverage());
        E2e k = kplane(ctx, tmp, n, rate, warmup, duration, inflight, serverJvm, http2, streamsPerConnection);
        report(ctx, k, rate);
        E2e f = null;
        if (floor) {
          int eventBytes = k.deliveries() > 0 ? (int) Math.max(200, k.bytes() / k.deliveries()) : 1500;
          f = floor(ctx, n, eventBytes, rate, warmup, duration, inflight);
          report(ctx, f, rate);
        }
        E2e e = null;
        if (etcd) {
          try {
            e = etcd(ctx, tmp, n, rate, warmup, duration, inflight);
            report(ctx, e, rate);
          } catch (IllegalStateException failed) {
            // etcd overloaded by the watchers (puts time out): a result, not a reason to lose kplane's figures.
            ctx.note(String.format("etcd 3.4 at %,d watchers: %s%s", n, failed.getMessage(),
                failed.getCause() == null ? "" : " (first: " + failed.getCause() + ")"));
          }
        }
        String label = String.format("%,d watchers (%s), %,.0f writes/s target, %,.0f achieved", n, http2 ? "HTTP/2" : "HTTP/1.1",
            rate, k.writes() / k.seconds());
        var p99 = ctx.measured("watch delivery p99, " + label + " (write ack to receipt)", k.latency.getValueAtPercentile(99) / 1e6,
            "ms", false);
        if (e != null) {
          p99 = p99.against(Anchors.measured("etcd 3.4 jetcd watchers, same load", e.latency.getValueAtPercentile(99) / 1e6, "ms"));
        }
        ctx.headline(p99.withNote("target < 100 ms at 10k watchers and 1,000 writes/s"));
        var perCore = ctx.measured("watch deliveries per server CPU-second, " + label, k.deliveriesPerCoreSecond(), "deliveries/CPU-s",
            true);
        if (e != null) {
          perCore = perCore.against(Anchors.measured("etcd 3.4, same load", e.deliveriesPerCoreSecond(), "deliveries/CPU-s"));
        }
        ctx.headline(perCore.withNote(String.format("%,.0f deliveries/s, %.1f MB/s, %,.0f B server heap per watcher",
            k.deliveriesPerSecond(), k.bytesPerSecond() / 1e6, k.heapPerWatcherBytes)));
        if (f != null) {
          // What the machine allows: if the floor misses a target, no server meets it on this machine with this client.
          ctx.headline(ctx.measured("watch deliveries/s, " + label, k.deliveriesPerSecond(), "deliveries/s", true)
              .against(Anchors.measured("plain NIO fan-out (no store, JSON or HTTP stack), same client and load", f.deliveriesPerSecond(),
                  "deliveries/s"))
              .withNote(String.format("floor: %,.0f writes/s achieved, p99 %,.0f ms, %,.0f deliveries per server CPU-s",
                  f.writes() / f.seconds(), f.latency().getValueAtPercentile(99) / 1e6, f.deliveriesPerCoreSecond())));
        }
      }
    } finally {
      EtcdCluster.deleteTree(tmp);
    }
    ctx.message("watch cache: one store watch, one serialization per event, lock-free fan-out; etcd measured in the same run");
  }

  private void report(RunContext ctx, E2e r, double rate) {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("watchers", r.watchers);
    params.put("targetWritesPerSecond", rate);
    params.put("achievedWritesPerSecond", Math.round(r.writes / r.seconds));
    params.put("deliveries", r.deliveries);
    params.put("expected", r.expected);
    params.put("bytesPerSecond", Math.round(r.bytesPerSecond()));
    params.put("deliverySeconds", String.format("%.1f", r.deliverySeconds));
    params.put("serverCpuSeconds", String.format("%.2f", r.serverCpuSeconds));
    params.put("heapPerWatcherBytes", Math.round(r.heapPerWatcherBytes));
    params.put("beforeAck", r.early);
    ctx.addHistogram("delivery-" + r.watchers, r.system, r.latency, r.seconds, params, "n/a (memory store, kplane) / fsync (etcd)");
    ctx.log().printf("  %s %,d watchers, %,.0f writes/s achieved (target %,.0f): %,d of %,d deliveries in %.1f s (%,.0f/s, %.1f MB/s), p50 %.2f ms p99 %.2f ms max %.2f ms, "
            + "server CPU %.1f s (%,.0f deliveries/CPU-s), heap/watcher %,.0f B, %d before ack, %d streams ended%n",
        r.system, r.watchers, r.writes / r.seconds, rate, r.deliveries, r.expected, r.deliverySeconds, r.deliveriesPerSecond(), r.bytesPerSecond() / 1e6,
        r.latency.getValueAtPercentile(50) / 1e6, r.latency.getValueAtPercentile(99) / 1e6, r.latency.getMaxValue() / 1e6,
        r.serverCpuSeconds, r.deliveriesPerCoreSecond(), r.heapPerWatcherBytes, r.early, r.ended);
    if (r.deliveries < r.expected) {
      ctx.note(String.format("%s, %,d watchers: %,d of %,d deliveries missing after the drain", r.system, r.watchers,
          r.expected - r.deliveries, r.expected));
    }
  }

  // ------------------------------------------------------------------------------------ JMH

  private void jmh(RunContext ctx) throws Exception {
    JmhSettings settings = ctx.quickOr(new JmhSettings(1, 2, "1s", 3, "1s", List.of("gc")),
        new JmhSettings(2, 3, "1s", 5, "1s", List.of("gc")));
    Optional<Path> json = JmhRun.run(ctx.dir(), "watch", List.of("io\\.kplane\\.apiserver\\.WatchFanoutBenchmark\\."), settings,
        List.of(), ctx.log());
    if (json.isEmpty()) {
      throw new IllegalStateException("JMH failed; see jmh-watch.log in " + ctx.dir());
    }
    ctx.jmhFile(json.get());
    Map<String, double[]> byKey = new LinkedHashMap<>();
    for (JsonNode r : JSON.readTree(json.get().toFile())) {
      String method = r.path("benchmark").asText().replaceAll(".*\\.", "");
      int n = r.path("params").path("subscribers").asInt();
      double ns = r.path("primaryMetric").path("score").asDouble() / n;
      double err = r.path("primaryMetric").path("scoreError").asDouble() / n;
      double alloc = r.path("secondaryMetrics").path("gc.alloc.rate.norm").path("score").asDouble(Double.NaN) / n;
      byKey.put(method + "@" + n, new double[] {ns, alloc, err});
      ctx.log().printf("  jmh %s, %,d subscribers: %.1f ns and %.1f B allocated per delivery%n", method, n, ns, alloc);
    }
    for (int n : new int[] {1000, 10000, 100000}) {
      double[] c = byKey.get("cache@" + n);
      double[] v = byKey.get("naive@" + n);
      if (c == null || v == null) {
        continue;
      }
      ctx.headline(ctx.measured(String.format("fan-out of one event to %,d watchers, per delivery", n), c[0], "ns", false)
          .against(Anchors.measured("naive copy + serialize per watcher, same JMH run", v[0], "ns"))
          .withNoise(c[2] / Math.max(1e-9, c[0]))
          .withNote(String.format("allocation per delivery %.1f B (naive %.0f B)", c[1], v[1])));
    }
  }

  // --------------------------------------------------------------------------- end to end

  private E2e kplane(RunContext ctx, Path tmp, int watchers, double rate, Duration warmup, Duration duration, int inflight,
                     List<String> serverJvm, boolean http2, int streamsPerConnection) throws Exception {
    int port = ChildJvm.freePort();
    Path log = ctx.file("apiserver-" + watchers + ".log");
    List<String> jvm = new ArrayList<>(List.of("-Xmx4g", "-XX:+UseParallelGC"));
    jvm.addAll(serverJvm);
    List<String> cmd = ChildJvm.kplaneCommand(jvm, List.of("apiserver", "--store", "embedded",
        "--listen", "127.0.0.1:" + port, "--kubeconfig", tmp.resolve("kc-" + watchers).toString(), "--insecure-http",
        "--anonymous-auth", "--max-requests-inflight", "100000", "--max-mutating-requests-inflight", "100000"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    String base = "http://127.0.0.1:" + port;
    try {
      awaitUp(http, base, p, log);
      ctx.log().printf("  kplane apiserver (pid %d) up; creating %d pods%n", p.pid(), PODS);
      for (int i = 0; i < PODS; i++) {
        send(http, "POST", base + "/api/v1/namespaces/default/pods", "application/json", pod(i, 0), 201);
      }
      long rv = JSON.readTree(send(http, "GET", base + "/api/v1/namespaces/default/pods?limit=1", null, null, 200))
          .path("metadata").path("resourceVersion").asLong();
      return drive(ctx, "kplane", p.pid(), port, "/api/v1/namespaces/default/pods?watch=1&labelSelector=half%3Dyes&resourceVersion=" + rv
          + "&timeoutSeconds=3600", watchers, rate, warmup, duration, inflight, http2, streamsPerConnection);
    } finally {
      p.destroy();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  /**
   * The measured part of a run against an HTTP server (kplane's API server or the {@link RawFanoutServer}
   * floor): opens the watch streams, writes open loop, drains, and reads the server's CPU and heap.
   */
  private E2e drive(RunContext ctx, String system, long pid, int port, String watchPath, int watchers, double rate, Duration warmup,
                    Duration duration, int inflight, boolean http2, int streamsPerConnection) throws Exception {
    double heap0 = heapUsed(pid);
    AckTimes acks = new AckTimes();
    try (WatchStreams streams = new WatchStreams(acks); PatchWriter writer = new PatchWriter("127.0.0.1", port, inflight)) {
      streams.open("127.0.0.1", port, watchPath, watchers, http2, streamsPerConnection);
      double heap1 = heapUsed(pid);
      ctx.log().printf("  %s: %,d watch streams open (%s)%n", system, watchers, http2
          ? String.format("HTTP/2, %d connections", (watchers + streamsPerConnection - 1) / streamsPerConnection)
          : "HTTP/1.1, one connection each");
      long[] recordedHalf = {0};
      AtomicLong writes = new AtomicLong();
      double[] cpuAtStart = {0};
      long[] recordingFrom = {0};
      double seconds = openLoop(rate, warmup, duration, inflight, () -> {
        cpuAtStart[0] = ProcessCpu.seconds(List.of(pid));
        recordingFrom[0] = System.nanoTime();
        streams.recording(true);
      }, (i, recording) -> {
        int pod = (int) (i % PODS);
        if (recording && pod % 2 == 0) {
          recordedHalf[0]++;
        }
        if (recording) {
          writes.incrementAndGet();
        }
        return writer.patch("/api/v1/namespaces/default/pods/pod-" + pod, "{\"metadata\":{\"annotations\":{\"seq\":\"" + i + "\"}}}")
            .thenAccept(acked -> acks.acked(acked, System.nanoTime(), recording));
      });
      drain(acks, recordedHalf[0] * watchers, streams.bytes::sum);
      double cpu = ProcessCpu.seconds(List.of(pid)) - cpuAtStart[0];
      double deliverySeconds = (System.nanoTime() - recordingFrom[0]) / 1e9;
      streams.recording(false);
      return new E2e(system, watchers, acks.latency, seconds, deliverySeconds, acks.deliveries(), recordedHalf[0] * watchers,
          streams.bytes.sum(), cpu, Math.max(0, heap1 - heap0) / watchers, writes.get(), acks.early(), streams.ended.get());
    }
  }

  /**
   * The same load against {@link RawFanoutServer} in its own JVM: events of {@code eventBytes} (kplane's
   * average in this run), the same client and writer — the most this machine gives any server.
   */
  private E2e floor(RunContext ctx, int watchers, int eventBytes, double rate, Duration warmup, Duration duration, int inflight)
      throws Exception {
    int port = ChildJvm.freePort();
    Path log = ctx.file("raw-fanout-" + watchers + ".log");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(ChildJvm.jvmFlags());
    cmd.addAll(List.of("-Xmx1g", "-XX:+UseParallelGC", "-cp", System.getProperty("java.class.path"), RawFanoutServer.class.getName(),
        Integer.toString(port), Integer.toString(eventBytes)));
    Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      if (!"listening".equals(out.readLine())) {
        throw new IllegalStateException("raw fan-out server did not start; see " + log);
      }
      ctx.log().printf("  raw NIO fan-out floor (pid %d) up, %,d-byte events%n", p.pid(), eventBytes);
      return drive(ctx, "raw-nio-floor", p.pid(), port, "/api/v1/namespaces/default/pods?watch=1", watchers, rate, warmup, duration,
          inflight, false, 0);
    } finally {
      p.destroy();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  private E2e etcd(RunContext ctx, Path tmp, int watchers, double rate, Duration warmup, Duration duration, int inflight)
      throws Exception {
    try (EtcdCluster cluster = EtcdCluster.start(1, tmp.resolve("etcd-" + watchers));
         Client client = Client.builder().endpoints(cluster.clientEndpoints().stream()
             .map(s -> s.contains("://") ? s : "http://" + s).toArray(String[]::new)).build()) {
      long pid = cluster.pids().get(0);
      ctx.log().printf("  etcd 3.4 (pid %d) up; %,d jetcd watchers%n", pid, watchers);
      AckTimes acks = new AckTimes();
      AtomicLong bytes = new AtomicLong();
      java.util.concurrent.atomic.AtomicBoolean recording = new java.util.concurrent.atomic.AtomicBoolean();
      ByteSequence prefix = ByteSequence.from("/registry/pods/default/yes/", StandardCharsets.UTF_8);
      List<Watch.Watcher> ws = new ArrayList<>();
      java.util.concurrent.CountDownLatch created = new java.util.concurrent.CountDownLatch(watchers);
      WatchOption option = WatchOption.builder().isPrefix(true).withCreateNotify(true).build();
      for (int i = 0; i < watchers; i++) {
        ws.add(client.getWatchClient().watch(prefix, option, Watch.listener(r -> {
          long now = System.nanoTime();
          if (r.isCreatedNotify()) {
            created.countDown();
            return;
          }
          if (!recording.get()) {
            return;
          }
          for (var e : r.getEvents()) {
            bytes.addAndGet(e.getKeyValue().getKey().size() + e.getKeyValue().getValue().size());
            acks.received(e.getKeyValue().getModRevision(), now);
          }
        })));
      }
      // jetcd creates watches asynchronously: each one's created notification says it is registered
      // in etcd (so it sees every later put).
      if (!created.await(300, TimeUnit.SECONDS)) {
        throw new IllegalStateException((watchers - created.getCount()) + " of " + watchers + " etcd watchers created within 300 s");
      }
      ctx.log().printf("  %,d etcd watchers created%n", watchers);
      long[] recordedHalf = {0};
      AtomicLong etcdWrites = new AtomicLong();
      double[] cpuAtStart = {0};
      long[] recordingFrom = {0};
      double seconds = openLoop(rate, warmup, duration, inflight, () -> {
        cpuAtStart[0] = ProcessCpu.seconds(List.of(pid));
        recordingFrom[0] = System.nanoTime();
        recording.set(true);
      }, (i, rec) -> {
        int pod = (int) (i % PODS);
        if (rec && pod % 2 == 0) {
          recordedHalf[0]++;
        }
        if (rec) {
          etcdWrites.incrementAndGet();
        }
        String key = "/registry/pods/default/" + (pod % 2 == 0 ? "yes/" : "no/") + "pod-" + pod;
        return client.getKVClient().put(ByteSequence.from(key, StandardCharsets.UTF_8), ByteSequence.from(pod(pod, i)))
            .thenAccept(r -> acks.acked(r.getHeader().getRevision(), System.nanoTime(), rec));
      });
      drain(acks, recordedHalf[0] * watchers, bytes::get);
      double cpu = ProcessCpu.seconds(List.of(pid)) - cpuAtStart[0];
      double deliverySeconds = (System.nanoTime() - recordingFrom[0]) / 1e9;
      recording.set(false);
      ws.forEach(Watch.Watcher::close);
      return new E2e("etcd-3.4", watchers, acks.latency, seconds, deliverySeconds, acks.deliveries(), recordedHalf[0] * watchers, bytes.get(), cpu,
          Double.NaN, etcdWrites.get(), acks.early(), 0);
    }
  }

  interface Write {
    CompletableFuture<?> issue(long seq, boolean recording);
  }

  /** Open loop: write {@code seq} is due at start + seq/rate; returns the recorded (post-warm-up) seconds. */
  private static double openLoop(double rate, Duration warmup, Duration duration, int inflight, Runnable onRecord, Write write)
      throws Exception {
    long period = (long) (1e9 / rate);
    long start = System.nanoTime();
    long recordFrom = start + warmup.toNanos();
    long end = recordFrom + duration.toNanos();
    boolean recording = false;
    AtomicLong failures = new AtomicLong();
    java.util.concurrent.atomic.AtomicReference<Throwable> firstFailure = new java.util.concurrent.atomic.AtomicReference<>();
    // At most this many writes outstanding: when the server cannot keep up, the writer waits and
    // the achieved rate (reported) falls below the target instead of queueing without bound.
    java.util.concurrent.Semaphore outstanding = new java.util.concurrent.Semaphore(inflight);
    List<CompletableFuture<?>> inFlight = new ArrayList<>();
    for (long seq = 0; ; seq++) {
      long due = start + seq * period;
      if (due >= end) {
        break;
      }
      long wait;
      while ((wait = due - System.nanoTime()) > 0) {
        TimeUnit.NANOSECONDS.sleep(Math.min(wait, 1_000_000));
      }
      if (!recording && System.nanoTime() >= recordFrom) { // wall clock: a writer behind schedule still records
        recording = true;
        onRecord.run();
      }
      outstanding.acquire();
      if (System.nanoTime() >= end) {
        outstanding.release();
        break; // behind schedule: the rate achieved is what the report shows
      }
      CompletableFuture<?> f = write.issue(seq, recording).whenComplete((r, t) -> {
        outstanding.release();
        if (t != null) {
          failures.incrementAndGet();
          firstFailure.compareAndSet(null, t);
        }
      });
      inFlight.add(f);
      if (inFlight.size() > 4096) {
        inFlight.removeIf(CompletableFuture::isDone);
      }
    }
    CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).handle((r, t) -> null).get(120, TimeUnit.SECONDS);
    if (failures.get() > 0) {
      throw new IllegalStateException(failures.get() + " writes failed", firstFailure.get());
    }
    return duration.toNanos() / 1e9;
  }

  /**
   * Waits for the deliveries still on their way: until all arrived, nothing at all arrived for 5 s,
   * or 120 s passed. Progress is any byte received, not only recorded deliveries: watchers that lag
   * by more than the run are still reading the warm-up's events, and stopping then reported none.
   */
  private static void drain(AckTimes acks, long expected, java.util.function.LongSupplier received) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    long seen = received.getAsLong();
    long progressAt = System.nanoTime();
    while (acks.deliveries() < expected && System.nanoTime() < deadline
        && System.nanoTime() - progressAt < TimeUnit.SECONDS.toNanos(5)) {
      Thread.sleep(20);
      long now = received.getAsLong();
      if (now > seen) {
        seen = now;
        progressAt = System.nanoTime();
      }
    }
  }

  /** The machine's load averages, as uptime prints them (other engineers' builds share these cores). */
  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  private static byte[] pod(int i, long seq) {
    return ("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"pod-" + i + "\",\"namespace\":\"default\","
        + "\"labels\":{\"app\":\"bench\",\"half\":\"" + (i % 2 == 0 ? "yes" : "no") + "\"},\"annotations\":{\"seq\":\"" + seq + "\"}},"
        + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"registry.k8s.io/pause:3.10\","
        + "\"resources\":{\"requests\":{\"cpu\":\"10m\",\"memory\":\"16Mi\"}}}]}}").getBytes(StandardCharsets.UTF_8);
  }

  private static void awaitUp(HttpClient http, String base, Process p, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException("kplane apiserver exited; see " + log);
      }
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/version")).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (java.io.IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("kplane apiserver did not answer within 60 s; see " + log);
  }

  private static byte[] send(HttpClient http, String method, String url, String contentType, byte[] body, Integer expect)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).method(method,
        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    if (expect != null && r.statusCode() != expect) {
      throw new IllegalStateException(method + " " + url + " answered " + r.statusCode() + ": " + new String(r.body(), StandardCharsets.UTF_8));
    }
    return r.body();
  }

  /** The child's heap in use after a full GC (jcmd), in bytes; NaN when jcmd is unavailable. */
  private static double heapUsed(long pid) {
    try {
      Process gc = new ProcessBuilder("jcmd", Long.toString(pid), "GC.run").redirectErrorStream(true).start();
      gc.getInputStream().readAllBytes();
      gc.waitFor(60, TimeUnit.SECONDS);
      Process info = new ProcessBuilder("jcmd", Long.toString(pid), "GC.heap_info").redirectErrorStream(true).start();
      long used = 0;
      try (BufferedReader r = new BufferedReader(new InputStreamReader(info.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          var m = java.util.regex.Pattern.compile("used (\\d+)K").matcher(line);
          if (m.find() && (line.contains("PSYoungGen") || line.contains("ParOldGen"))) {
            used += Long.parseLong(m.group(1)) * 1024;
          }
        }
      }
      info.waitFor(60, TimeUnit.SECONDS);
      return used == 0 ? Double.NaN : used;
    } catch (Exception e) {
      return Double.NaN;
    }
  }
}
