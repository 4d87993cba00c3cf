package io.kplane.bench;

import java.util.concurrent.CompletionStage;
import java.util.function.LongConsumer;
import java.util.function.LongFunction;

/**
 * One request of a workload, as the load rig issues it. The rig calls {@link #start} with the
 * request's sequence number and a {@link Completion} that must be told, exactly once, how the
 * request ended. It may be told on any thread (a gRPC executor, a Netty event loop) or inline.
 *
 * <p>Three ways to write one: a callback ({@code (seq, done) -> stub.put(req, observer(done))}),
 * a future ({@link #ofFuture}) or a synchronous in-process call ({@link #ofSync}).
 */
@FunctionalInterface
public interface AsyncOperation {

    /** Starts request {@code seq}; must not block for the request's duration. */
    void start(long seq, Completion done);

    /** How a request ended. Call one method, once. */
    interface Completion {
        void succeeded();

        void failed(Throwable cause);
    }

    /** An operation that returns a future (jetcd, grpc futures, {@code CompletableFuture}). */
    static AsyncOperation ofFuture(LongFunction<? extends CompletionStage<?>> call) {
        return (seq, done) -> {
            CompletionStage<?> stage;
            try {
                stage = call.apply(seq);
            } catch (RuntimeException e) {
                done.failed(e);
                return;
            }
            stage.whenComplete((v, e) -> {
                if (e == null) {
                    done.succeeded();
                } else {
                    done.failed(e);
                }
            });
        };
    }

    /**
     * A synchronous in-process call: it completes before {@code start} returns, so one worker
     * has at most one request in flight; use several workers for concurrency. A thrown exception
     * counts as a failed request.
     */
    static AsyncOperation ofSync(LongConsumer call) {
        return (seq, done) -> {
            try {
                call.accept(seq);
            } catch (RuntimeException e) {
                done.failed(e);
                return;
            }
            done.succeeded();
        };
    }
}
