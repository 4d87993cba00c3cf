package io.kplane.check.watch;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.PutRequest;
import io.kplane.check.Fingerprint;
import io.kplane.check.Invariant;
import io.kplane.check.Model;
import io.kplane.check.watch.WatchWorld.Status;
import io.kplane.check.watch.WatchWorld.Watcher;
import io.kplane.fanout.EventLog;
import io.kplane.fanout.OverrunException;
import io.kplane.kv.KvException;
import io.kplane.kv.MvccStore;
import io.kplane.kv.RevisionEvents;
import java.util.ArrayList;
import java.util.List;

/**
 * The world of {@code tla/Watch.tla} over the real fan-out {@link EventLog} (a small ring, so
 * watchers get lapped) and the real {@link MvccStore} (history and compaction).
 *
 * <p>The watcher side follows the rule of the etcd watch hub ({@code io.kplane.etcd.WatchHub}),
 * transcribed here because the hub is bound to gRPC streams and threads: a watcher takes a
 * revision from the log only if it is exactly the one it expects next; a newer one, an overrun of
 * its stream, or a stream that saw revisions the watcher has not got, sends it to catch up from
 * MVCC history (in batches of one revision, so catching up takes several rounds); a history query
 * below the compaction revision ends the watch with "compacted". Catching up is split in two
 * actions (start, finish) because the hub runs the query later, on the store's thread, while
 * puts and compactions go on. Watchers can disconnect and resume from the revision after the last
 * one they received.
 *
 * <p>Symmetry: watchers are interchangeable, so the fingerprint is that of the multiset of
 * watcher states.
 */
public final class WatchModel implements Model<WatchWorld> {

    /** Deliberate bugs in the watcher shell, for mutation tests. */
    public enum Mutation {
        NONE,
        /** Take any revision from the log at or above the expected one (forgetting "exactly next"). */
        SKIP_EXACT_NEXT_CHECK,
        /** Resume from the last revision received instead of the one after it. */
        RESUME_AT_LAST_DELIVERED,
        /** Treat the compaction revision itself as gone (off by one). */
        COMPACTED_AT_BOUNDARY
    }

    /** Constants of one watch model. */
    public record Config(int watchers, int maxRevision, int ringCapacity, int maxDisconnects, Mutation mutation) {
        public static Config defaults() {
            return new Config(2, 5, 2, 1, Mutation.NONE);
        }

        public Config withWatchers(int n) {
            return new Config(n, maxRevision, ringCapacity, maxDisconnects, mutation);
        }

        public Config with(Mutation m) {
            return new Config(watchers, maxRevision, ringCapacity, maxDisconnects, m);
        }
    }

    public static final String IN_ORDER = "InOrderGapFreeNoDuplicates";
    public static final String COMPACTED_ONLY_WHEN_GONE = "CompactedOnlyWhenGone";
    public static final String EXACT_RESUME = "ExactResume";

    private static final ByteString KEY = ByteString.copyFromUtf8("k");

    private final Config config;

    public WatchModel(Config config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "watch";
    }

    @Override
    public String describeBounds() {
        return config.watchers() + " watchers on one key, revisions <= " + config.maxRevision()
                + ", fan-out ring of " + config.ringCapacity() + " slots, disconnects <= " + config.maxDisconnects()
                + " per watcher" + (config.mutation() != Mutation.NONE ? ", MUTATION " + config.mutation() : "");
    }

    @Override
    public List<WatchWorld> initialStates() {
        List<Watcher> ws = new ArrayList<>();
        for (int i = 0; i < config.watchers(); i++) {
            ws.add(Watcher.IDLE);
        }
        return List.of(new WatchWorld(1, -1, List.copyOf(ws)));
    }

    /** The real store and log for a state: replays the puts, then the compaction. */
    MvccStore store(WatchWorld w) {
        EventLog<RevisionEvents> log = new EventLog<>(config.ringCapacity());
        MvccStore s = new MvccStore(log, 1);
        for (long r = 2; r <= w.revision(); r++) {
            s.put(PutRequest.newBuilder().setKey(KEY).setValue(ByteString.copyFromUtf8("v" + r)).build());
        }
        if (w.compactRev() > 0) {
            s.compact(CompactionRequest.newBuilder().setRevision(w.compactRev()).build());
        }
        return s;
    }

    private static WatchWorld with(WatchWorld w, int i, Watcher x) {
        List<Watcher> ws = new ArrayList<>(w.watchers());
        ws.set(i, x);
        return new WatchWorld(w.revision(), w.compactRev(), List.copyOf(ws));
    }

    private static List<Long> plus(List<Long> l, long v) {
        List<Long> c = new ArrayList<>(l);
        c.add(v);
        return List.copyOf(c);
    }

    /** A new stream watching from {@code from}: cursor at the log's tail, catching up first (as the hub does). */
    private Watcher open(MvccStore s, long startRev, long from, List<Long> delivered) {
        MvccStore.Subscription sub = s.subscribe();
        return new Watcher(Status.CATCHING_UP, startRev, from, sub.cursor().position(), sub.lastRevision(), delivered);
    }

    @Override
    public void successors(WatchWorld w, Successors<WatchWorld> out) {
        MvccStore s = store(w);
        if (w.revision() < config.maxRevision()) {
            out.add("Put (revision " + (w.revision() + 1) + ")",
                    new WatchWorld(w.revision() + 1, w.compactRev(), w.watchers()));
        }
        for (long r = Math.max(2, w.compactRev() + 1); r <= w.revision(); r++) {
            out.add("Compact(" + r + ")", new WatchWorld(w.revision(), r, w.watchers()));
        }
        for (int i = 0; i < w.watchers().size(); i++) {
            Watcher x = w.watchers().get(i);
            String who = "w" + (i + 1);
            switch (x.status()) {
                case IDLE -> {
                    // Revision 1 is the empty store's: events start at 2 (one put per revision).
                    for (long r = 2; r <= w.revision() + 1; r++) {
                        out.add(who + ": Watch from " + r, with(w, i, open(s, r, r, List.of())));
                    }
                }
                case ACTIVE -> {
                    poll(w, s, i, x, who, out);
                    if (disconnects(x) < config.maxDisconnects()) {
                        out.add(who + ": Disconnect", with(w, i, new Watcher(Status.DISCONNECTED, x.startRev(),
                                x.nextRev(), x.cursor(), x.lastSeenRev(), plus(x.delivered(), -1))));
                    }
                }
                case CATCHING_UP -> finishCatchUp(w, s, i, x, who, out);
                case DISCONNECTED -> {
                    List<Long> got = received(x.delivered());
                    long from = got.isEmpty() ? x.startRev() : got.get(got.size() - 1) + 1;
                    if (config.mutation() == Mutation.RESUME_AT_LAST_DELIVERED && !got.isEmpty()) {
                        from = got.get(got.size() - 1);
                    }
                    out.add(who + ": Resume from " + from, with(w, i, open(s, x.startRev(), from, x.delivered())));
                }
                case COMPACTED -> { }
            }
        }
    }

    /** The hub's pump for one stream: read the next log element and apply the exactly-next rule. */
    private void poll(WatchWorld w, MvccStore s, int i, Watcher x, String who, Successors<WatchWorld> out) {
        EventLog.Cursor<RevisionEvents> c = s.eventLog().newCursor(x.cursor());
        RevisionEvents e;
        try {
            e = c.poll();
        } catch (OverrunException lapped) {
            MvccStore.Subscription sub = s.subscribe();
            long seen = Math.max(x.lastSeenRev(), sub.lastRevision());
            out.add(who + ": lapped by the log (lost sequence " + lapped.lostFrom() + ") -> catch up",
                    with(w, i, new Watcher(Status.CATCHING_UP, x.startRev(), x.nextRev(), sub.cursor().position(), seen, x.delivered())));
            return;
        }
        if (e == null) {
            if (x.nextRev() <= x.lastSeenRev()) {
                out.add(who + ": behind its stream -> catch up", with(w, i, new Watcher(Status.CATCHING_UP,
                        x.startRev(), x.nextRev(), x.cursor(), x.lastSeenRev(), x.delivered())));
            }
            return;
        }
        long seen = Math.max(x.lastSeenRev(), e.revision());
        long rev = e.revision();
        Watcher next;
        String what;
        if (rev < x.nextRev()) {
            next = new Watcher(Status.ACTIVE, x.startRev(), x.nextRev(), c.position(), seen, x.delivered());
            what = "skips revision " + rev + " (already delivered)";
        } else if (rev > x.nextRev() && config.mutation() != Mutation.SKIP_EXACT_NEXT_CHECK) {
            next = new Watcher(Status.CATCHING_UP, x.startRev(), x.nextRev(), c.position(), seen, x.delivered());
            what = "reads revision " + rev + " but expects " + x.nextRev() + " -> catch up";
        } else {
            next = new Watcher(Status.ACTIVE, x.startRev(), rev + 1, c.position(), seen, plus(x.delivered(), rev));
            what = "receives revision " + rev + " from the log";
        }
        out.add(who + ": " + what, with(w, i, next));
    }

    /** The history query, run against the store as it is now. */
    private void finishCatchUp(WatchWorld w, MvccStore s, int i, Watcher x, String who, Successors<WatchWorld> out) {
        if (config.mutation() == Mutation.COMPACTED_AT_BOUNDARY && x.nextRev() <= s.compactRevision()) {
            out.add(who + ": compacted (at revision " + s.compactRevision() + ")", with(w, i,
                    new Watcher(Status.COMPACTED, x.startRev(), x.nextRev(), x.cursor(), x.lastSeenRev(), x.delivered())));
            return;
        }
        MvccStore.History h;
        try {
            h = s.history(x.nextRev(), 1);
        } catch (KvException compacted) {
            out.add(who + ": compacted (ErrCompacted, compact revision " + s.compactRevision() + ")", with(w, i,
                    new Watcher(Status.COMPACTED, x.startRev(), x.nextRev(), x.cursor(), x.lastSeenRev(), x.delivered())));
            return;
        }
        List<Long> delivered = x.delivered();
        StringBuilder got = new StringBuilder();
        for (RevisionEvents e : h.events()) {
            if (e.revision() >= x.nextRev()) {
                delivered = plus(delivered, e.revision());
                got.append(' ').append(e.revision());
            }
        }
        long nextRev = Math.max(x.nextRev(), h.upTo() + 1);
        out.add(who + ": history from " + x.nextRev() + " ->" + (got.length() == 0 ? " nothing" : got), with(w, i,
                new Watcher(Status.ACTIVE, x.startRev(), nextRev, x.cursor(), x.lastSeenRev(), delivered)));
    }

    /** Delivered revisions without the disconnect markers (-1). */
    static List<Long> received(List<Long> delivered) {
        return delivered.stream().filter(r -> r >= 0).toList();
    }

    static int disconnects(Watcher x) {
        return (int) x.delivered().stream().filter(r -> r < 0).count();
    }

    @Override
    public long fingerprint(WatchWorld w) {
        long[] ws = new long[w.watchers().size()];
        for (int i = 0; i < ws.length; i++) {
            Watcher x = w.watchers().get(i);
            Fingerprint f = new Fingerprint().add(x.status().ordinal()).add(x.startRev()).add(x.nextRev())
                    .add(x.cursor()).add(x.lastSeenRev());
            for (long r : x.delivered()) {
                f.add(r);
            }
            ws[i] = f.get();
        }
        return new Fingerprint().add(w.revision()).add(w.compactRev()).add(Fingerprint.ofMultiset(ws, ws.length)).get();
    }

    @Override
    public boolean withinBounds(WatchWorld w) {
        return true;
    }

    @Override
    public List<Invariant<WatchWorld>> invariants() {
        return List.of(
                new Invariant<>(IN_ORDER, w -> w.watchers().stream().allMatch(x -> {
                    List<Long> got = received(x.delivered());
                    for (int k = 0; k < got.size(); k++) {
                        if (got.get(k) != x.startRev() + k) {
                            return false;
                        }
                    }
                    return true;
                })),
                new Invariant<>(COMPACTED_ONLY_WHEN_GONE, w -> w.watchers().stream().allMatch(x ->
                        x.status() != Status.COMPACTED || x.nextRev() < w.compactRev())),
                new Invariant<>(EXACT_RESUME, w -> w.watchers().stream().allMatch(x ->
                        x.status() == Status.IDLE || x.status() == Status.COMPACTED
                                || x.nextRev() == x.startRev() + received(x.delivered()).size())));
    }

    @Override
    public String describe(WatchWorld w) {
        StringBuilder b = new StringBuilder("store: revision " + w.revision() + ", compacted "
                + (w.compactRev() < 0 ? "never" : "at " + w.compactRev()));
        for (int i = 0; i < w.watchers().size(); i++) {
            Watcher x = w.watchers().get(i);
            b.append("\n  w").append(i + 1).append(": ").append(x.status());
            if (x.status() != Status.IDLE) {
                b.append(" from ").append(x.startRev()).append(", next ").append(x.nextRev())
                        .append(", cursor ").append(x.cursor()).append(", received ").append(received(x.delivered()))
                        .append(disconnects(x) > 0 ? ", reconnected" : "");
            }
        }
        return b.toString();
    }
}
