package io.kplane.kv;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.CompactionResponse;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.DeleteRangeResponse;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.PutResponse;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.ResponseHeader;
import io.etcd.jetcd.api.ResponseOp;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.kplane.fanout.EventLog;
import io.kplane.fanout.OverrunException;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * The MVCC key-value store with etcd v3 semantics: a store-wide revision that grows by one per
 * write transaction; per key create/mod revision and version; deletes as tombstones; reads at any
 * revision not yet compacted; compaction; leases with attached keys; watch history.
 *
 * <p>Single-threaded by design (DESIGN §2): every method runs on the owner thread of the state
 * machine. Requests and responses are etcd's own protobuf messages; request validation that etcd
 * does before proposing lives in {@link RequestChecks}.
 *
 * <p>Layout, sized for millions of keys: a {@link TreeMap} from the key's bytes (one array per key,
 * shared by all its revisions) to its newest {@link KeyRevision}; older revisions hang off it in a
 * linked list. A revision log (one small array per store revision, pointing at the same objects)
 * serves watch history and tells compaction which keys have history to drop. With one revision per
 * key that is about 150 bytes per key plus the key and value bytes ({@code KvMemoryFootprint}).
 */
public final class MvccStore {

    /** etcd's {@code lease.MaxLeaseTTL}. */
    public static final long MAX_LEASE_TTL = 9_000_000_000L;
    private static final Comparator<byte[]> KEY_ORDER = Arrays::compareUnsigned;
    private static final byte[] NO_VALUE = new byte[0];
    private static final int SNAPSHOT_MAGIC = 0x4b504b56; // "KPKV"

    /**
     * Concurrent so that readers off the owner thread ({@link #rangePublished}) can walk it while the
     * owner writes; replaced (never cleared) by a restore, inside {@link #restoreSeq}.
     */
    private volatile ConcurrentSkipListMap<byte[], KeyRevision> index = new ConcurrentSkipListMap<>(KEY_ORDER);
    /** Odd while a restore swaps the store's contents: concurrent readers retry (a seqlock). */
    private volatile long restoreSeq;
    /** Revisions below this still have history awaiting the incremental compaction ({@link #compactionStep}). */
    private long compactPendingTo;
    /** revLog.get(i) holds the changes of revision revLogBase + i (possibly none after compaction). */
    private final ArrayList<KeyRevision[]> revLog = new ArrayList<>();
    private long revLogBase = 2;
    private long currentRev = 1;
    private volatile long compactRev = -1;
    /**
     * Compactions and restores so far: the only operations that change existing revision objects
     * (compaction cuts {@link KeyRevision#older}) or the set of heads a {@link SnapshotCapture} took.
     */
    private long historyRewrites;
    /**
     * Bytes of the retained history as a snapshot serializes it (without leases): the store's
     * "backend size" for the space quota. Written by the owner thread only; read from any.
     */
    private volatile long sizeBytes = EMPTY_BYTES;
    private static final long EMPTY_BYTES = 4 + 8 + 8 + 4;
    /** The revision whose events are the last ones in the fan-out log; written after each append. */
    private volatile long publishedRev = 1;
    private final Long2ObjectHashMap<Lease> leases = new Long2ObjectHashMap<>();
    /** Grants and keep-alives applied so far: each refresh stamps its lease with the next value. */
    private long lastLeaseStamp;
    private final long minLeaseTtl;
    private final EventLog<RevisionEvents> events;
    private LeaseObserver leaseObserver = LeaseObserver.NONE;

    /**
     * @param events      where each write transaction's events are published (the watch fan-out);
     *                    null for none
     * @param minLeaseTtl granted TTLs are raised to this, like etcd's {@code minLeaseTTL} (2 s with
     *                    etcd's default election timeout)
     */
    public MvccStore(EventLog<RevisionEvents> events, long minLeaseTtl) {
        this.events = events;
        this.minLeaseTtl = minLeaseTtl;
    }

    public void setLeaseObserver(LeaseObserver observer) {
        this.leaseObserver = observer == null ? LeaseObserver.NONE : observer;
    }

    public long currentRevision() {
        return currentRev;
    }

    /**
     * The current revision as readers of the fan-out log may see it from any thread: every event of
     * revisions up to this one is in the log (or was, before it wrapped). A watch created "now" starts
     * after it.
     */
    public long publishedRevision() {
        return publishedRev;
    }

    /**
     * Where a reader of the fan-out log starts: a cursor at the log's end and the revision just
     * before it. Every revision up to {@code lastRevision} is behind the cursor (or only in history);
     * the cursor polls what comes after it (and possibly, in a race, a revision it already counts,
     * which a reader skips as seen).
     */
    public record Subscription(EventLog.Cursor<RevisionEvents> cursor, long lastRevision) {
    }

    /**
     * A cursor at the end of the fan-out log and the revision it follows, from any thread.
     *
     * <p>Not simply {@code newCursor()} and {@link #publishedRevision()}: the writer appends a
     * revision's events before it publishes the revision, so the log can hold revision r + 1 while
     * the published revision is still r. A reader that took r as "seen" with a cursor already past
     * r + 1 would wait for r + 1 until some later write (found by {@code MvccStoreLincheckTest}; see
     * {@code jcstress.SubscribeStress}). So the revision is taken from the element just before the
     * cursor, or the published one when that is newer (after a snapshot restore the log is not
     * replayed). Over-counting in a race is safe (the reader skips the element), under-counting is not.
     */
    public Subscription subscribe() {
        if (events == null) {
            throw new IllegalStateException("this store has no event log");
        }
        EventLog.Cursor<RevisionEvents> cursor = events.newCursor();
        long last = publishedRev; // read after the tail: never older than what the tail covers, except the racing append
        long before = cursor.position() - 1;
        if (before >= 0) {
            try {
                RevisionEvents e = events.newCursor(before).poll();
                if (e != null) {
                    last = Math.max(last, e.revision());
                }
            } catch (OverrunException lapped) {
                // The writer has since started the element `capacity` past it, so it has published
                // the one before that, whose revision is at least that element's.
                last = Math.max(last, publishedRev);
            }
        }
        return new Subscription(cursor, last);
    }

    /** The last compaction's revision, or -1 if never compacted. */
    public long compactRevision() {
        return compactRev;
    }

    /** Number of keys in the index, tombstoned ones included until compaction drops them. */
    public int indexedKeys() {
        return index.size();
    }

    /** The fan-out log this store publishes to (null if none). */
    public EventLog<RevisionEvents> eventLog() {
        return events;
    }

    // ------------------------------------------------------------------------------------ reads

    /** A Range with all of etcd's options; {@code header.revision} is the current revision. */
    public RangeResponse range(RangeRequest r) {
        return range(r, currentRev);
    }

    /**
     * A Range at the published revision, from <b>any thread</b>: reads, counting and the response's
     * building stay off the owner (the Raft apply thread), so a large list cannot delay heartbeats.
     * Safe without locks because a write never changes an existing {@link KeyRevision} (it links a
     * new head into the concurrent index), and compaction to {@code c} only cuts history below the
     * newest revision at or below {@code c}, which no read at {@code c} or later needs; a read of an
     * older revision that a compaction overtook is refused afterwards as etcd refuses it. A snapshot
     * restore swaps the whole index; a read that overlapped one is retried.
     */
    public RangeResponse rangePublished(RangeRequest r) {
        while (true) {
            long seq = restoreSeq;
            if ((seq & 1) != 0) {
                Thread.onSpinWait();
                continue;
            }
            long readRev = publishedRev;
            RangeResponse resp;
            try {
                resp = range(r, readRev);
            } catch (KvException e) {
                if (e.error() == KvError.COMPACTED && r.getRevision() <= 0) {
                    continue; // the owner compacted past the "now" we took (we lagged): take the newer now
                }
                throw e;
            }
            long rev = r.getRevision() > 0 ? r.getRevision() : readRev;
            if (restoreSeq != seq) {
                continue;
            }
            if (rev < compactRev) {
                if (r.getRevision() <= 0) {
                    continue; // a read of "now" that a compaction overtook: read the newer now
                }
                throw KvError.COMPACTED.exception(); // compacted while we read
            }
            return resp;
        }
    }

    /**
     * etcd's HashKV from any thread (like {@link #rangePublished}): a CRC-32C over the MVCC state
     * that revision {@code rev} (0: the published one) still serves — every key revision at or below
     * it that is newer than the compaction revision, and each key's newest revision at or below the
     * compaction revision unless that is a tombstone (what etcd's compaction keeps). Members that
     * applied the same log agree on it whatever their physical compaction progress; a member whose
     * state diverged does not. Returns {@code [hash, compactRevision, revision]}.
     */
    public long[] hashKv(long rev) {
        while (true) {
            long seq = restoreSeq;
            if ((seq & 1) != 0) {
                Thread.onSpinWait();
                continue;
            }
            long readRev = publishedRev;
            long compacted = compactRev;
            long at = rev > 0 ? rev : readRev;
            if (at > readRev) {
                throw KvError.FUTURE_REV.exception();
            }
            if (at < compacted) {
                throw KvError.COMPACTED.exception();
            }
            java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
            ByteBuffer num = ByteBuffer.allocate(8 * 5 + 4);
            for (KeyRevision head : index.values()) {
                for (KeyRevision r = head.at(at); r != null; r = r.older) {
                    boolean kept = r.mod <= compacted;
                    if (!(kept && r.isTombstone())) {
                        crc.update(r.key);
                        num.clear();
                        num.putLong(r.mod).putInt(r.sub).putLong(r.create).putLong(r.version).putLong(r.lease)
                                .putLong(r.value == null ? -1 : r.value.length);
                        crc.update(num.array(), 0, num.position());
                        if (r.value != null) {
                            crc.update(r.value);
                        }
                    }
                    if (kept) {
                        break; // older history is compacted away (or about to be)
                    }
                }
            }
            if (restoreSeq != seq || compactRev != compacted) {
                continue;
            }
            return new long[] {crc.getValue(), compacted, readRev};
        }
    }

    /** Work left for {@link #compactionStep}: revisions whose history still awaits dropping. */
    public long compactionBacklog() {
        return Math.max(0, Math.min(compactPendingTo, revLogBase + revLog.size()) - revLogBase);
    }

    /** A read-only {@link #txn} (see {@link #isReadOnly}) at the published revision, from any thread, like {@link #rangePublished}. */
    public TxnResponse readOnlyTxnPublished(TxnRequest t) {
        if (!isReadOnly(t)) {
            throw new IllegalArgumentException("not a read-only txn");
        }
        while (true) {
            long seq = restoreSeq;
            if ((seq & 1) != 0) {
                Thread.onSpinWait();
                continue;
            }
            long readRev = publishedRev;
            List<Boolean> path = new ArrayList<>();
            choosePath(t, path, readRev);
            int[] cursor = {0};
            checkBranch(t, path, cursor, readRev);
            cursor[0] = 0;
            TxnResponse.Builder resp;
            try {
                resp = readTxn(t, path, cursor, readRev);
            } catch (KvException e) {
                if (e.error() == KvError.COMPACTED && readRev < compactRev && restoreSeq == seq) {
                    continue; // overtaken by a compaction while reading "now"
                }
                throw e;
            }
            if (restoreSeq != seq || readRev < compactRev) {
                continue;
            }
            return resp.setHeader(header(readRev)).build();
        }
    }

    private TxnResponse.Builder readTxn(TxnRequest t, List<Boolean> path, int[] cursor, long readRev) {
        boolean ok = path.get(cursor[0]++);
        TxnResponse.Builder resp = TxnResponse.newBuilder().setSucceeded(ok);
        for (RequestOp op : ok ? t.getSuccessList() : t.getFailureList()) {
            ResponseOp.Builder r = ResponseOp.newBuilder();
            switch (op.getRequestCase()) {
                case REQUEST_RANGE -> {
                    RangeRequest rr = op.getRequestRange();
                    r.setResponseRange(range(rr, readRev));
                    if (rr.getRevision() > 0 && rr.getRevision() < compactRev) {
                        throw KvError.COMPACTED.exception();
                    }
                }
                case REQUEST_TXN -> r.setResponseTxn(readTxn(op.getRequestTxn(), path, cursor, readRev)
                        .setHeader(ResponseHeader.getDefaultInstance()).build());
                default -> { }
            }
            resp.addResponses(r);
        }
        return resp;
    }

    private RangeResponse range(RangeRequest r, long readRev) {
        long limit = r.getLimit();
        boolean sortOrFilter = r.getSortOrder() != RangeRequest.SortOrder.NONE || r.getMinModRevision() != 0
                || r.getMaxModRevision() != 0 || r.getMinCreateRevision() != 0 || r.getMaxCreateRevision() != 0;
        if (sortOrFilter) {
            limit = 0; // fetch everything; sort and truncate afterwards (as etcd does)
        }
        if (limit > 0) {
            limit++; // one extra for 'more'
        }
        long rev = r.getRevision();
        checkReadRevision(rev, readRev);
        if (rev <= 0) {
            rev = readRev;
        }
        List<KeyRevision> kvs = new ArrayList<>();
        int count = collect(r.getKey().toByteArray(), rangeEnd(r.getRangeEnd()), rev, limit, r.getCountOnly(), kvs);

        if (r.getMaxModRevision() != 0) {
            kvs.removeIf(kv -> kv.mod > r.getMaxModRevision());
        }
        if (r.getMinModRevision() != 0) {
            kvs.removeIf(kv -> kv.mod < r.getMinModRevision());
        }
        if (r.getMaxCreateRevision() != 0) {
            kvs.removeIf(kv -> kv.create > r.getMaxCreateRevision());
        }
        if (r.getMinCreateRevision() != 0) {
            kvs.removeIf(kv -> kv.create < r.getMinCreateRevision());
        }
        RangeRequest.SortOrder order = r.getSortOrder();
        if (r.getSortTarget() != RangeRequest.SortTarget.KEY && order == RangeRequest.SortOrder.NONE) {
            order = RangeRequest.SortOrder.ASCEND; // results come in key order; other targets sort ascending
        }
        if (order == RangeRequest.SortOrder.ASCEND || order == RangeRequest.SortOrder.DESCEND) {
            Comparator<KeyRevision> c = switch (r.getSortTarget()) {
                case VERSION -> Comparator.comparingLong(kv -> kv.version);
                case CREATE -> Comparator.comparingLong(kv -> kv.create);
                case MOD -> Comparator.comparingLong(kv -> kv.mod);
                case VALUE -> (a, b) -> Arrays.compareUnsigned(a.value, b.value);
                default -> (a, b) -> Arrays.compareUnsigned(a.key, b.key);
            };
            kvs.sort(order == RangeRequest.SortOrder.DESCEND ? c.reversed() : c);
        }
        boolean more = false;
        if (r.getLimit() > 0 && kvs.size() > r.getLimit()) {
            kvs = kvs.subList(0, (int) r.getLimit());
            more = true;
        }
        RangeResponse.Builder b = RangeResponse.newBuilder().setHeader(header(readRev)).setMore(more).setCount(count);
        for (KeyRevision kv : kvs) {
            b.addKvs(toKeyValue(kv, r.getKeysOnly()));
        }
        return b.build();
    }

    private void checkReadRevision(long rev, long readRev) {
        if (rev > readRev) {
            throw KvError.FUTURE_REV.exception();
        }
        if (rev > 0 && rev < compactRev) {
            throw KvError.COMPACTED.exception();
        }
        if (rev <= 0 && readRev < compactRev) {
            throw KvError.COMPACTED.exception();
        }
    }

    /**
     * Collects the live revisions at {@code rev} of the keys in [key, end) and returns how many
     * there are in total. {@code end == null}: the single key; empty: no upper bound.
     */
    private int collect(byte[] key, byte[] end, long rev, long limit, boolean countOnly, List<KeyRevision> out) {
        int count = 0;
        for (KeyRevision head : heads(key, end)) {
            KeyRevision kv = head.at(rev);
            if (kv == null || kv.isTombstone()) {
                continue;
            }
            count++;
            if (!countOnly && (limit <= 0 || out.size() < limit)) {
                out.add(kv);
            }
        }
        return count;
    }

    private Collection<KeyRevision> heads(byte[] key, byte[] end) {
        NavigableMap<byte[], KeyRevision> index = this.index;
        if (end == null) {
            KeyRevision head = index.get(key);
            return head == null ? List.of() : List.of(head);
        }
        if (end.length == 0) {
            return index.tailMap(key, true).values();
        }
        if (Arrays.compareUnsigned(key, end) >= 0) {
            return List.of();
        }
        return index.subMap(key, true, end, false).values();
    }

    /** etcd's {@code mkGteRange}: "\0" means "no upper bound", empty means "just the key". */
    static byte[] rangeEnd(ByteString end) {
        if (end.isEmpty()) {
            return null;
        }
        if (end.size() == 1 && end.byteAt(0) == 0) {
            return NO_VALUE;
        }
        return end.toByteArray();
    }

    // ------------------------------------------------------------------------------------ writes

    /** The write transaction in progress: all its changes get one revision. */
    private final class WriteTxn {
        final long rev = currentRev + 1;
        int sub;
        final ArrayList<KeyRevision> changes = new ArrayList<>(2);

        long readRev() {
            return changes.isEmpty() ? currentRev : rev;
        }

        /** Puts and returns the previous live revision, or null. */
        KeyRevision put(byte[] key, byte[] value, long lease) {
            KeyRevision head = index.get(key);
            KeyRevision live = head != null && !head.isTombstone() ? head : null;
            byte[] k = head != null ? head.key : key;
            KeyRevision r = new KeyRevision(k, rev, sub++, live != null ? live.create : rev,
                    live != null ? live.version + 1 : 1, lease, value, head);
            index.put(k, r);
            sizeBytes += (head == null ? keyBytes(k) : 0) + revisionBytes(r);
            if (live != null && live.lease != 0 && live.lease != lease) {
                detach(live.lease, k);
            }
            if (lease != 0) {
                Lease l = leases.get(lease);
                if (l != null) {
                    l.keys.add(k);
                }
            }
            changes.add(r);
            return live;
        }

        /** Deletes the live keys of [key, end) and returns their last revisions, in key order. */
        List<KeyRevision> deleteRange(byte[] key, byte[] end) {
            List<KeyRevision> deleted = new ArrayList<>();
            for (KeyRevision head : heads(key, end)) {
                if (!head.isTombstone()) {
                    deleted.add(head);
                }
            }
            for (KeyRevision live : deleted) {
                KeyRevision tomb = new KeyRevision(live.key, rev, sub++, 0, 0, 0, null, live);
                index.put(live.key, tomb);
                sizeBytes += revisionBytes(tomb);
                if (live.lease != 0) {
                    detach(live.lease, live.key);
                }
                changes.add(tomb);
            }
            return deleted;
        }

        /** Ends the transaction; returns the store revision after it. */
        long commit() {
            if (changes.isEmpty()) {
                return currentRev;
            }
            currentRev = rev;
            KeyRevision[] entry = changes.toArray(new KeyRevision[0]);
            revLog.add(entry);
            if (events != null) {
                events.append(toEvents(rev, entry));
            }
            publishedRev = rev;
            return currentRev;
        }
    }

    private void detach(long leaseId, byte[] key) {
        Lease l = leases.get(leaseId);
        if (l != null) {
            l.keys.remove(key);
        }
    }

    public PutResponse put(PutRequest p) {
        checkPut(p, currentRev);
        WriteTxn txn = new WriteTxn();
        PutResponse resp = doPut(txn, p);
        txn.commit();
        return resp;
    }

    private void checkPut(PutRequest p, long readRev) {
        if (p.getLease() != 0 && !leases.containsKey(p.getLease())) {
            throw KvError.LEASE_NOT_FOUND.exception();
        }
        if (p.getIgnoreValue() || p.getIgnoreLease()) {
            KeyRevision head = index.get(p.getKey().toByteArray());
            KeyRevision kv = head == null ? null : head.at(readRev);
            if (kv == null || kv.isTombstone()) {
                throw KvError.KEY_NOT_FOUND.exception();
            }
        }
    }

    private PutResponse doPut(WriteTxn txn, PutRequest p) {
        byte[] key = p.getKey().toByteArray();
        byte[] value = p.getValue().toByteArray();
        long lease = p.getLease();
        KeyRevision head = index.get(key);
        KeyRevision prev = head == null ? null : head.at(txn.readRev());
        if (prev != null && prev.isTombstone()) {
            prev = null;
        }
        if (p.getIgnoreValue()) {
            value = prev.value;
        }
        if (p.getIgnoreLease()) {
            lease = prev.lease;
        }
        txn.put(key, value, lease);
        PutResponse.Builder b = PutResponse.newBuilder().setHeader(header(txn.rev));
        if (p.getPrevKv() && prev != null) {
            b.setPrevKv(toKeyValue(prev, false));
        }
        return b.build();
    }

    public DeleteRangeResponse deleteRange(DeleteRangeRequest d) {
        WriteTxn txn = new WriteTxn();
        DeleteRangeResponse resp = doDelete(txn, d);
        txn.commit();
        return resp;
    }

    private DeleteRangeResponse doDelete(WriteTxn txn, DeleteRangeRequest d) {
        List<KeyRevision> deleted = txn.deleteRange(d.getKey().toByteArray(), rangeEnd(d.getRangeEnd()));
        DeleteRangeResponse.Builder b = DeleteRangeResponse.newBuilder()
                .setHeader(header(txn.readRev())).setDeleted(deleted.size());
        if (d.getPrevKv()) {
            for (KeyRevision kv : deleted) {
                b.addPrevKvs(toKeyValue(kv, false));
            }
        }
        return b.build();
    }

    /**
     * A transaction: all compares (and those of nested transactions) are evaluated against the
     * state before it, then the chosen branch runs as one write transaction with one revision.
     */
    public TxnResponse txn(TxnRequest t) {
        List<Boolean> path = new ArrayList<>();
        choosePath(t, path, currentRev);
        int[] cursor = {0};
        checkBranch(t, path, cursor, currentRev);
        WriteTxn txn = new WriteTxn();
        cursor[0] = 0;
        TxnResponse.Builder resp = applyTxn(txn, t, path, cursor);
        long rev = txn.commit();
        return resp.setHeader(header(rev)).build();
    }

    /** True if the transaction cannot write (etcd serves such transactions like reads). */
    public static boolean isReadOnly(TxnRequest t) {
        for (List<RequestOp> ops : List.of(t.getSuccessList(), t.getFailureList())) {
            for (RequestOp op : ops) {
                switch (op.getRequestCase()) {
                    case REQUEST_PUT, REQUEST_DELETE_RANGE -> {
                        return false;
                    }
                    case REQUEST_TXN -> {
                        if (!isReadOnly(op.getRequestTxn())) {
                            return false;
                        }
                    }
                    default -> { }
                }
            }
        }
        return true;
    }

    private void choosePath(TxnRequest t, List<Boolean> path, long readRev) {
        boolean ok = true;
        for (Compare c : t.getCompareList()) {
            if (!compare(c, readRev)) {
                ok = false;
                break;
            }
        }
        path.add(ok);
        for (RequestOp op : ok ? t.getSuccessList() : t.getFailureList()) {
            if (op.hasRequestTxn()) {
                choosePath(op.getRequestTxn(), path, readRev);
            }
        }
    }

    private void checkBranch(TxnRequest t, List<Boolean> path, int[] cursor, long readRev) {
        boolean ok = path.get(cursor[0]++);
        for (RequestOp op : ok ? t.getSuccessList() : t.getFailureList()) {
            switch (op.getRequestCase()) {
                case REQUEST_PUT -> checkPut(op.getRequestPut(), readRev);
                case REQUEST_RANGE -> {
                    long rev = op.getRequestRange().getRevision();
                    if (rev > readRev) {
                        throw KvError.FUTURE_REV.exception();
                    }
                    if (rev > 0 && rev < compactRev) {
                        throw KvError.COMPACTED.exception();
                    }
                }
                case REQUEST_TXN -> checkBranch(op.getRequestTxn(), path, cursor, readRev);
                default -> { }
            }
        }
    }

    private TxnResponse.Builder applyTxn(WriteTxn txn, TxnRequest t, List<Boolean> path, int[] cursor) {
        boolean ok = path.get(cursor[0]++);
        TxnResponse.Builder resp = TxnResponse.newBuilder().setSucceeded(ok);
        for (RequestOp op : ok ? t.getSuccessList() : t.getFailureList()) {
            ResponseOp.Builder r = ResponseOp.newBuilder();
            switch (op.getRequestCase()) {
                case REQUEST_RANGE -> r.setResponseRange(range(op.getRequestRange(), txn.readRev()));
                case REQUEST_PUT -> r.setResponsePut(doPut(txn, op.getRequestPut()));
                case REQUEST_DELETE_RANGE -> r.setResponseDeleteRange(doDelete(txn, op.getRequestDeleteRange()));
                case REQUEST_TXN -> {
                    TxnResponse.Builder nested = applyTxn(txn, op.getRequestTxn(), path, cursor);
                    r.setResponseTxn(nested.setHeader(ResponseHeader.getDefaultInstance()).build());
                }
                default -> { }
            }
            resp.addResponses(r);
        }
        return resp;
    }

    /** etcd's {@code applyCompare}: true if every key in the compare's range satisfies it. */
    private boolean compare(Compare c, long readRev) {
        List<KeyRevision> kvs = new ArrayList<>();
        collect(c.getKey().toByteArray(), rangeEnd(c.getRangeEnd()), readRev, 0, false, kvs);
        int target = c.getTargetValue();
        if (kvs.isEmpty()) {
            if (target == Compare.CompareTarget.VALUE_VALUE) {
                return false; // a missing key has no value to compare, not even an empty one
            }
            return compareOne(c, target, null);
        }
        for (KeyRevision kv : kvs) {
            if (!compareOne(c, target, kv)) {
                return false;
            }
        }
        return true;
    }

    /** Field 8 of etcd 3.4's Compare (the lease target), which jetcd's older proto does not know. */
    private static final int COMPARE_LEASE_TARGET = 4;
    private static final int COMPARE_LEASE_FIELD = 8;

    private static boolean compareOne(Compare c, int target, KeyRevision kv) {
        int cmp;
        switch (target) {
            case Compare.CompareTarget.VALUE_VALUE -> cmp = Arrays.compareUnsigned(kv.value, c.getValue().toByteArray());
            case Compare.CompareTarget.VERSION_VALUE -> cmp = Long.compare(kv == null ? 0 : kv.version, c.getVersion());
            case Compare.CompareTarget.CREATE_VALUE -> cmp = Long.compare(kv == null ? 0 : kv.create, c.getCreateRevision());
            case Compare.CompareTarget.MOD_VALUE -> cmp = Long.compare(kv == null ? 0 : kv.mod, c.getModRevision());
            case COMPARE_LEASE_TARGET -> {
                var field = c.getUnknownFields().getField(COMPARE_LEASE_FIELD);
                long lease = field == null || field.getVarintList().isEmpty() ? 0 : field.getVarintList().get(0);
                cmp = Long.compare(kv == null ? 0 : kv.lease, lease);
            }
            default -> {
                return false;
            }
        }
        return switch (c.getResultValue()) {
            case Compare.CompareResult.EQUAL_VALUE -> cmp == 0;
            case Compare.CompareResult.NOT_EQUAL_VALUE -> cmp != 0;
            case Compare.CompareResult.GREATER_VALUE -> cmp > 0;
            case Compare.CompareResult.LESS_VALUE -> cmp < 0;
            default -> false;
        };
    }

    // ------------------------------------------------------------------------------- compaction

    /** Drops history below {@code rev}: reads and watches at lower revisions get {@link KvError#COMPACTED}. */
    public CompactionResponse compact(CompactionRequest c) {
        long rev = c.getRevision();
        if (rev <= compactRev) {
            throw KvError.COMPACTED.exception();
        }
        if (rev > currentRev) {
            throw KvError.FUTURE_REV.exception();
        }
        compactRev = rev; // from here on reads and watches below rev are refused: the logical compaction
        historyRewrites++;
        // etcd drops a tombstone at exactly the compaction revision: its event is gone from history too.
        if (rev >= revLogBase && rev < revLogBase + revLog.size()) {
            int i = (int) (rev - revLogBase);
            KeyRevision[] entry = revLog.get(i);
            KeyRevision[] kept = Arrays.stream(entry).filter(r -> !r.isTombstone()).toArray(KeyRevision[]::new);
            if (kept.length != entry.length) {
                for (KeyRevision r : entry) {
                    if (r.isTombstone()) {
                        compactKey(r.key, rev);
                    }
                }
                revLog.set(i, kept);
            }
        }
        compactPendingTo = rev;
        compactionStep(COMPACTION_BATCH_REVISIONS);
        return CompactionResponse.newBuilder().setHeader(header(currentRev)).build();
    }

    /** Revisions of history one {@link #compactionStep} drops at most (etcd compacts in batches too). */
    public static final int COMPACTION_BATCH_REVISIONS = 10_000;

    /**
     * Drops the history of up to {@code maxRevisions} revisions below the last compaction revision;
     * returns how many it dropped. A compaction of a long history is done in such steps — the state
     * machine runs one before every command it applies — instead of all at once on the apply thread,
     * where it held up heartbeats and could cost an election. Until its steps are done the old
     * revisions only take memory: reads and watches below the compaction revision are refused from
     * the moment it is applied. Deterministic: every member steps at the same commands.
     */
    public int compactionStep(int maxRevisions) {
        long dropUpTo = Math.min(compactPendingTo, revLogBase + revLog.size()); // revisions < rev lose their log entries
        int drop = (int) Math.min(maxRevisions, Math.max(0, dropUpTo - revLogBase));
        if (drop == 0) {
            return 0;
        }
        for (int i = 0; i < drop; i++) {
            for (KeyRevision changed : revLog.get(i)) {
                compactKey(changed.key, compactPendingTo);
            }
        }
        revLog.subList(0, drop).clear();
        revLogBase += drop;
        historyRewrites++;
        return drop;
    }

    /** Bytes of the retained history (keys, revisions, values; as serialized): the quota's measure. Any thread. */
    public long sizeBytes() {
        return sizeBytes;
    }

    private static long keyBytes(byte[] key) {
        return 4 + key.length + 4;
    }

    private static long revisionBytes(KeyRevision r) {
        return 8 + 4 + 8 + 8 + 8 + 4 + (r.value == null ? 0 : r.value.length);
    }

    private void recomputeSize() {
        long size = EMPTY_BYTES;
        for (KeyRevision head : index.values()) {
            size += keyBytes(head.key);
            for (KeyRevision r = head; r != null; r = r.older) {
                size += revisionBytes(r);
            }
        }
        sizeBytes = size;
    }

    /** Keeps the revisions above {@code rev} and the newest at or below it unless that is a tombstone. */
    private void compactKey(byte[] key, long rev) {
        KeyRevision head = index.get(key);
        if (head == null) {
            return;
        }
        KeyRevision newer = null;
        KeyRevision r = head;
        while (r != null && r.mod > rev) {
            newer = r;
            r = r.older;
        }
        if (r == null) {
            return;
        }
        if (r.isTombstone()) {
            if (newer == null) {
                index.remove(key);
                sizeBytes -= keyBytes(key) + chainBytes(r);
            } else {
                newer.older = null;
                sizeBytes -= chainBytes(r);
            }
        } else {
            sizeBytes -= chainBytes(r.older);
            r.older = null;
        }
    }

    /** Bytes of {@code r} and every older revision of its key. */
    private static long chainBytes(KeyRevision r) {
        long bytes = 0;
        for (; r != null; r = r.older) {
            bytes += revisionBytes(r);
        }
        return bytes;
    }

    // ------------------------------------------------------------------------------------ leases

    /** Grants a lease; {@code id} must be non-zero (the proposer picks one). Returns the granted TTL. */
    public long leaseGrant(long id, long ttl) {
        if (ttl > MAX_LEASE_TTL) {
            throw KvError.LEASE_TTL_TOO_LARGE.exception();
        }
        if (leases.containsKey(id)) {
            throw KvError.LEASE_EXIST.exception();
        }
        long granted = Math.max(ttl, minLeaseTtl);
        Lease l = new Lease(id, granted, ++lastLeaseStamp);
        leases.put(id, l);
        leaseObserver.refreshed(id, granted, l.stamp);
        return granted;
    }

    /** Revokes a lease, deleting its keys in one revision; returns the revision after. */
    public long leaseRevoke(long id) {
        Lease l = leases.remove(id);
        if (l == null) {
            throw KvError.LEASE_NOT_FOUND.exception();
        }
        WriteTxn txn = new WriteTxn();
        for (byte[] key : new ArrayList<>(l.keys)) {
            txn.deleteRange(key, null);
        }
        leaseObserver.removed(id);
        return txn.commit();
    }

    /** Restarts a lease's TTL (the observer learns it); returns the granted TTL. */
    public long leaseKeepAlive(long id) {
        Lease l = leases.get(id);
        if (l == null) {
            throw KvError.LEASE_NOT_FOUND.exception();
        }
        l.stamp = ++lastLeaseStamp;
        leaseObserver.refreshed(id, l.ttl, l.stamp);
        return l.ttl;
    }

    /**
     * Applies an expiry the leader decided when the lease's refresh stamp was {@code decidedOnStamp}:
     * revokes the lease only if no grant or keep-alive has been applied since. A keep-alive ordered
     * between the decision and this entry was acknowledged with a full TTL, so the lease must live
     * on (the leader's deadline restarts with it); a keep-alive ordered after this entry finds no
     * lease and gets not-found. Either way no acknowledged keep-alive is followed by its keys
     * vanishing. A negative stamp (entries from before stamps existed) revokes unconditionally.
     *
     * @return true if the lease was revoked
     */
    public boolean leaseExpire(long id, long decidedOnStamp) {
        Lease l = leases.get(id);
        if (l == null || (decidedOnStamp >= 0 && l.stamp != decidedOnStamp)) {
            return false;
        }
        leaseRevoke(id);
        return true;
    }

    /** The granted TTL of a lease, or -1 if there is no such lease. */
    public long leaseTtl(long id) {
        Lease l = leases.get(id);
        return l == null ? -1 : l.ttl;
    }

    /** The keys attached to a lease, in byte order (empty if none or no such lease). */
    public List<ByteString> leaseKeys(long id) {
        Lease l = leases.get(id);
        if (l == null) {
            return List.of();
        }
        List<ByteString> keys = new ArrayList<>(l.keys.size());
        for (byte[] k : l.keys) {
            keys.add(UnsafeByteOperations.unsafeWrap(k));
        }
        return keys;
    }

    /** All lease ids, ascending. */
    public long[] leaseIds() {
        long[] ids = new long[leases.size()];
        int i = 0;
        for (Long2ObjectHashMap<Lease>.KeyIterator it = leases.keySet().iterator(); it.hasNext(); ) {
            ids[i++] = it.nextLong();
        }
        Arrays.sort(ids);
        return ids;
    }

    /** Every lease with {@code [granted TTL, refresh stamp]}; for the expiry runtime when it starts. */
    public Map<Long, long[]> leaseStamps() {
        Map<Long, long[]> out = new TreeMap<>();
        leases.forEach((id, l) -> out.put(id, new long[] {l.ttl, l.stamp}));
        return out;
    }

    /** Every lease with its granted TTL; for the expiry runtime after a restore or a leader change. */
    public Map<Long, Long> leaseTtls() {
        Map<Long, Long> ttls = new TreeMap<>();
        leases.forEach((id, l) -> ttls.put(id, l.ttl));
        return ttls;
    }

    // ----------------------------------------------------------------------------------- history

    /**
     * Events of revisions {@code from} .. {@code upTo} from history, for watchers catching up.
     *
     * @param events the revisions found (revisions without surviving events are skipped)
     * @param upTo   the last revision covered; the caller continues from {@code upTo + 1}
     */
    public record History(List<RevisionEvents> events, long upTo) {
    }

    /**
     * History from revision {@code from}, at most {@code maxRevisions} revisions.
     *
     * @throws KvException {@link KvError#COMPACTED} if {@code from} is below the compaction revision
     */
    public History history(long from, int maxRevisions) {
        if (from < compactRev) {
            throw KvError.COMPACTED.exception();
        }
        long start = Math.max(from, revLogBase);
        long end = Math.min(currentRev, start + maxRevisions - 1);
        List<RevisionEvents> out = new ArrayList<>();
        for (long rev = start; rev <= end; rev++) {
            KeyRevision[] entry = revLog.get((int) (rev - revLogBase));
            if (entry.length > 0) {
                out.add(toEvents(rev, entry));
            }
        }
        return new History(out, Math.max(end, from - 1));
    }

    private static RevisionEvents toEvents(long rev, KeyRevision[] entry) {
        return new RevisionEvents(rev, entry);
    }

    // ------------------------------------------------------------------------------------ helpers

    private static ResponseHeader header(long revision) {
        return ResponseHeader.newBuilder().setRevision(revision).build();
    }

    static KeyValue toKeyValue(KeyRevision r, boolean keysOnly) {
        KeyValue.Builder b = KeyValue.newBuilder().setKey(UnsafeByteOperations.unsafeWrap(r.key))
                .setCreateRevision(r.create).setModRevision(r.mod).setVersion(r.version).setLease(r.lease);
        if (!keysOnly && r.value.length > 0) {
            b.setValue(UnsafeByteOperations.unsafeWrap(r.value));
        }
        return b.build();
    }

    // ---------------------------------------------------------------------------------- snapshot

    /** Serializes the whole store: revisions, compaction point, every retained key revision, leases. */
    public byte[] snapshot() {
        return capture().serialize();
    }

    /**
     * The store as it is now, taken on the owner thread in one pass over the index (the heads in key
     * order, the leases), to be serialized later — on any thread — into exactly the bytes
     * {@link #snapshot()} gives now. Writes after the capture do not disturb it: a write makes a
     * new head and never changes an existing revision. Only compaction (which cuts old history off
     * existing revisions) and {@link #restore} do; {@link SnapshotCapture#stillValid()} tells the
     * owner whether one ran since the capture, in which case the serialized bytes must be dropped.
     */
    public SnapshotCapture capture() {
        KeyRevision[] heads = index.values().toArray(new KeyRevision[0]);
        long[] ids = leaseIds();
        long[] ttls = new long[ids.length];
        long[] stamps = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            ttls[i] = leases.get(ids[i]).ttl;
            stamps[i] = leases.get(ids[i]).stamp;
        }
        return new SnapshotCapture(currentRev, compactRev, heads, ids, ttls, stamps, lastLeaseStamp, historyRewrites);
    }

    /** A {@link #capture()}: serialize on any thread, check {@link #stillValid()} on the owner thread. */
    public final class SnapshotCapture {
        private final long rev;
        private final long compactedAt;
        private final KeyRevision[] heads;
        private final long[] leaseIds;
        private final long[] leaseTtls;
        private final long[] leaseStampsById;
        private final long leaseStampCount;
        private final long rewritesAtCapture;

        private SnapshotCapture(long rev, long compactedAt, KeyRevision[] heads, long[] leaseIds, long[] leaseTtls,
                                long[] leaseStampsById, long leaseStampCount, long rewritesAtCapture) {
            this.leaseStampsById = leaseStampsById;
            this.leaseStampCount = leaseStampCount;
            this.rev = rev;
            this.compactedAt = compactedAt;
            this.heads = heads;
            this.leaseIds = leaseIds;
            this.leaseTtls = leaseTtls;
            this.rewritesAtCapture = rewritesAtCapture;
        }

        /** The store revision captured. */
        public long revision() {
            return rev;
        }

        /**
         * Owner thread only, after {@link #serialize()} returned: true if no compaction or restore ran
         * since the capture, so the serialized bytes are the store as captured.
         */
        public boolean stillValid() {
            return historyRewrites == rewritesAtCapture;
        }

        /** The snapshot bytes (the format {@link #restore} reads), from any thread. */
        public byte[] serialize() {
            return serialize(0);
        }

        /**
         * The snapshot bytes after {@code prefixBytes} bytes left free for the caller, in one array
         * of exactly that size (a big history is hundreds of MB: no growing buffer, no extra copy).
         */
        public byte[] serialize(int prefixBytes) {
            long size = 4 + 8 + 8 + 4;
            for (KeyRevision head : heads) {
                size += 4 + head.key.length + 4;
                for (KeyRevision r = head; r != null; r = r.older) {
                    size += 8 + 4 + 8 + 8 + 8 + 4 + (r.value == null ? 0 : r.value.length);
                }
            }
            size += 4 + 16L * leaseIds.length;
            size += 8 + 8L * leaseIds.length; // the lease stamps: a trailing section older readers never reach
            if (prefixBytes + size > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("store of " + size + " bytes too big for one snapshot; compact it");
            }
            byte[] bytes = new byte[(int) (prefixBytes + size)];
            ByteBuffer out = ByteBuffer.wrap(bytes).position(prefixBytes);
            out.putInt(SNAPSHOT_MAGIC);
            out.putLong(rev);
            out.putLong(compactedAt);
            out.putInt(heads.length);
            for (KeyRevision head : heads) {
                out.putInt(head.key.length).put(head.key);
                int n = 0;
                for (KeyRevision r = head; r != null; r = r.older) {
                    n++;
                }
                out.putInt(n);
                for (KeyRevision r = head; r != null; r = r.older) {
                    out.putLong(r.mod);
                    out.putInt(r.sub);
                    out.putLong(r.create);
                    out.putLong(r.version);
                    out.putLong(r.lease);
                    if (r.value == null) {
                        out.putInt(-1);
                    } else {
                        out.putInt(r.value.length).put(r.value);
                    }
                }
            }
            out.putInt(leaseIds.length);
            for (int i = 0; i < leaseIds.length; i++) {
                out.putLong(leaseIds[i]);
                out.putLong(leaseTtls[i]);
            }
            out.putLong(leaseStampCount);
            for (long stamp : leaseStampsById) {
                out.putLong(stamp);
            }
            if (out.hasRemaining()) {
                throw new IllegalStateException("snapshot size miscounted: " + out.remaining() + " bytes left");
            }
            return bytes;
        }
    }

    /** Replaces the whole store with a {@link #snapshot()}; the event log is not replayed. */
    public void restore(byte[] snapshot) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot));
            if (in.readInt() != SNAPSHOT_MAGIC) {
                throw new IllegalArgumentException("not an MVCC store snapshot");
            }
            for (long id : leaseIds()) {
                leaseObserver.removed(id);
            }
            historyRewrites++;
            restoreSeq++; // odd: concurrent readers wait and retry
            index = new ConcurrentSkipListMap<>(KEY_ORDER);
            compactPendingTo = 0;
            revLog.clear();
            leases.clear();
            currentRev = in.readLong();
            compactRev = in.readLong();
            revLogBase = Math.max(2, compactRev);
            List<List<KeyRevision>> byRev = new ArrayList<>();
            for (long r = revLogBase; r <= currentRev; r++) {
                byRev.add(new ArrayList<>(1));
            }
            int keys = in.readInt();
            for (int i = 0; i < keys; i++) {
                byte[] key = readBytes(in);
                int n = in.readInt();
                KeyRevision newest = null;
                KeyRevision last = null;
                for (int j = 0; j < n; j++) {
                    long mod = in.readLong();
                    int sub = in.readInt();
                    long create = in.readLong();
                    long version = in.readLong();
                    long lease = in.readLong();
                    int len = in.readInt();
                    byte[] value = len < 0 ? null : in.readNBytes(len);
                    KeyRevision r = new KeyRevision(key, mod, sub, create, version, lease, value, null);
                    if (last == null) {
                        newest = r;
                    } else {
                        last.older = r;
                    }
                    last = r;
                    if (mod >= revLogBase) {
                        byRev.get((int) (mod - revLogBase)).add(r);
                    }
                }
                index.put(key, newest);
            }
            for (List<KeyRevision> changes : byRev) {
                changes.sort(Comparator.comparingInt(r -> r.sub));
                revLog.add(changes.toArray(new KeyRevision[0]));
            }
            int leaseCount = in.readInt();
            long[] restoredIds = new long[leaseCount];
            for (int i = 0; i < leaseCount; i++) {
                long id = in.readLong();
                long ttl = in.readLong();
                leases.put(id, new Lease(id, ttl, 0));
                restoredIds[i] = id;
            }
            lastLeaseStamp = 0;
            if (in.available() > 0) { // snapshots taken before lease stamps end here (all stamps 0)
                lastLeaseStamp = in.readLong();
                for (long id : restoredIds) {
                    leases.get(id).stamp = in.readLong();
                }
            }
            for (KeyRevision head : index.values()) {
                if (!head.isTombstone() && head.lease != 0) {
                    Lease l = leases.get(head.lease);
                    if (l != null) {
                        l.keys.add(head.key);
                    }
                }
            }
            leases.forEach((id, l) -> leaseObserver.refreshed(id, l.ttl, l.stamp));
            publishedRev = currentRev;
            recomputeSize();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if ((restoreSeq & 1) != 0) {
                restoreSeq++; // even again: readers go on (with the new index)
            }
        }
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        return in.readNBytes(in.readInt());
    }

    /** For tests and the memory tool: the sorted view of the index. */
    NavigableMap<byte[], KeyRevision> index() {
        return index;
    }
}
