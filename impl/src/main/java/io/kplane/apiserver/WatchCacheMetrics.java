package io.kplane.apiserver;

import java.util.Collection;
import java.util.function.ToDoubleFunction;

/**
 * Watch-cache metrics in Prometheus text format, named as kube-apiserver names them (labels by
 * {@code resource}, the qualified resource name such as {@code pods} or {@code deployments.apps}):
 * {@code apiserver_watch_cache_events_received_total}, {@code apiserver_watch_cache_events_dispatched_total},
 * {@code apiserver_watch_cache_capacity}, {@code apiserver_watch_cache_capacity_increase_total},
 * {@code apiserver_watch_cache_capacity_decrease_total}, {@code apiserver_watch_cache_resource_version},
 * {@code apiserver_watch_cache_initializations_total}, {@code apiserver_watch_cache_consistent_read_total},
 * {@code apiserver_terminated_watchers_total}, and kplane's {@code apiserver_watch_cache_watchers},
 * {@code apiserver_watch_cache_events} (events in the window), {@code apiserver_watch_cache_objects}
 * and {@code apiserver_watch_cache_too_old_total} (watches refused with 410).
 * ({@code apiserver_registered_watchers} is the HTTP layer's, in {@link Metrics}.)
 */
final class WatchCacheMetrics {
  private WatchCacheMetrics() {
  }

  static void render(Collection<WatchCache> caches, StringBuilder out) {
    metric(out, caches, "apiserver_watch_cache_events_received_total", "counter",
        "Counter of events received in watch cache broken by resource type.", c -> c.eventsReceived.sum());
    metric(out, caches, "apiserver_watch_cache_events_dispatched_total", "counter",
        "Counter of events dispatched in watch cache broken by resource type.", c -> c.eventsDispatched());
    metric(out, caches, "apiserver_watch_cache_capacity", "gauge",
        "Total capacity of watch cache broken by resource type.", c -> c.capacity());
    metric(out, caches, "apiserver_watch_cache_capacity_increase_total", "counter",
        "Total number of watch cache capacity increase events broken by resource type.", c -> c.resizesUp());
    metric(out, caches, "apiserver_watch_cache_capacity_decrease_total", "counter",
        "Total number of watch cache capacity decrease events broken by resource type.", c -> c.resizesDown());
    metric(out, caches, "apiserver_watch_cache_resource_version", "gauge",
        "Current resource version of watch cache broken by resource type.", c -> c.revision());
    metric(out, caches, "apiserver_watch_cache_initializations_total", "counter",
        "Counter of watch cache initializations broken by resource type.", c -> c.initializations.get());
    metric(out, caches, "apiserver_terminated_watchers_total", "counter",
        "Counter of watchers closed due to unresponsiveness broken by resource type.", c -> c.terminatedWatchers.sum());
    metric(out, caches, "apiserver_watch_cache_watchers", "gauge",
        "Watchers currently served from the watch cache broken by resource type.", c -> c.watcherCount());
    metric(out, caches, "apiserver_watch_cache_events", "gauge",
        "Events currently held in the watch cache window broken by resource type.", c -> c.windowSize());
    metric(out, caches, "apiserver_watch_cache_objects", "gauge",
        "Objects currently held in the watch cache broken by resource type.", c -> c.objectCount());
    metric(out, caches, "apiserver_watch_cache_too_old_total", "counter",
        "Watches refused with 410 Expired because the window no longer reaches their resourceVersion.", c -> c.tooOld.sum());
    out.append("# HELP apiserver_watch_cache_consistent_read_total Counter of consistent reads from cache.\n");
    out.append("# TYPE apiserver_watch_cache_consistent_read_total counter\n");
    for (WatchCache c : caches) {
      String r = c.type().qualifiedResource();
      out.append("apiserver_watch_cache_consistent_read_total{fallback=\"false\",resource=\"").append(r)
          .append("\",success=\"true\"} ").append(c.consistentReads.sum()).append('\n');
      out.append("apiserver_watch_cache_consistent_read_total{fallback=\"true\",resource=\"").append(r)
          .append("\",success=\"true\"} ").append(c.consistentReadFallbacks.sum()).append('\n');
    }
  }

  private static void metric(StringBuilder out, Collection<WatchCache> caches, String name, String kind, String help,
                             ToDoubleFunction<WatchCache> value) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(kind).append('\n');
    for (WatchCache c : caches) {
      double v = value.applyAsDouble(c);
      out.append(name).append("{resource=\"").append(c.type().qualifiedResource()).append("\"} ");
      if (v == Math.rint(v) && Math.abs(v) < 1e15) {
        out.append((long) v);
      } else {
        out.append(v);
      }
      out.append('\n');
    }
  }
}
