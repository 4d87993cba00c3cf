package io.kplane.etcd;

import io.etcd.jetcd.api.AlarmRequest;
import io.etcd.jetcd.api.AlarmType;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.kplane.kv.KvCommand;
import io.kplane.kv.KvError;
import io.kplane.kv.KvStateMachine;
import io.kplane.server.Replica;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * etcd's backend quota ({@code --quota-backend-bytes}) on the member that receives a write: a
 * put or txn that would grow the store beyond the quota raises the NOSPACE alarm (proposed through
 * Raft, so every member then refuses growing writes at apply time, as etcd's capped applier does)
 * and fails with {@code etcdserver: mvcc: database space exceeded} (RESOURCE_EXHAUSTED). Reads,
 * deletes and compaction go on; {@code etcdctl alarm disarm} clears the alarm once compaction has
 * made room (a write over the quota after that raises it again).
 *
 * <p>The store's size is {@link io.kplane.kv.MvccStore#sizeBytes()}: the retained history as a
 * snapshot holds it, read without a hop to the Raft thread.
 */
final class SpaceQuota {
    private static final Logger LOG = LoggerFactory.getLogger(SpaceQuota.class);

    /** No quota (unit tests of the API that do not run a member). */
    static final SpaceQuota NONE = new SpaceQuota(null, null, Long.MAX_VALUE, 0);

    private final Replica replica;
    private final KvStateMachine kv;
    private final long quotaBytes;
    private final long memberId;
    private final AtomicBoolean raising = new AtomicBoolean();

    SpaceQuota(Replica replica, KvStateMachine kv, long quotaBytes, long memberId) {
        this.replica = replica;
        this.kv = kv;
        this.quotaBytes = quotaBytes;
        this.memberId = memberId;
    }

    /** The error for a write adding {@code cost} bytes, or null if it may go ahead. */
    KvError check(long cost) {
        if (kv == null || cost == 0) {
            return null;
        }
        if (kv.noSpace()) {
            return KvError.NO_SPACE;
        }
        if (kv.store().sizeBytes() + cost <= quotaBytes) {
            return null;
        }
        if (raising.compareAndSet(false, true)) {
            LOG.warn("store size {} bytes + {} exceeds the quota of {} bytes: raising the NOSPACE alarm",
                    kv.store().sizeBytes(), cost, quotaBytes);
            AlarmRequest raise = AlarmRequest.newBuilder().setAction(AlarmRequest.AlarmAction.ACTIVATE)
                    .setMemberID(memberId).setAlarm(AlarmType.NOSPACE).build();
            replica.propose(KvCommand.ALARM.encode(raise)).whenComplete((r, e) -> {
                raising.set(false);
                if (e != null) {
                    LOG.warn("raising the NOSPACE alarm failed (retried on the next write over the quota): {}", e.toString());
                }
            });
        }
        return KvError.NO_SPACE;
    }

    /** What etcd's quota counts for a txn: the bytes of its puts (0 if it has none). */
    static long putBytes(TxnRequest t) {
        long n = 0;
        for (List<RequestOp> ops : List.of(t.getSuccessList(), t.getFailureList())) {
            for (RequestOp op : ops) {
                if (op.hasRequestPut()) {
                    n += op.getRequestPut().getSerializedSize();
                } else if (op.hasRequestTxn()) {
                    n += putBytes(op.getRequestTxn());
                }
            }
        }
        return n;
    }
}
