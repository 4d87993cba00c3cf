package io.kplane.controller;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shell of controllers that look at everything at once (node lifecycle, garbage collector):
 * one thread running a pass every {@code period}, sooner when {@link #poke()}d (an informer event)
 * or when the previous pass asked for an earlier time.
 */
final class PassLoop {
    private static final Logger LOG = LoggerFactory.getLogger(PassLoop.class);

    /** One pass; returns when the next is due at the latest (null: after the period). */
    interface Pass {
        Duration run() throws Exception;
    }

    private final Semaphore pokes = new Semaphore(0);
    private final Thread thread;
    private volatile boolean running = true;

    PassLoop(String name, Duration period, Pass pass) {
        thread = new Thread(() -> {
            while (running) {
                Duration next = period;
                try {
                    Duration asked = pass.run();
                    if (asked != null && asked.compareTo(period) < 0) {
                        next = asked.isNegative() ? Duration.ZERO : asked;
                    }
                } catch (NotLeadingException e) {
                    LOG.debug("{}: {}", name, e.getMessage());
                } catch (Exception e) {
                    LOG.info("{}: {}", name, e.toString());
                }
                try {
                    if (pokes.tryAcquire(Math.max(1, next.toMillis()), TimeUnit.MILLISECONDS)) {
                        pokes.drainPermits();
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, name);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void poke() {
        pokes.release();
    }

    void stop() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
