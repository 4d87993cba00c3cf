package io.kplane.kv;

import io.etcd.jetcd.api.AlarmMember;
import io.etcd.jetcd.api.AlarmRequest;
import io.etcd.jetcd.api.AlarmResponse;
import io.etcd.jetcd.api.AlarmType;
import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseGrantResponse;
import io.etcd.jetcd.api.LeaseKeepAliveRequest;
import io.etcd.jetcd.api.LeaseKeepAliveResponse;
import io.etcd.jetcd.api.LeaseRevokeRequest;
import io.etcd.jetcd.api.LeaseRevokeResponse;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.ResponseHeader;
import io.etcd.jetcd.api.TxnRequest;
import io.kplane.fanout.EventLog;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The replicated state machine of a store member: decodes {@link KvCommand}s and applies them to
 * the {@link MvccStore}, deterministically (no clock, no randomness: a lease granted without an id
 * gets one derived from the log index).
 */
public final class KvStateMachine {
    /** Revisions the watch fan-out keeps in memory before slow watchers catch up from history. */
    public static final int DEFAULT_EVENT_LOG_CAPACITY = 1 << 14;

    private final MvccStore store;
    private long appliedIndex;
    /**
     * Raised alarms, replicated like the data (etcd keeps them in its backend): while a NOSPACE
     * alarm is raised every member refuses the writes that grow the store (etcd's capped applier).
     * Owner thread writes; {@link #alarms()} may be read from any thread.
     */
    private volatile List<AlarmMember> alarms = List.of();
    private volatile Runnable commitListener = () -> { };

    public KvStateMachine() {
        this(DEFAULT_EVENT_LOG_CAPACITY, 2);
    }

    public KvStateMachine(int eventLogCapacity, long minLeaseTtl) {
        this.store = new MvccStore(new EventLog<>(eventLogCapacity), minLeaseTtl);
    }

    public MvccStore store() {
        return store;
    }

    /**
     * Called on the owner thread after every applied command that created a revision (and after a
     * restore): the watch dispatcher wakes up on it to read the new events from the fan-out log.
     */
    public void setCommitListener(Runnable listener) {
        this.commitListener = listener == null ? () -> { } : listener;
    }

    public byte[] apply(long index, byte[] command) {
        long before = store.currentRevision();
        try {
            return applyCommand(index, command);
        } finally {
            if (store.currentRevision() != before) {
                commitListener.run();
            }
        }
    }

    private byte[] applyCommand(long index, byte[] command) {
        appliedIndex = index;
        store.compactionStep(MvccStore.COMPACTION_BATCH_REVISIONS); // a long compaction, a slice at a time
        KvCommand type = KvCommand.of(command[0]);
        try {
            if (noSpace() && growsStore(type, command)) {
                return KvCommand.failed(KvError.NO_SPACE);
            }
            return switch (type) {
                case ALARM -> KvCommand.ok(alarm(KvCommand.body(command, AlarmRequest.parser())));
                case PUT -> KvCommand.ok(store.put(KvCommand.body(command, PutRequest.parser())));
                case DELETE_RANGE -> KvCommand.ok(store.deleteRange(KvCommand.body(command, DeleteRangeRequest.parser())));
                case TXN -> KvCommand.ok(store.txn(KvCommand.body(command, TxnRequest.parser())));
                case COMPACT -> KvCommand.ok(store.compact(KvCommand.body(command, CompactionRequest.parser())));
                case LEASE_GRANT -> {
                    LeaseGrantRequest g = KvCommand.body(command, LeaseGrantRequest.parser());
                    long id = g.getID() != 0 ? g.getID() : leaseIdFor(index);
                    long ttl = store.leaseGrant(id, g.getTTL());
                    yield KvCommand.ok(LeaseGrantResponse.newBuilder().setHeader(header()).setID(id).setTTL(ttl).build());
                }
                case LEASE_REVOKE -> {
                    long rev = store.leaseRevoke(KvCommand.body(command, LeaseRevokeRequest.parser()).getID());
                    yield KvCommand.ok(LeaseRevokeResponse.newBuilder()
                            .setHeader(ResponseHeader.newBuilder().setRevision(rev)).build());
                }
                case LEASE_EXPIRE -> {
                    LeaseRevokeRequest expire = KvCommand.body(command, LeaseRevokeRequest.parser());
                    store.leaseExpire(expire.getID(), KvCommand.expireStamp(expire));
                    yield KvCommand.ok(LeaseRevokeResponse.newBuilder().setHeader(header()).build());
                }
                case LEASE_KEEPALIVE -> {
                    long id = KvCommand.body(command, LeaseKeepAliveRequest.parser()).getID();
                    long ttl = store.leaseKeepAlive(id);
                    yield KvCommand.ok(LeaseKeepAliveResponse.newBuilder().setHeader(header()).setID(id).setTTL(ttl).build());
                }
            };
        } catch (KvException e) {
            return KvCommand.failed(e.error());
        }
    }

    /** The raised alarms (any thread). */
    public List<AlarmMember> alarms() {
        return alarms;
    }

    /** True while a NOSPACE alarm is raised (any thread). */
    public boolean noSpace() {
        for (AlarmMember a : alarms) {
            if (a.getAlarm() == AlarmType.NOSPACE) {
                return true;
            }
        }
        return false;
    }

    /** As etcd's capped applier: puts, txns with a put in either branch, lease grants. */
    private static boolean growsStore(KvCommand type, byte[] command) {
        return switch (type) {
            case PUT, LEASE_GRANT -> true;
            case TXN -> hasPut(KvCommand.body(command, TxnRequest.parser()));
            default -> false;
        };
    }

    static boolean hasPut(TxnRequest t) {
        for (List<io.etcd.jetcd.api.RequestOp> ops : List.of(t.getSuccessList(), t.getFailureList())) {
            for (io.etcd.jetcd.api.RequestOp op : ops) {
                if (op.hasRequestPut() || (op.hasRequestTxn() && hasPut(op.getRequestTxn()))) {
                    return true;
                }
            }
        }
        return false;
    }

    private AlarmResponse alarm(AlarmRequest r) {
        AlarmResponse.Builder resp = AlarmResponse.newBuilder().setHeader(header());
        List<AlarmMember> next = new ArrayList<>(alarms);
        switch (r.getAction()) {
            case ACTIVATE -> {
                if (r.getAlarm() == AlarmType.NONE) {
                    break;
                }
                AlarmMember m = AlarmMember.newBuilder().setMemberID(r.getMemberID()).setAlarm(r.getAlarm()).build();
                if (!next.contains(m)) {
                    next.add(m);
                }
                resp.addAlarms(m);
            }
            case DEACTIVATE -> {
                for (AlarmMember m : alarms) {
                    if (m.getMemberID() == r.getMemberID() && (r.getAlarm() == AlarmType.NONE || m.getAlarm() == r.getAlarm())) {
                        next.remove(m);
                        resp.addAlarms(m);
                    }
                }
            }
            default -> resp.addAllAlarms(alarms);
        }
        alarms = List.copyOf(next);
        return resp.build();
    }

    private ResponseHeader header() {
        return ResponseHeader.newBuilder().setRevision(store.currentRevision()).build();
    }

    /** A positive lease id derived from the log index (same on every member). */
    static long leaseIdFor(long index) {
        long z = index + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        long id = z & Long.MAX_VALUE;
        return id == 0 ? 1 : id;
    }

    public byte[] snapshot() {
        return capture().serialize();
    }

    /**
     * The state as it is now, to be serialized (into {@link #snapshot()}'s bytes of this moment) on
     * another thread while this one goes on applying; see {@link MvccStore#capture()}.
     */
    public Capture capture() {
        return new Capture(appliedIndex, alarms, store.capture());
    }

    /** A {@link #capture()}: serialize on any thread, check {@link #stillValid()} on the owner thread. */
    public static final class Capture {
        private final long index;
        private final List<AlarmMember> alarms;
        private final MvccStore.SnapshotCapture store;

        private Capture(long index, List<AlarmMember> alarms, MvccStore.SnapshotCapture store) {
            this.index = index;
            this.alarms = alarms;
            this.store = store;
        }

        /**
         * {@code index} (8 bytes; its top bit set when alarms follow: count, then member id and
         * alarm type each), then the MVCC store's snapshot.
         */
        public byte[] serialize() {
            int prefix = 8 + (alarms.isEmpty() ? 0 : 4 + 12 * alarms.size());
            byte[] bytes = store.serialize(prefix);
            ByteBuffer b = ByteBuffer.wrap(bytes);
            b.putLong(alarms.isEmpty() ? index : index | Long.MIN_VALUE);
            if (!alarms.isEmpty()) {
                b.putInt(alarms.size());
                for (AlarmMember a : alarms) {
                    b.putLong(a.getMemberID()).putInt(a.getAlarmValue());
                }
            }
            return bytes;
        }

        /** Owner thread only: false if a compaction or restore since the capture spoiled it. */
        public boolean stillValid() {
            return store.stillValid();
        }
    }

    public void restore(byte[] snapshot) {
        ByteBuffer b = ByteBuffer.wrap(snapshot);
        long first = b.getLong();
        long index = first & Long.MAX_VALUE;
        List<AlarmMember> restored = new ArrayList<>();
        if (first < 0) {
            int n = b.getInt();
            for (int i = 0; i < n; i++) {
                restored.add(AlarmMember.newBuilder().setMemberID(b.getLong()).setAlarmValue(b.getInt()).build());
            }
        }
        byte[] kv = new byte[b.remaining()];
        b.get(kv);
        store.restore(kv);
        alarms = List.copyOf(restored);
        appliedIndex = index;
        commitListener.run();
    }

    public long appliedIndex() {
        return appliedIndex;
    }
}
