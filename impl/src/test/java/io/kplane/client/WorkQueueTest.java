package io.kplane.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WorkQueueTest {

    @Test
    void aKeyAddedWhileWaitingIsQueuedOnce() throws Exception {
        try (WorkQueue<String> q = new WorkQueue<>("t")) {
            q.add("a");
            q.add("b");
            q.add("a");
            assertThat(q.length()).isEqualTo(2);
            assertThat(q.get()).isEqualTo("a");
            assertThat(q.get()).isEqualTo("b");
            assertThat(q.length()).isZero();
        }
    }

    @Test
    void aKeyAddedWhileProcessingIsHandedOutAgainOnlyAfterDone() throws Exception {
        try (WorkQueue<String> q = new WorkQueue<>("t")) {
            q.add("a");
            String k = q.get();
            q.add("a");
            assertThat(q.length()).as("not handed to a second worker").isZero();
            assertThat(q.poll(Duration.ofMillis(50))).isNull();
            q.done(k);
            assertThat(q.length()).isEqualTo(1);
            assertThat(q.get()).isEqualTo("a");
            q.done("a");
            assertThat(q.length()).isZero();
        }
    }

    @Test
    void manyWorkersNeverProcessOneKeyAtOnce() throws Exception {
        try (WorkQueue<Integer> q = new WorkQueue<>("t")) {
            Set<Integer> inFlight = ConcurrentHashMap.newKeySet();
            AtomicBoolean overlap = new AtomicBoolean();
            AtomicInteger processed = new AtomicInteger();
            List<Thread> workers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                Thread t = new Thread(() -> {
                    try {
                        Integer k;
                        while ((k = q.get()) != null) {
                            if (!inFlight.add(k)) {
                                overlap.set(true);
                            }
                            Thread.onSpinWait();
                            inFlight.remove(k);
                            processed.incrementAndGet();
                            q.done(k);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                t.start();
                workers.add(t);
            }
            for (int i = 0; i < 20_000; i++) {
                q.add(i % 5);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while ((q.length() > 0 || !inFlight.isEmpty()) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            q.shutDown();
            for (Thread t : workers) {
                t.join(10_000);
            }
            assertThat(overlap).isFalse();
            assertThat(processed.get()).isBetween(5, 20_000);
        }
    }

    @Test
    void addAfterDeliversLaterAndTheEarliestPendingDelayWins() throws Exception {
        try (WorkQueue<String> q = new WorkQueue<>("t")) {
            q.addAfter("a", Duration.ofHours(1));
            q.addAfter("a", Duration.ofMillis(20));
            q.addAfter("a", Duration.ofHours(2));
            assertThat(q.length()).isZero();
            assertThat(q.poll(Duration.ofSeconds(10))).isEqualTo("a");
            q.done("a");
            assertThat(q.poll(Duration.ofMillis(100))).as("the one-hour timer was replaced, not kept").isNull();
        }
    }

    @Test
    void rateLimitedRetriesBackOffPerKeyAndForgetResets() throws Exception {
        RateLimiter<String> limiter = new RateLimiter<>(1_000_000L, 1_000_000_000L, 1e6, 1_000_000);
        try (WorkQueue<String> q = new WorkQueue<>("t", limiter)) {
            q.addRateLimited("a");
            q.addRateLimited("a");
            assertThat(q.numRequeues("a")).isEqualTo(2);
            assertThat(q.poll(Duration.ofSeconds(10))).isEqualTo("a");
            q.forget("a");
            q.done("a");
            assertThat(q.numRequeues("a")).isZero();
        }
    }

    @Test
    void shutDownReleasesBlockedWorkers() throws Exception {
        WorkQueue<String> q = new WorkQueue<>("t");
        CountDownLatch exited = new CountDownLatch(1);
        List<String> got = Collections.synchronizedList(new ArrayList<>());
        Thread t = new Thread(() -> {
            try {
                got.add(String.valueOf(q.get()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exited.countDown();
        });
        t.start();
        q.shutDown();
        assertThat(exited.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(got).containsExactly("null");
        q.add("x");
        assertThat(q.length()).as("adds after shutdown are dropped").isZero();
    }
}
