package io.kplane.apiserver;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * The Kubernetes API server: Netty HTTP/1.1 and HTTP/2 ({@link HttpProtocols}; TLS optional) in front of a {@link Registry} over a
 * {@link Storage}, with watch events from a {@link WatchSource}.
 *
 * <p>Threads: Netty event loops decode requests and write responses; a pool of workers runs the
 * handlers (storage calls block); watch events are written from the watch source's threads.
 */
public final class ApiServer implements AutoCloseable {

  /**
   * Server settings.
   *
   * @param listen              address to bind (port 0: any free port)
   * @param ssl                 TLS context, or null for plain HTTP
   * @param authenticator       who may call
   * @param maxReadOnlyInFlight max concurrent non-watch reads before 429 (upstream default 400)
   * @param maxMutatingInFlight max concurrent writes before 429 (upstream default 200)
   * @param bookmarkInterval    how often watches with allowWatchBookmarks get a BOOKMARK
   * @param compactionInterval  how often history is compacted (to the revision seen one interval earlier), zero: never
   * @param watchSource         builds the source of watch events from the storage and registry; null: {@link StoreWatchSource}
   * @param serviceClusterIpRange one CIDR, or two of different IP families (dual-stack, primary first), that
   *                            Service cluster IPs come from ({@code --service-cluster-ip-range})
   * @param tolerationDefaults  tolerationSeconds of the not-ready/unreachable tolerations added to new pods (upstream: 300/300)
   */
  public record Config(InetSocketAddress listen, SslContext ssl, Authenticator authenticator, int maxReadOnlyInFlight,
                       int maxMutatingInFlight, Duration bookmarkInterval, Duration compactionInterval,
                       BiFunction<Storage, Registry, WatchSource> watchSource, String serviceClusterIpRange,
                       DefaultTolerationSeconds tolerationDefaults) {
    /** kubeadm's default service CIDR: a single-stack IPv4 cluster. */
    public static final String DEFAULT_SERVICE_CLUSTER_IP_RANGE = "10.96.0.0/12";

    public Config {
      ServiceCidr.parseRange(serviceClusterIpRange); // a bad range fails here, before anything binds
    }

    public static Config plain(InetSocketAddress listen, Authenticator authenticator) {
      return new Config(listen, null, authenticator, 400, 200, Duration.ofSeconds(60), Duration.ofMinutes(5), null,
          DEFAULT_SERVICE_CLUSTER_IP_RANGE, DefaultTolerationSeconds.UPSTREAM);
    }

    public Config withServiceClusterIpRange(String range) {
      return new Config(listen, ssl, authenticator, maxReadOnlyInFlight, maxMutatingInFlight, bookmarkInterval, compactionInterval, watchSource,
          range, tolerationDefaults);
    }

    public Config withDefaultTolerationSeconds(DefaultTolerationSeconds d) {
      return new Config(listen, ssl, authenticator, maxReadOnlyInFlight, maxMutatingInFlight, bookmarkInterval, compactionInterval,
          watchSource, serviceClusterIpRange, d);
    }

    public Config withSsl(SslContext ssl) {
      return new Config(listen, ssl, authenticator, maxReadOnlyInFlight, maxMutatingInFlight, bookmarkInterval, compactionInterval, watchSource,
          serviceClusterIpRange, tolerationDefaults);
    }

    public Config withInFlight(int readOnly, int mutating) {
      return new Config(listen, ssl, authenticator, readOnly, mutating, bookmarkInterval, compactionInterval, watchSource,
          serviceClusterIpRange, tolerationDefaults);
    }

    public Config withBookmarkInterval(Duration d) {
      return new Config(listen, ssl, authenticator, maxReadOnlyInFlight, maxMutatingInFlight, d, compactionInterval, watchSource,
          serviceClusterIpRange, tolerationDefaults);
    }

    public Config withCompactionInterval(Duration d) {
      return new Config(listen, ssl, authenticator, maxReadOnlyInFlight, maxMutatingInFlight, bookmarkInterval, d, watchSource,
          serviceClusterIpRange, tolerationDefaults);
    }

    public Config withWatchSource(BiFunction<Storage, Registry, WatchSource> w) {
      return new Config(listen, ssl, authenticator, maxReadOnlyInFlight, maxMutatingInFlight, bookmarkInterval, compactionInterval, w,
          serviceClusterIpRange, tolerationDefaults);
    }
  }

  private final Config config;
  private final Storage storage;
  private final Registry registry;
  private final Metrics metrics = new Metrics();
  private final EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final EventLoopGroup io = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
  private final ExecutorService workers;
  private final ScheduledExecutorService timers;
  private Channel channel;

  public ApiServer(Config config, Storage storage) {
    this.config = config;
    this.storage = storage;
    this.registry = new Registry(storage, Resources.builtIn(), Clock.systemUTC(), config.serviceClusterIpRange(), config.tolerationDefaults());
    AtomicInteger n = new AtomicInteger();
    this.workers = Executors.newFixedThreadPool(16, r -> {
      Thread t = new Thread(r, "apiserver-worker-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "apiserver-timers");
      t.setDaemon(true);
      return t;
    });
  }

  private CachedWatchSource watchCache;

  public Registry registry() {
    return registry;
  }

  public Metrics metrics() {
    return metrics;
  }

  /** Binds, creates the system namespaces if missing, and starts compaction; returns the bound address. */
  public InetSocketAddress start() throws InterruptedException {
    ensureNamespaces();
    WatchSource source = config.watchSource() == null ? new StoreWatchSource(storage, registry)
        : config.watchSource().apply(storage, registry);
    if (source instanceof CachedWatchSource cached) {
      metrics.register(cached::renderMetrics);
      watchCache = cached;
    }
    HttpApi api = new HttpApi(config, registry, source, metrics, workers, timers);
    ServerBootstrap b = new ServerBootstrap().group(boss, io).channel(NioServerSocketChannel.class)
        .childOption(ChannelOption.TCP_NODELAY, true)
        // Netty's HTTP/2 flow controller hands the socket no more than the bytes left below the high
        // water mark per flush: at the default 64 KiB, the streams of one connection would share
        // 64 KiB per turn of its event loop. (HTTP/1.1 watches bound their backlog themselves.)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(HttpProtocols.SOCKET_BUFFER_LOW,
            HttpProtocols.SOCKET_BUFFER_HIGH))
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            HttpProtocols.init(ch, config.ssl(), api::newHandler);
          }
        });
    channel = b.bind(config.listen()).sync().channel();
    api.setAddress((InetSocketAddress) channel.localAddress());
    if (!config.compactionInterval().isZero()) {
      long[] seen = {0};
      long period = config.compactionInterval().toMillis();
      timers.scheduleWithFixedDelay(() -> {
        try {
          if (seen[0] > 0) {
            storage.compact(seen[0]);
          }
          seen[0] = storage.currentRevision();
        } catch (RuntimeException e) {
          // the store may be unavailable for a while; try again next interval
        }
      }, period, period, TimeUnit.MILLISECONDS);
    }
    return (InetSocketAddress) channel.localAddress();
  }

  private void ensureNamespaces() {
    ResourceType ns = registry.resources().find("", "v1", "namespaces");
    for (String name : List.of("default", "kube-system", "kube-public", "kube-node-lease")) {
      if (storage.get(ns.storageKey(null, name)) == null) {
        try {
          com.fasterxml.jackson.databind.node.ObjectNode o = Registry.JSON.createObjectNode();
          o.putObject("metadata").put("name", name);
          registry.create(ns, null, o, false);
        } catch (ApiException e) {
          if (e.code() != 409) {
            throw e;
          }
        }
      }
    }
  }

  @Override
  public void close() {
    if (channel != null) {
      channel.close().syncUninterruptibly();
    }
    if (watchCache != null) {
      watchCache.close();
    }
    timers.shutdownNow();
    workers.shutdownNow();
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    io.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }
}
