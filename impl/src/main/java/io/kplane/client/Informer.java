package io.kplane.client;

import io.kplane.model.KubeList;
import io.kplane.model.KubeObject;
import io.kplane.model.WatchErrorException;
import io.kplane.model.WatchEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link Cache} of one resource in step with the API server and tells handlers about
 * changes — client-go's shared informer:
 * <ol>
 *   <li>LIST (all pages), replace the cache, deliver adds/updates, and deletes for objects that
 *       are gone;</li>
 *   <li>WATCH from the list's resourceVersion with bookmarks; each event updates the cache and is
 *       delivered; BOOKMARK events only advance the resourceVersion; when the server ends the
 *       watch (its timeout) the informer watches again from the last resourceVersion seen;</li>
 *   <li>410 Gone (on opening or as an ERROR event): the version was compacted away — relist;</li>
 *   <li>other failures (server down, connection reset): exponential backoff (0.5 s … 30 s), then
 *       watch again from the last resourceVersion;</li>
 *   <li>every {@code resyncPeriod} (if positive) every cached object is delivered again as an
 *       update with old == new, so level-triggered controllers re-check their world.</li>
 * </ol>
 * Handlers run in order on one dispatch thread per informer; the cache is updated before the
 * handler sees the change.
 */
public final class Informer<T extends KubeObject> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Informer.class);

    private final KubeClient client;
    private final ApiResource<T> resource;
    private final String namespace;
    private final ListOptions options;
    private final Duration resyncPeriod;
    private final Cache<T> cache = new Cache<>();
    private final List<EventHandler<T>> handlers = new CopyOnWriteArrayList<>();
    private final CountDownLatch synced = new CountDownLatch(1);
    private final ScheduledExecutorService dispatch;
    private final Thread loop;
    private final AtomicLong lists = new AtomicLong();
    private final AtomicLong watches = new AtomicLong();
    private final AtomicLong gone = new AtomicLong();
    private volatile boolean running;
    private volatile WatchStream<T> currentWatch;
    private volatile String lastResourceVersion;
    private volatile int watchTimeoutSeconds = 300;

    /**
     * An informer on {@code resource} in {@code namespace} (null: all namespaces), restricted by
     * the label/field selectors of {@code options}.
     */
    public Informer(KubeClient client, ApiResource<T> resource, String namespace, ListOptions options, Duration resyncPeriod) {
        this.client = Objects.requireNonNull(client, "client");
        this.resource = Objects.requireNonNull(resource, "resource");
        this.namespace = namespace;
        this.options = options == null ? ListOptions.NONE : options;
        this.resyncPeriod = resyncPeriod == null ? Duration.ZERO : resyncPeriod;
        String name = "informer-" + resource.plural();
        this.dispatch = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, name + "-dispatch"));
        this.loop = daemon(this::run, name);
    }

    /** An informer on every object of {@code resource}, without resync. */
    public Informer(KubeClient client, ApiResource<T> resource) {
        this(client, resource, null, ListOptions.NONE, Duration.ZERO);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    public ApiResource<T> resource() {
        return resource;
    }

    public Cache<T> cache() {
        return cache;
    }

    /** Adds a handler; one added after start first gets an add for every cached object. */
    public void addHandler(EventHandler<T> handler) {
        handlers.add(handler);
        if (running) {
            dispatch.execute(() -> cache.list().forEach(handler::onAdd));
        }
    }

    public synchronized Informer<T> start() {
        if (!running) {
            running = true;
            loop.start();
            if (!resyncPeriod.isZero() && !resyncPeriod.isNegative()) {
                long ms = resyncPeriod.toMillis();
                dispatch.scheduleWithFixedDelay(this::resync, ms, ms, TimeUnit.MILLISECONDS);
            }
        }
        return this;
    }

    /**
     * The server ends each watch after a random time between {@code seconds} and twice that
     * (default 300, as client-go's reflector: 5–10 minutes), and the informer watches again from
     * the last resourceVersion it saw. Call before {@link #start()}.
     */
    public Informer<T> watchTimeout(int seconds) {
        if (seconds < 1) {
            throw new IllegalArgumentException("watch timeout must be at least 1 s");
        }
        this.watchTimeoutSeconds = seconds;
        return this;
    }

    /** True once the first list is in the cache and delivered to the handlers. */
    public boolean hasSynced() {
        return synced.getCount() == 0;
    }

    /** Waits until {@link #hasSynced()}; false on timeout. */
    public boolean waitForSync(Duration timeout) throws InterruptedException {
        return synced.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The resourceVersion the next watch would start from. */
    public String lastResourceVersion() {
        return lastResourceVersion;
    }

    /** How many LIST calls succeeded (1 + relists). */
    public long listCount() {
        return lists.get();
    }

    /** How many watches were opened. */
    public long watchCount() {
        return watches.get();
    }

    /** How many times a 410 Gone forced a relist. */
    public long goneCount() {
        return gone.get();
    }

    private void run() {
        long backoffMs = 500;
        while (running) {
            try {
                relist();
                backoffMs = 500;
                while (running) {
                    if (!watchOnce()) {
                        break;   // 410: relist
                    }
                    backoffMs = 500;
                }
            } catch (RuntimeException | IOException e) {
                if (!running) {
                    break;
                }
                LOG.debug("{}: {}; retrying in {} ms", resource, e.toString(), backoffMs);
                sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, 30_000);
                if (lastResourceVersion != null && hasSynced()) {
                    // Try to resume the watch before paying for a relist.
                    try {
                        while (running && watchOnce()) {
                            backoffMs = 500;
                        }
                    } catch (RuntimeException | IOException again) {
                        LOG.debug("{}: {}", resource, again.toString());
                        sleep(backoffMs);
                        backoffMs = Math.min(backoffMs * 2, 30_000);
                        continue;
                    }
                    // watchOnce returned false: 410, fall through to relist
                }
            }
        }
    }

    private void relist() {
        KubeList<T> list = client.listAll(resource, namespace, options.withResourceVersion(null).withContinue(null));
        lists.incrementAndGet();
        List<T> items = list.items();
        // The loop thread is the cache's only writer, so what it reads before replacing is exact.
        List<T> olds = new java.util.ArrayList<>(items.size());
        for (T o : items) {
            olds.add(cache.get(Cache.keyOf(o)));
        }
        List<T> dropped = cache.replace(items);
        // Before the dispatch: hasSynced() may turn true on the dispatch thread at once, and a
        // synced informer must already report the list's resourceVersion.
        lastResourceVersion = list.metadata() == null ? null : list.metadata().resourceVersion();
        dispatch.execute(() -> {
            for (int i = 0; i < items.size(); i++) {
                T o = items.get(i);
                T old = olds.get(i);
                for (EventHandler<T> h : handlers) {
                    if (old == null) {
                        h.onAdd(o);
                    } else {
                        h.onUpdate(old, o);
                    }
                }
            }
            for (T o : dropped) {
                for (EventHandler<T> h : handlers) {
                    h.onDelete(o);
                }
            }
            synced.countDown();
        });
    }

    /** One watch until the server ends it; false when the informer must relist (410). */
    private boolean watchOnce() throws IOException {
        int timeout = watchTimeoutSeconds + ThreadLocalRandom.current().nextInt(watchTimeoutSeconds);
        WatchStream<T> w;
        try {
            w = client.watch(resource, namespace, options.withResourceVersion(lastResourceVersion)
                    .withBookmarks(true).withTimeoutSeconds(timeout));
        } catch (ApiException e) {
            if (e.isGone()) {
                gone.incrementAndGet();
                return false;
            }
            throw e;
        }
        watches.incrementAndGet();
        currentWatch = w;
        try (w) {
            if (!running) {
                return true;
            }
            WatchEvent<T> e;
            while ((e = w.next()) != null) {
                apply(e);
            }
            return true;
        } catch (WatchErrorException e) {
            Integer code = e.status() == null ? null : e.status().code();
            if (code != null && code == 410) {
                gone.incrementAndGet();
                return false;
            }
            throw new UncheckedIOException(new IOException(e.getMessage(), e));
        } finally {
            currentWatch = null;
        }
    }

    private void apply(WatchEvent<T> e) {
        T o = e.object();
        String rv = o.metadata() == null ? null : o.metadata().resourceVersion();
        switch (e.type()) {
            case WatchEvent.ADDED, WatchEvent.MODIFIED -> {
                T old = cache.put(o);
                dispatch.execute(() -> {
                    for (EventHandler<T> h : handlers) {
                        if (old == null) {
                            h.onAdd(o);
                        } else {
                            h.onUpdate(old, o);
                        }
                    }
                });
            }
            case WatchEvent.DELETED -> {
                cache.remove(o);
                dispatch.execute(() -> handlers.forEach(h -> h.onDelete(o)));
            }
            case WatchEvent.BOOKMARK -> {
                // only the resourceVersion moves
            }
            default -> LOG.debug("{}: ignoring watch event type {}", resource, e.type());
        }
        if (rv != null && !rv.isEmpty()) {
            lastResourceVersion = rv;
        }
    }

    private void resync() {
        for (T o : cache.list()) {
            for (EventHandler<T> h : handlers) {
                h.onUpdate(o, o);
            }
        }
    }

    private void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        WatchStream<T> w = currentWatch;
        if (w != null) {
            w.close();
        }
        loop.interrupt();
        dispatch.shutdownNow();
        try {
            loop.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
