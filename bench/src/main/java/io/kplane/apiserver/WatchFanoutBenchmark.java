package io.kplane.apiserver;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kplane.model.Status;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Fan-out of one event to N in-process watchers, per delivery (JMH divides by N):
 * <ul>
 *   <li>{@code cache}: the watch cache's path — the event is appended once to the {@link EventWindow},
 *       then every {@link CacheWatcher} reads it through its own cursor, applies its filter (one
 *       selector shared by all, matched once per event) and hands the shared frame (bytes serialized
 *       once) to its sink;</li>
 *   <li>{@code naive}: what a per-watch store watch does ({@code StoreWatchSource}) — each watcher
 *       gets its own copy of the object, matches it and serializes it.</li>
 * </ul>
 * ns/op is ns per delivery; with {@code -prof gc}, {@code gc.alloc.rate.norm} is bytes per delivery.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class WatchFanoutBenchmark {

  @Param({"1000", "10000", "100000"})
  public int subscribers;

  private final ResourceType pods = Resources.builtIn().find("", "v1", "pods");
  private WatchCache cache;
  private WatchDispatcher dispatcher;
  private byte[] value;
  private CacheWatcher[] watchers;
  private ObjectNode object;
  private Registry.ListOptions selector;
  private WatchFilter naiveFilter;
  private long revision = 1;
  private Blackhole sinkHole;

  /** A sink that only consumes (the HTTP write is not what this measures). */
  private final class Consume implements WatchSource.Sink {
    @Override
    public void event(WatchSource.Frame frame) {
      sinkHole.consume(frame.json());
    }

    @Override
    public void progress(long revision) {
    }

    @Override
    public void error(Status status) {
    }

    @Override
    public void end() {
      throw new IllegalStateException("a benchmark watcher fell out of the window");
    }
  }

  @Setup(Level.Trial)
  public void setUp(Blackhole bh) {
    sinkHole = bh;
    dispatcher = new WatchDispatcher(1); // idle: the benchmark thread pumps the watchers itself
    cache = new WatchCache(pods, new EmbeddedStorage(), dispatcher, System::nanoTime, 1, 1024, 1024);
    cache.ensureStarted();
    selector = Registry.ListOptions.of(pods, Map.of("labelSelector", "app=web"));
    naiveFilter = new WatchFilter(pods, selector);
    watchers = new CacheWatcher[subscribers];
    for (int i = 0; i < subscribers; i++) {
      watchers[i] = cache.register(null, cache.revision(), selector, new Consume());
    }
    value = ("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"web-1\",\"namespace\":\"default\","
        + "\"labels\":{\"app\":\"web\",\"tier\":\"frontend\"},\"uid\":\"5c1b4c1e-8d6a-4c4e-9a1e-2f0c6a1d9e11\"},"
        + "\"spec\":{\"nodeName\":\"node-17\",\"containers\":[{\"name\":\"web\",\"image\":\"nginx:1.27\","
        + "\"resources\":{\"requests\":{\"cpu\":\"100m\",\"memory\":\"128Mi\"}}}]},"
        + "\"status\":{\"phase\":\"Running\",\"podIP\":\"10.0.3.17\"}}").getBytes(StandardCharsets.UTF_8);
    object = Registry.decode(value, 1);
  }

  @org.openjdk.jmh.annotations.TearDown(Level.Trial)
  public void tearDown() {
    dispatcher.close();
  }

  @Benchmark
  public void cache() {
    revision++;
    cache.onEvent(new Storage.Event(Storage.Event.Type.PUT, "/registry/pods/default/web-1", value, null, revision));
    long now = System.nanoTime();
    for (CacheWatcher w : watchers) {
      w.pump(1, now);
    }
  }

  @Benchmark
  public void naive(Blackhole bh) throws Exception {
    revision++;
    for (int i = 0; i < subscribers; i++) {
      ObjectNode copy = object.deepCopy();
      if (naiveFilter.matches(copy)) {
        bh.consume(StoreWatchSource.encode("MODIFIED", copy));
      }
    }
  }
}
