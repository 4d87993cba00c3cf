package io.kplane.controller;

import io.kplane.client.ApiException;
import io.kplane.client.WorkQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shell around a keyed reconcile function: a {@link WorkQueue} and N worker threads, as
 * client-go controllers run them. A reconcile that throws is retried with the queue's per-key
 * backoff; one that returns a duration is synced again after it; success resets the backoff.
 * Conflicts (409) are retried the same way: the next sync reads the newer object from the cache.
 */
final class KeyWorkers {
    private static final Logger LOG = LoggerFactory.getLogger(KeyWorkers.class);

    /** A reconcile step for one key; returns when to sync the key again, or null. */
    interface Reconcile {
        Duration sync(String key) throws Exception;
    }

    private final String name;
    private final WorkQueue<String> queue;
    private final List<Thread> threads = new ArrayList<>();

    KeyWorkers(String name, int workers, Reconcile reconcile) {
        this.name = name;
        this.queue = new WorkQueue<>(name);
        for (int i = 0; i < workers; i++) {
            Thread t = new Thread(() -> work(reconcile), name + "-worker-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
    }

    void start() {
        threads.forEach(Thread::start);
    }

    void add(String key) {
        queue.add(key);
    }

    void addAfter(String key, Duration d) {
        queue.addAfter(key, d);
    }

    private void work(Reconcile reconcile) {
        try {
            String key;
            while ((key = queue.get()) != null) {
                try {
                    Duration again = reconcile.sync(key);
                    queue.forget(key);
                    if (again != null) {
                        queue.addAfter(key, again);
                    }
                } catch (NotLeadingException e) {
                    LOG.debug("{} {}: {}", name, key, e.getMessage());
                } catch (ApiException e) {
                    if (!e.isConflict() && !e.isNotFound() && !e.isAlreadyExists()) {
                        LOG.info("{} {}: {}", name, key, e.getMessage());
                    }
                    queue.addRateLimited(key);
                } catch (Exception e) {
                    LOG.info("{} {}: {}", name, key, e.toString());
                    queue.addRateLimited(key);
                } finally {
                    queue.done(key);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void stop() {
        queue.shutDown();
        for (Thread t : threads) {
            t.interrupt();
        }
        for (Thread t : threads) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
