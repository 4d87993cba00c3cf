package io.kplane.kv;

import io.etcd.jetcd.api.Event;
import java.util.List;

/**
 * Everything one write transaction changed: the events of one store revision, in the order they
 * happened, each with its {@code prev_kv} (watchers that did not ask for it get it stripped). This
 * is the element of the store's {@code fanout} event log: built once, shared by every watcher.
 *
 * @param revision the store revision the transaction created
 * @param events   the events, in sub-revision order; never empty
 */
public record RevisionEvents(long revision, List<Event> events) {
    public RevisionEvents {
        events = List.copyOf(events);
    }
}
