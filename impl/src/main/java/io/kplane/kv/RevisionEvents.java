package io.kplane.kv;

import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.KeyValue;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything one write transaction changed: the events of one store revision, in the order they
 * happened, each with its {@code prev_kv} (watchers that did not ask for it get it stripped). This
 * is the element of the store's {@code fanout} event log: built once, shared by every watcher.
 *
 * <p>The etcd {@link Event} messages are built lazily, on the first {@link #events()} call — by the
 * watch dispatcher, not by the state machine's thread, which only captures the changed revisions
 * and their predecessors (immutable objects) when the transaction commits. A write nobody watches
 * costs no protobuf building at all. Safe to share between threads: the captured arrays are never
 * written after construction, and a racy second build yields an equal list.
 */
public final class RevisionEvents {
    private final long revision;
    private final KeyRevision[] changes;
    private final KeyRevision[] previous;
    private volatile List<Event> events;

    /** Captures the changes of {@code revision} and what each one replaced (null: nothing live). */
    RevisionEvents(long revision, KeyRevision[] changes) {
        this.revision = revision;
        this.changes = changes;
        this.previous = new KeyRevision[changes.length];
        for (int i = 0; i < changes.length; i++) {
            KeyRevision older = changes[i].older;
            previous[i] = older != null && !older.isTombstone() ? older : null;
        }
    }

    /** For tests and other producers: events already built. */
    public RevisionEvents(long revision, List<Event> events) {
        this.revision = revision;
        this.changes = null;
        this.previous = null;
        this.events = List.copyOf(events);
    }

    /** The store revision the transaction created. */
    public long revision() {
        return revision;
    }

    /** The events, in sub-revision order; never empty. */
    public List<Event> events() {
        List<Event> e = events;
        if (e == null) {
            e = build();
            events = e;
        }
        return e;
    }

    private List<Event> build() {
        List<Event> list = new ArrayList<>(changes.length);
        for (int i = 0; i < changes.length; i++) {
            KeyRevision r = changes[i];
            Event.Builder e = Event.newBuilder();
            if (r.isTombstone()) {
                e.setType(Event.EventType.DELETE).setKv(KeyValue.newBuilder()
                        .setKey(com.google.protobuf.UnsafeByteOperations.unsafeWrap(r.key)).setModRevision(r.mod));
            } else {
                e.setType(Event.EventType.PUT).setKv(MvccStore.toKeyValue(r, false));
            }
            if (previous[i] != null) {
                e.setPrevKv(MvccStore.toKeyValue(previous[i], false));
            }
            list.add(e.build());
        }
        return List.copyOf(list);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RevisionEvents other && other.revision == revision && other.events().equals(events());
    }

    @Override
    public int hashCode() {
        return Long.hashCode(revision) * 31 + events().hashCode();
    }

    @Override
    public String toString() {
        return "RevisionEvents[revision=" + revision + ", events=" + events() + "]";
    }
}
