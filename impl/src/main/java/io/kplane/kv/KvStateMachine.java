package io.kplane.kv;

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
            return switch (type) {
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
        return new Capture(appliedIndex, store.capture());
    }

    /** A {@link #capture()}: serialize on any thread, check {@link #stillValid()} on the owner thread. */
    public static final class Capture {
        private final long index;
        private final MvccStore.SnapshotCapture store;

        private Capture(long index, MvccStore.SnapshotCapture store) {
            this.index = index;
            this.store = store;
        }

        public byte[] serialize() {
            byte[] bytes = store.serialize(8);
            ByteBuffer.wrap(bytes).putLong(index);
            return bytes;
        }

        /** Owner thread only: false if a compaction or restore since the capture spoiled it. */
        public boolean stillValid() {
            return store.stillValid();
        }
    }

    public void restore(byte[] snapshot) {
        ByteBuffer b = ByteBuffer.wrap(snapshot);
        long index = b.getLong();
        byte[] kv = new byte[b.remaining()];
        b.get(kv);
        store.restore(kv);
        appliedIndex = index;
        commitListener.run();
    }

    public long appliedIndex() {
        return appliedIndex;
    }
}
