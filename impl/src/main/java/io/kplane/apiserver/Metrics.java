package io.kplane.apiserver;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The API server's metrics in Prometheus text format, named as kube-apiserver names them:
 * {@code apiserver_request_total}, {@code apiserver_request_duration_seconds} (histogram),
 * {@code apiserver_current_inflight_requests}, {@code apiserver_dropped_requests_total},
 * {@code apiserver_registered_watchers}, {@code apiserver_longrunning_requests}. Other parts (the
 * watch cache) add their own lines through {@link #register}.
 */
public final class Metrics {
  static final double[] BUCKETS = {0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30,
      45, 60};

  private record RequestKey(String verb, String group, String version, String resource, String subresource, String scope, int code) {
  }

  private record DurationKey(String verb, String group, String version, String resource, String subresource, String scope) {
  }

  private static final class Histogram {
    final AtomicLongArray counts = new AtomicLongArray(BUCKETS.length);
    final LongAdder count = new LongAdder();
    final DoubleAdder sum = new DoubleAdder();

    void observe(double seconds) {
      for (int i = 0; i < BUCKETS.length; i++) {
        if (seconds <= BUCKETS[i]) {
          counts.incrementAndGet(i);
          break;
        }
      }
      count.increment();
      sum.add(seconds);
    }
  }

  private final Map<RequestKey, LongAdder> requests = new ConcurrentHashMap<>();
  private final Map<DurationKey, Histogram> durations = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> watchers = new ConcurrentHashMap<>();
  final AtomicLong inflightMutating = new AtomicLong();
  final AtomicLong inflightReadOnly = new AtomicLong();
  final LongAdder droppedMutating = new LongAdder();
  final LongAdder droppedReadOnly = new LongAdder();
  private final List<Consumer<StringBuilder>> extra = new CopyOnWriteArrayList<>();

  /** Adds lines (complete, with HELP/TYPE) to every scrape. */
  public void register(Consumer<StringBuilder> source) {
    extra.add(source);
  }

  void request(String verb, ResourceType t, String subresource, String scope, int code, long nanos) {
    String group = t == null ? "" : t.group();
    String version = t == null ? "" : t.version();
    String resource = t == null ? "" : t.resource();
    String sub = subresource == null ? "" : subresource;
    requests.computeIfAbsent(new RequestKey(verb, group, version, resource, sub, scope, code), k -> new LongAdder()).increment();
    if (!verb.equals("WATCH")) {
      durations.computeIfAbsent(new DurationKey(verb, group, version, resource, sub, scope), k -> new Histogram()).observe(nanos / 1e9);
    }
  }

  void watchers(ResourceType t, int delta) {
    watchers.computeIfAbsent(t.group() + "\u0000" + t.version() + "\u0000" + t.kind(), k -> new AtomicLong()).addAndGet(delta);
  }

  long registeredWatchers() {
    return watchers.values().stream().mapToLong(AtomicLong::get).sum();
  }

  String render() {
    StringBuilder sb = new StringBuilder(4096);
    sb.append("# HELP apiserver_request_total Counter of apiserver requests broken out for each verb, group, version, resource, scope, component, and HTTP response code.\n");
    sb.append("# TYPE apiserver_request_total counter\n");
    requests.forEach((k, v) -> sb.append("apiserver_request_total{code=\"").append(k.code).append("\",component=\"apiserver\",group=\"")
        .append(k.group).append("\",resource=\"").append(k.resource).append("\",scope=\"").append(k.scope).append("\",subresource=\"")
        .append(k.subresource).append("\",verb=\"").append(k.verb).append("\",version=\"").append(k.version).append("\"} ")
        .append(v.sum()).append('\n'));
    sb.append("# HELP apiserver_request_duration_seconds Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.\n");
    sb.append("# TYPE apiserver_request_duration_seconds histogram\n");
    durations.forEach((k, h) -> {
      String labels = "component=\"apiserver\",dry_run=\"\",group=\"" + k.group + "\",resource=\"" + k.resource + "\",scope=\"" + k.scope
          + "\",subresource=\"" + k.subresource + "\",verb=\"" + k.verb + "\",version=\"" + k.version + "\"";
      long cumulative = 0;
      for (int i = 0; i < BUCKETS.length; i++) {
        cumulative += h.counts.get(i);
        sb.append("apiserver_request_duration_seconds_bucket{").append(labels).append(",le=\"").append(BUCKETS[i]).append("\"} ")
            .append(cumulative).append('\n');
      }
      sb.append("apiserver_request_duration_seconds_bucket{").append(labels).append(",le=\"+Inf\"} ").append(h.count.sum()).append('\n');
      sb.append("apiserver_request_duration_seconds_sum{").append(labels).append("} ").append(h.sum.sum()).append('\n');
      sb.append("apiserver_request_duration_seconds_count{").append(labels).append("} ").append(h.count.sum()).append('\n');
    });
    sb.append("# HELP apiserver_current_inflight_requests Maximal number of currently used inflight request limit of this apiserver per request kind in last second.\n");
    sb.append("# TYPE apiserver_current_inflight_requests gauge\n");
    sb.append("apiserver_current_inflight_requests{request_kind=\"mutating\"} ").append(inflightMutating.get()).append('\n');
    sb.append("apiserver_current_inflight_requests{request_kind=\"readOnly\"} ").append(inflightReadOnly.get()).append('\n');
    sb.append("# HELP apiserver_dropped_requests_total Number of requests dropped with 'Try again later' response.\n");
    sb.append("# TYPE apiserver_dropped_requests_total counter\n");
    sb.append("apiserver_dropped_requests_total{request_kind=\"mutating\"} ").append(droppedMutating.sum()).append('\n');
    sb.append("apiserver_dropped_requests_total{request_kind=\"readOnly\"} ").append(droppedReadOnly.sum()).append('\n');
    sb.append("# HELP apiserver_registered_watchers Number of currently registered watchers for a given resources\n");
    sb.append("# TYPE apiserver_registered_watchers gauge\n");
    watchers.forEach((k, v) -> {
      String[] p = k.split("\u0000");
      sb.append("apiserver_registered_watchers{group=\"").append(p[0]).append("\",kind=\"").append(p[2]).append("\",version=\"")
          .append(p[1]).append("\"} ").append(v.get()).append('\n');
    });
    sb.append("# HELP apiserver_longrunning_requests Gauge of all active long-running apiserver requests broken out by verb, group, version, resource, scope and component.\n");
    sb.append("# TYPE apiserver_longrunning_requests gauge\n");
    sb.append("apiserver_longrunning_requests{component=\"apiserver\",verb=\"WATCH\"} ").append(registeredWatchers()).append('\n');
    extra.forEach(s -> s.accept(sb));
    return sb.toString();
  }
}
