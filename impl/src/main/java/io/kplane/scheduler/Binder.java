package io.kplane.scheduler;

/**
 * Where bindings leave the core. Implementations complete asynchronously: they must later call
 * {@link Scheduler#onBindResult} on the scheduler's thread (a runtime posts it through its event
 * queue). The in-memory cluster of the benchmark acknowledges on another thread.
 */
@FunctionalInterface
public interface Binder {
    void bind(PodInfo pod, String nodeName);
}
