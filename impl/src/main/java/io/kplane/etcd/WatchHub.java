package io.kplane.etcd;

import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.stub.ServerCallStreamObserver;
import io.kplane.fanout.EventLog;
import io.kplane.fanout.OverrunException;
import io.kplane.kv.KvException;
import io.kplane.kv.KvStateMachine;
import io.kplane.kv.MvccStore;
import io.kplane.kv.RevisionEvents;
import io.kplane.server.Replica;
import io.kplane.time.NanoClock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Delivers watch events to every watch stream of one member, on one dispatcher thread.
 *
 * <p>The state machine publishes each revision's events once into the {@code fanout}
 * {@link EventLog}; every gRPC watch stream reads it through its own cursor, at the pace its client
 * accepts (gRPC flow control: a stream that is not ready is simply not read). A watcher inside a
 * stream is <em>synced</em> when its next revision is the next one the stream's cursor reads. A
 * watcher that is behind (created at a historical revision, or whose stream was lapped by the log)
 * is <em>unsynced</em>: it catches up from the MVCC history in batches of at most 1000 revisions,
 * read on the state machine's thread, and rejoins the log after that, as etcd's unsynced watcher
 * group does. The one rule that makes this safe: a watcher takes a revision from the log only if it
 * is exactly the revision it expects next; anything newer means it missed something and catches up,
 * anything older was already delivered. So no event is lost or delivered twice.
 *
 * <p>All sends on a stream happen on this thread, which is what gRPC requires of a stream observer.
 */
final class WatchHub implements AutoCloseable {
    static final int HISTORY_BATCH_REVISIONS = 1000;
    private static final int MAX_RESPONSE_BYTES = 1 << 20;
    private static final int PUMP_BUDGET = 512;
    /**
     * Bytes a stream may queue before gRPC calls it not ready (its default is 32 KiB). One stream
     * carries the responses of all its watchers — one per watcher and revision — so 32 KiB is a few
     * hundred responses: a single write to a prefix a thousand watchers share filled it, and the
     * dispatcher parked until the transport had flushed and the client had granted window again,
     * once per burst. 1 MiB, the client's default HTTP/2 window, lets such a burst go out in one
     * flush while still bounding what a slow client can make this member hold per stream.
     */
    static final int ON_READY_THRESHOLD_BYTES = 1 << 20;

    private final Replica replica;
    private final Headers headers;
    private final MvccStore store;
    private final long progressIntervalNanos;
    /**
     * Where a fragmenting watcher's responses are split: as in etcd's watch server,
     * {@code --max-request-bytes} plus the 512 KiB it lets gRPC take beyond it.
     */
    private final int fragmentBytes;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final List<Stream> streams = new ArrayList<>(); // dispatcher thread only
    private final Thread thread;
    private volatile boolean running = true;
    private final NanoClock clock;
    private long lastProgressNanos; // dispatcher thread only, after the constructor
    private final java.util.concurrent.atomic.AtomicLong overruns = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong catchUps = new java.util.concurrent.atomic.AtomicLong();

    WatchHub(Replica replica, Headers headers, long progressIntervalMillis, int fragmentBytes, NanoClock clock) {
        this.replica = replica;
        this.fragmentBytes = fragmentBytes;
        this.clock = clock;
        this.lastProgressNanos = clock.nanoTime();
        this.headers = headers;
        this.progressIntervalNanos = TimeUnit.MILLISECONDS.toNanos(progressIntervalMillis);
        KvStateMachine sm = replica.query(s -> {
            KvStateMachine kv = KvReplicatedStateMachine.kv(s);
            kv.setCommitListener(this::signal);
            return kv;
        }).join();
        this.store = sm.store();
        this.thread = new Thread(this::run, "etcd-watch-dispatcher");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** A gRPC watch stream; its fields belong to the dispatcher thread. */
    final class Stream {
        final ServerCallStreamObserver<WatchResponse> out;
        EventLog.Cursor<RevisionEvents> cursor;
        long lastSeenRev;
        final Map<Long, Watcher> watchers = new LinkedHashMap<>();
        long nextId;
        boolean closed;
        /** A progress request waits for the stream to catch up (see {@link #answerProgress}). */
        boolean progressRequested;

        Stream(ServerCallStreamObserver<WatchResponse> out) {
            this.out = out;
        }
    }

    static final class Watcher {
        long id;
        byte[] key;
        byte[] end;
        boolean prevKv;
        boolean noPut;
        boolean noDelete;
        boolean progressNotify;
        boolean fragment;
        long nextRev;
        boolean catchingUp;

        boolean matches(Event e) {
            if (e.getType() == Event.EventType.PUT ? noPut : noDelete) {
                return false;
            }
            byte[] k = e.getKv().getKey().toByteArray();
            if (end == null) {
                return Arrays.equals(k, key);
            }
            return Arrays.compareUnsigned(k, key) >= 0 && (end.length == 0 || Arrays.compareUnsigned(k, end) < 0);
        }
    }

    // --------------------------------------------------------------- called from gRPC threads

    Stream open(ServerCallStreamObserver<WatchResponse> out) {
        Stream s = new Stream(out);
        out.setOnReadyThreshold(ON_READY_THRESHOLD_BYTES);
        out.setOnReadyHandler(this::signal);
        submit(() -> {
            // Cursor and revision from one subscription: the published revision alone can lag the
            // log's end by one revision, and a watcher created at it would then miss that revision
            // until the next write (MvccStore.subscribe).
            MvccStore.Subscription sub = store.subscribe();
            s.cursor = sub.cursor();
            s.lastSeenRev = sub.lastRevision();
            streams.add(s);
        });
        return s;
    }

    void create(Stream s, WatchCreateRequest req) {
        submit(() -> doCreate(s, req));
    }

    void cancel(Stream s, long watchId) {
        submit(() -> {
            if (s.closed) {
                return;
            }
            if (s.watchers.remove(watchId) != null) {
                send(s, WatchResponse.newBuilder().setHeader(headers.of(store.publishedRevision()))
                        .setWatchId(watchId).setCanceled(true).build());
            }
        });
    }

    /**
     * A progress request: answered once every watcher of the stream has been sent every event up to
     * the revision the answer announces (etcd 3.4 answered at once with the store's revision, ahead
     * of events a catching-up watcher had not been sent yet; 3.5 defers it the same way).
     */
    void progress(Stream s) {
        submit(() -> {
            s.progressRequested = true;
            answerProgress(s);
        });
    }

    /** Dispatcher thread: answers a pending progress request if the stream is caught up. */
    private void answerProgress(Stream s) {
        if (!s.progressRequested || s.closed || s.cursor == null || s.cursor.lag() > 0) {
            return;
        }
        for (Watcher w : s.watchers.values()) {
            if (w.catchingUp || w.nextRev <= s.lastSeenRev) {
                return; // still has events up to lastSeenRev to send
            }
        }
        s.progressRequested = false;
        send(s, WatchResponse.newBuilder().setHeader(headers.of(s.lastSeenRev)).setWatchId(-1).build());
    }

    /** The client went away or half-closed: drop the stream (completing it if still open). */
    void close(Stream s, boolean complete) {
        submit(() -> {
            if (!s.closed && complete) {
                try {
                    s.out.onCompleted();
                } catch (RuntimeException ignored) {
                    // already cancelled by the client
                }
            }
            s.closed = true;
            s.watchers.clear();
        });
    }

    private void submit(Runnable task) {
        tasks.add(task);
        signal();
    }

    void signal() {
        LockSupport.unpark(thread);
    }

    // ------------------------------------------------------------------ dispatcher thread

    private void run() {
        while (running) {
            int work = 0;
            try {
                for (Runnable t; (t = tasks.poll()) != null; ) {
                    t.run();
                    work++;
                }
                for (Stream s : streams) {
                    if (!s.closed) {
                        work += pump(s);
                        answerProgress(s);
                    }
                }
                streams.removeIf(s -> s.closed);
                long now = clock.nanoTime();
                if (progressIntervalNanos > 0 && now - lastProgressNanos >= progressIntervalNanos) {
                    lastProgressNanos = now;
                    sendProgress();
                }
            } catch (RuntimeException e) {
                // A bug in delivery must not stop every other stream; log it and go on.
                System.err.println("watch dispatcher: " + e);
                e.printStackTrace();
            }
            if (work == 0) {
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(50));
            }
        }
        for (Stream s : streams) {
            if (!s.closed) {
                s.closed = true;
                try {
                    s.out.onError(EtcdErrors.STOPPED);
                } catch (RuntimeException ignored) {
                    // client already gone
                }
            }
        }
    }

    private void doCreate(Stream s, WatchCreateRequest req) {
        if (s.closed) {
            return;
        }
        Watcher w = new Watcher();
        while (s.watchers.containsKey(s.nextId)) {
            s.nextId++;
        }
        w.id = s.nextId++;
        w.key = req.getKey().isEmpty() ? new byte[] {0} : req.getKey().toByteArray();
        byte[] end = req.getRangeEnd().toByteArray();
        w.end = end.length == 0 ? null : end.length == 1 && end[0] == 0 ? new byte[0] : end;
        w.prevKv = req.getPrevKv();
        w.progressNotify = req.getProgressNotify();
        w.fragment = fragmentRequested(req);
        for (WatchCreateRequest.FilterType f : req.getFiltersList()) {
            if (f == WatchCreateRequest.FilterType.NOPUT) {
                w.noPut = true;
            } else if (f == WatchCreateRequest.FilterType.NODELETE) {
                w.noDelete = true;
            }
        }
        long published = store.publishedRevision();
        w.nextRev = req.getStartRevision() > 0 ? req.getStartRevision() : published + 1;
        s.watchers.put(w.id, w);
        send(s, WatchResponse.newBuilder().setHeader(headers.of(published)).setWatchId(w.id).setCreated(true).build());
        if (req.getStartRevision() > 0) {
            startCatchUp(s, w); // also tells a watcher below the compaction revision that it is compacted
        }
    }

    /** Reads what the stream's client can take from the log; returns the number of revisions read. */
    private int pump(Stream s) {
        int n = 0;
        while (n < PUMP_BUDGET && s.out.isReady()) {
            RevisionEvents e;
            try {
                e = s.cursor.poll();
            } catch (OverrunException lapped) {
                // The log lapped this stream: its watchers fall back to history (etcd: unsynced).
                overruns.incrementAndGet();
                MvccStore.Subscription sub = store.subscribe(); // see open(): no revision between the two
                s.cursor = sub.cursor();
                s.lastSeenRev = Math.max(s.lastSeenRev, sub.lastRevision());
                n++;
                continue;
            }
            if (e == null) {
                break;
            }
            n++;
            s.lastSeenRev = Math.max(s.lastSeenRev, e.revision());
            for (Watcher w : List.copyOf(s.watchers.values())) {
                if (w.catchingUp || e.revision() < w.nextRev) {
                    continue;
                }
                if (e.revision() > w.nextRev) {
                    startCatchUp(s, w);
                    continue;
                }
                sendEvents(s, w, e.events(), e.revision());
                w.nextRev = e.revision() + 1;
            }
        }
        if (s.out.isReady()) {
            for (Watcher w : List.copyOf(s.watchers.values())) {
                if (!w.catchingUp && w.nextRev <= s.lastSeenRev) {
                    startCatchUp(s, w);
                }
            }
        }
        return n;
    }

    private record CatchUp(MvccStore.History history, long compactRevision) {
    }

    private void startCatchUp(Stream s, Watcher w) {
        w.catchingUp = true;
        catchUps.incrementAndGet();
        long from = w.nextRev;
        replica.query(sm -> {
            MvccStore st = KvReplicatedStateMachine.kv(sm).store();
            try {
                return new CatchUp(st.history(from, HISTORY_BATCH_REVISIONS), 0);
            } catch (KvException compacted) {
                return new CatchUp(null, st.compactRevision());
            }
        }).whenComplete((c, err) -> submit(() -> finishCatchUp(s, w, c, err)));
    }

    private void finishCatchUp(Stream s, Watcher w, CatchUp c, Throwable err) {
        w.catchingUp = false;
        if (s.closed || s.watchers.get(w.id) != w) {
            return; // cancelled meanwhile
        }
        if (err != null) {
            s.closed = true;
            s.out.onError(EtcdErrors.toStatus(err));
            return;
        }
        if (c.history() == null) {
            s.watchers.remove(w.id);
            send(s, WatchResponse.newBuilder().setHeader(headers.of(0)).setWatchId(w.id) // etcd: no revision here
                    .setCompactRevision(c.compactRevision()).setCanceled(true).build());
            return;
        }
        List<Event> batch = new ArrayList<>();
        for (RevisionEvents e : c.history().events()) {
            if (e.revision() >= w.nextRev) {
                batch.addAll(e.events());
            }
        }
        sendEvents(s, w, batch, c.history().upTo());
        w.nextRev = Math.max(w.nextRev, c.history().upTo() + 1);
        signal(); // the next pump decides whether more history is needed
    }

    private void sendEvents(Stream s, Watcher w, List<Event> events, long revision) {
        if (w.fragment) {
            sendFragments(s, w, events, revision);
            return;
        }
        WatchResponse.Builder b = null;
        int bytes = 0;
        for (Event e : events) {
            if (!w.matches(e)) {
                continue;
            }
            Event out = visible(w, e);
            if (b == null) {
                b = WatchResponse.newBuilder().setHeader(headers.of(revision)).setWatchId(w.id);
            }
            int size = out.getSerializedSize();
            if (bytes > 0 && bytes + size > MAX_RESPONSE_BYTES) {
                send(s, b.build()); // split large batches between events, never inside one
                b = WatchResponse.newBuilder().setHeader(headers.of(revision)).setWatchId(w.id);
                bytes = 0;
            }
            b.addEvents(out);
            bytes += size;
        }
        if (b != null) {
            send(s, b.build());
        }
    }

    private static Event visible(Watcher w, Event e) {
        return w.prevKv || !e.hasPrevKv() ? e : e.toBuilder().clearPrevKv().build();
    }

    /**
     * A watcher created with {@code fragment}: etcd's rule. A response smaller than {@link #fragmentBytes},
     * or with a single event, goes whole; a larger one is cut into pieces, each taking events until
     * the next would bring it to that size (but at least one), all marked {@code fragment}
     * except the last. The client reassembles them into one response.
     */
    private void sendFragments(Stream s, Watcher w, List<Event> events, long revision) {
        List<Event> visible = new ArrayList<>();
        for (Event e : events) {
            if (w.matches(e)) {
                visible.add(visible(w, e));
            }
        }
        if (visible.isEmpty()) {
            return;
        }
        WatchResponse whole = WatchResponse.newBuilder().setHeader(headers.of(revision)).setWatchId(w.id)
                .addAllEvents(visible).build();
        if (whole.getSerializedSize() < fragmentBytes || visible.size() < 2) {
            send(s, whole);
            return;
        }
        WatchResponse.Builder empty = WatchResponse.newBuilder().setHeader(headers.of(revision)).setWatchId(w.id)
                .setUnknownFields(FRAGMENT_TRUE);
        int baseSize = empty.build().getSerializedSize();
        int i = 0;
        while (i < visible.size()) {
            WatchResponse.Builder piece = empty.clone();
            int size = baseSize;
            int count = 0;
            while (i < visible.size()) {
                int eventSize = com.google.protobuf.CodedOutputStream.computeMessageSize(
                        WatchResponse.EVENTS_FIELD_NUMBER, visible.get(i));
                if (count >= 1 && size + eventSize >= fragmentBytes) {
                    break;
                }
                piece.addEvents(visible.get(i));
                size += eventSize;
                count++;
                i++;
            }
            if (i == visible.size()) {
                piece.setUnknownFields(com.google.protobuf.UnknownFieldSet.getDefaultInstance()); // fragment=false: the last
            }
            send(s, piece.build());
        }
    }

    /**
     * etcd's {@code WatchCreateRequest.fragment} (field 8) and {@code WatchResponse.fragment} (field
     * 7) are not in the protos jetcd-grpc ships: they travel as unknown fields, which protobuf keeps.
     */
    static final int CREATE_FRAGMENT_FIELD = 8;
    static final int RESPONSE_FRAGMENT_FIELD = 7;
    private static final com.google.protobuf.UnknownFieldSet FRAGMENT_TRUE = com.google.protobuf.UnknownFieldSet.newBuilder()
            .addField(RESPONSE_FRAGMENT_FIELD, com.google.protobuf.UnknownFieldSet.Field.newBuilder().addVarint(1).build())
            .build();

    static boolean fragmentRequested(WatchCreateRequest req) {
        com.google.protobuf.UnknownFieldSet.Field f = req.getUnknownFields().getField(CREATE_FRAGMENT_FIELD);
        return f != null && !f.getVarintList().isEmpty() && f.getVarintList().get(f.getVarintList().size() - 1) != 0;
    }

    private void sendProgress() {
        for (Stream s : streams) {
            if (s.closed || s.cursor.lag() > 0) {
                continue;
            }
            for (Watcher w : s.watchers.values()) {
                if (w.progressNotify && !w.catchingUp && w.nextRev > s.lastSeenRev) {
                    send(s, WatchResponse.newBuilder().setHeader(headers.of(s.lastSeenRev)).setWatchId(w.id).build());
                }
            }
        }
    }

    private void send(Stream s, WatchResponse r) {
        if (s.closed) {
            return;
        }
        try {
            s.out.onNext(r);
        } catch (RuntimeException e) {
            s.closed = true; // the call was cancelled under us
        }
    }

    /** Times a stream was lapped by the fan-out log (its watchers then caught up from history). */
    long overruns() {
        return overruns.get();
    }

    /** History reads done for unsynced watchers. */
    long catchUps() {
        return catchUps.get();
    }

    @Override
    public void close() {
        running = false;
        signal();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
