package io.kplane.bench.rig;

import io.kplane.bench.AsyncOperation;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

/**
 * An in-process server that answers every request at once, on its own thread: the cheapest
 * possible asynchronous system. Driving it shows the load rig's own ceiling and latency floor.
 */
public final class NoOpServer implements AutoCloseable {

    private final ManyToOneConcurrentArrayQueue<AsyncOperation.Completion> inbox =
            new ManyToOneConcurrentArrayQueue<>(1 << 16);
    private final Thread thread;
    private volatile boolean running = true;

    public NoOpServer() {
        thread = new Thread(this::serve, "no-op-server");
        thread.setDaemon(true);
        thread.start();
    }

    /** The operation the rig issues: hand the request to the server thread, which completes it. */
    public AsyncOperation operation() {
        return (seq, done) -> {
            while (!inbox.offer(done)) {
                Thread.onSpinWait(); // inbox is larger than any window the rig uses; never long
            }
        };
    }

    private void serve() {
        IdleStrategy idle = new BackoffIdleStrategy(100, 10, 1_000, 200_000);
        while (running) {
            int n = inbox.drain(AsyncOperation.Completion::succeeded);
            idle.idle(n);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(2_000);
    }
}
