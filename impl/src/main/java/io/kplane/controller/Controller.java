package io.kplane.controller;

/**
 * A controller of the controller-manager. Its informer handlers are registered once, at
 * construction; {@link #start()} and {@link #stop()} follow leadership — workers run only while
 * this process leads, and each start re-syncs everything from the caches.
 */
public interface Controller {
    String name();

    void start();

    void stop();
}
