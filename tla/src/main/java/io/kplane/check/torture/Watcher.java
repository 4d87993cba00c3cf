package io.kplane.check.torture;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchGrpc;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import io.kplane.check.history.WatchEvent;
import io.kplane.check.history.WatchStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One watcher of a torture run: watches the run's key prefix from a start revision through one
 * member; when the stream breaks (the member was killed, the stream was cancelled) it resumes from
 * the revision after the last event it received, through the next member — as a Kubernetes
 * reflector does. Everything it receives is kept, in order, for the stream checks.
 */
final class Watcher {
    private final int id;
    private final Members members;
    private final ByteString prefix;
    private final ByteString prefixEnd;
    private final long startRevision;
    private final ScheduledExecutorService timer;
    private final List<WatchEvent> events = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private int member;
    private int reconnects;
    private long nextRevision;
    private Context.CancellableContext context;
    private boolean closed;
    private long generation;

    Watcher(int id, Members members, String prefix, long startRevision, ScheduledExecutorService timer) {
        this.id = id;
        this.members = members;
        this.prefix = ByteString.copyFromUtf8(prefix);
        this.prefixEnd = ByteString.copyFromUtf8(prefix.substring(0, prefix.length() - 1) + (char) (prefix.charAt(prefix.length() - 1) + 1));
        this.startRevision = startRevision;
        this.nextRevision = startRevision;
        this.timer = timer;
        this.member = members.ids().get(Math.floorMod(id, members.size()));
    }

    synchronized void start() {
        open();
    }

    private synchronized void open() {
        if (closed) {
            return;
        }
        long gen = ++generation;
        context = Context.current().withCancellation();
        context.run(() -> {
            StreamObserver<WatchRequest> requests = WatchGrpc.newStub(members.channel(member)).watch(new StreamObserver<>() {
                @Override
                public void onNext(WatchResponse r) {
                    received(gen, r);
                }

                @Override
                public void onError(Throwable t) {
                    broken(gen, String.valueOf(t.getMessage()));
                }

                @Override
                public void onCompleted() {
                    broken(gen, "completed by server");
                }
            });
            requests.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
                    .setKey(prefix).setRangeEnd(prefixEnd).setStartRevision(nextRevision)).build());
        });
    }

    private synchronized void received(long gen, WatchResponse r) {
        if (gen != generation || closed) {
            return;
        }
        if (r.getCanceled()) {
            notes.add("cancelled by " + members.target().memberName(member) + ": " + r.getCancelReason()
                    + (r.getCompactRevision() > 0 ? " (compacted at " + r.getCompactRevision() + ")" : ""));
            broken(gen, "cancelled");
            return;
        }
        for (Event e : r.getEventsList()) {
            events.add(new WatchEvent(e.getKv().getModRevision(), e.getKv().getKey().toStringUtf8(),
                    e.getType() == Event.EventType.DELETE, e.getType() == Event.EventType.DELETE ? null
                    : e.getKv().getValue().toStringUtf8()));
            nextRevision = Math.max(nextRevision, e.getKv().getModRevision() + 1);
        }
    }

    private synchronized void broken(long gen, String why) {
        if (gen != generation || closed) {
            return;
        }
        context.cancel(null);
        generation++;
        reconnects++;
        int at = members.ids().indexOf(member);
        member = members.ids().get((at + 1) % members.size());
        timer.schedule(this::open, 200, TimeUnit.MILLISECONDS);
    }

    /** Moves the stream to another member (after faults healed, a stream may sit on a member that lags). */
    synchronized void reconnect() {
        if (!closed) {
            broken(generation, "moved");
        }
    }

    synchronized long lastRevision() {
        return events.isEmpty() ? startRevision - 1 : events.get(events.size() - 1).revision();
    }

    synchronized void close() {
        closed = true;
        if (context != null) {
            context.cancel(null);
        }
    }

    synchronized WatchStream stream() {
        return new WatchStream(id, startRevision, List.copyOf(events), reconnects);
    }

    synchronized List<String> notes() {
        return List.copyOf(notes);
    }
}
