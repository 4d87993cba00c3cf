package io.kplane.client;

import io.kplane.time.NanoClock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * client-go's rate-limited work queue of keys:
 * <ul>
 *   <li><b>de-duplicating</b>: a key added while it waits is queued once;</li>
 *   <li><b>one worker per key</b>: a key added while a worker processes it is not handed to a
 *       second worker; it is queued again when the first calls {@link #done};</li>
 *   <li><b>delays</b>: {@link #addAfter} (the earliest of several pending delays wins) and
 *       {@link #addRateLimited}, which asks the {@link RateLimiter} (per-key exponential backoff
 *       and an overall token bucket); {@link #forget} resets a key's backoff after success.</li>
 * </ul>
 * Workers loop: {@code k = get(); try { reconcile(k); forget(k); } catch (...) { addRateLimited(k); } finally { done(k); }}.
 * {@link #get} returns null once the queue is shut down and drained of nothing: workers then exit.
 */
public final class WorkQueue<K> implements AutoCloseable {
    private final ArrayDeque<K> queue = new ArrayDeque<>();
    private final Set<K> dirty = new HashSet<>();
    private final Set<K> processing = new HashSet<>();
    private final Map<K, Pending> waiting = new HashMap<>();
    private final RateLimiter<K> limiter;
    /** When delayed keys become ready and when the rate limiter's backoff is counted from. */
    private final NanoClock nanoClock;
    private final ScheduledExecutorService timer;
    private boolean shuttingDown;

    private record Pending(long readyAt, ScheduledFuture<?> future) {
    }

    public WorkQueue(String name, RateLimiter<K> limiter) {
        this(name, limiter, NanoClock.system());
    }

    WorkQueue(String name, RateLimiter<K> limiter, NanoClock nanoClock) {
        this.limiter = limiter;
        this.nanoClock = nanoClock;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "workqueue-" + name + "-delay");
            t.setDaemon(true);
            return t;
        });
    }

    /** A queue with client-go's default controller rate limiter. */
    public WorkQueue(String name) {
        this(name, RateLimiter.defaults());
    }

    public synchronized void add(K key) {
        if (shuttingDown || dirty.contains(key)) {
            return;
        }
        dirty.add(key);
        if (processing.contains(key)) {
            return;
        }
        queue.addLast(key);
        notify();
    }

    /** Adds the key after {@code delay}; a shorter pending delay for the same key wins. */
    public synchronized void addAfter(K key, Duration delay) {
        if (shuttingDown) {
            return;
        }
        long nanos = delay.toNanos();
        if (nanos <= 0) {
            add(key);
            return;
        }
        long readyAt = nanoClock.nanoTime() + nanos;
        Pending p = waiting.get(key);
        if (p != null && p.readyAt <= readyAt) {
            return;
        }
        if (p != null) {
            p.future.cancel(false);
        }
        ScheduledFuture<?> f = timer.schedule(() -> fire(key, readyAt), nanos, TimeUnit.NANOSECONDS);
        waiting.put(key, new Pending(readyAt, f));
    }

    private synchronized void fire(K key, long readyAt) {
        Pending p = waiting.get(key);
        if (p != null && p.readyAt == readyAt) {
            waiting.remove(key);
            add(key);
        }
    }

    /** Adds the key after the rate limiter's delay for it (counts a failure). */
    public synchronized void addRateLimited(K key) {
        addAfter(key, Duration.ofNanos(limiter.when(key, nanoClock.nanoTime())));
    }

    /** The key succeeded: reset its backoff. */
    public synchronized void forget(K key) {
        limiter.forget(key);
    }

    public synchronized int numRequeues(K key) {
        return limiter.numRequeues(key);
    }

    /** Blocks for the next key; null when the queue is shut down. The caller must call {@link #done}. */
    public synchronized K get() throws InterruptedException {
        while (queue.isEmpty() && !shuttingDown) {
            wait();
        }
        if (queue.isEmpty()) {
            return null;
        }
        K key = queue.pollFirst();
        processing.add(key);
        dirty.remove(key);
        return key;
    }

    /** As {@link #get()} but gives up after {@code timeout} (returns null). */
    public synchronized K poll(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (queue.isEmpty() && !shuttingDown) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        if (queue.isEmpty()) {
            return null;
        }
        K key = queue.pollFirst();
        processing.add(key);
        dirty.remove(key);
        return key;
    }

    /** Processing of {@code key} finished; if it was added meanwhile, it is queued again. */
    public synchronized void done(K key) {
        processing.remove(key);
        if (dirty.contains(key)) {
            queue.addLast(key);
            notify();
        }
    }

    /** Keys ready to be handed out (not those waiting for a delay or being processed). */
    public synchronized int length() {
        return queue.size();
    }

    /** Stops handing out keys: blocked and future {@link #get} calls return null. */
    public synchronized void shutDown() {
        shuttingDown = true;
        waiting.values().forEach(p -> p.future.cancel(false));
        waiting.clear();
        timer.shutdownNow();
        notifyAll();
    }

    public synchronized boolean isShuttingDown() {
        return shuttingDown;
    }

    @Override
    public void close() {
        shutDown();
    }
}
