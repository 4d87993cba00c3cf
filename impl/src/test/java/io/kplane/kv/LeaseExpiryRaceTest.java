package io.kplane.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseKeepAliveRequest;
import io.etcd.jetcd.api.LeaseKeepAliveResponse;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 defect 5: the leader decides to expire a lease (its deadline passed) and proposes the
 * expiry; a keep-alive proposed meanwhile (on any member) is ordered before the expiry in the log.
 * The keep-alive was acknowledged with a full TTL, so the expiry must not then delete the keys.
 */
class LeaseExpiryRaceTest {
    private final KvStateMachine sm = new KvStateMachine();
    private final Map<Long, Long> stampSeenByLeader = new HashMap<>();
    private long index;

    LeaseExpiryRaceTest() {
        sm.store().setLeaseObserver(new LeaseObserver() {
            @Override
            public void refreshed(long leaseId, long ttlSeconds, long stamp) {
                stampSeenByLeader.put(leaseId, stamp);
            }

            @Override
            public void removed(long leaseId) {
                stampSeenByLeader.remove(leaseId);
            }
        });
        apply(KvCommand.LEASE_GRANT.encode(LeaseGrantRequest.newBuilder().setID(7).setTTL(10).build()));
        apply(KvCommand.PUT.encode(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("owned"))
                .setValue(ByteString.copyFromUtf8("v")).setLease(7).build()));
    }

    private byte[] apply(byte[] command) {
        return sm.apply(++index, command);
    }

    private long keepAlive(long id) {
        byte[] r = apply(KvCommand.LEASE_KEEPALIVE.encode(LeaseKeepAliveRequest.newBuilder().setID(id).build()));
        return KvCommand.decodeResponse(r, LeaseKeepAliveResponse.parser()).getTTL();
    }

    private long keys() {
        return sm.store().range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("owned")).build()).getCount();
    }

    @Test
    void aKeepAliveAppliedBetweenTheExpiryDecisionAndTheExpiryKeepsTheLeaseAndItsKeys() {
        byte[] expiry = KvCommand.leaseExpire(7, stampSeenByLeader.get(7L)); // deadline passed: decided
        assertThat(keepAlive(7)).as("the racing keep-alive is acknowledged").isEqualTo(10);
        apply(expiry);
        assertThat(sm.store().leaseTtl(7)).as("the acknowledged lease lives on").isEqualTo(10);
        assertThat(keys()).isEqualTo(1);
    }

    @Test
    void aKeepAliveAppliedAfterTheExpiryGetsNotFound() {
        apply(KvCommand.leaseExpire(7, stampSeenByLeader.get(7L)));
        assertThat(keys()).isZero();
        assertThatThrownBy(() -> keepAlive(7)).isInstanceOf(KvException.class)
                .hasMessage("etcdserver: requested lease not found");
    }

    @Test
    void theRefreshStampSurvivesASnapshotSoRestoredMembersDecideAlike() {
        long decidedOn = stampSeenByLeader.get(7L);
        keepAlive(7);
        KvStateMachine restored = new KvStateMachine();
        restored.restore(sm.snapshot());
        restored.apply(index + 1, KvCommand.leaseExpire(7, decidedOn));
        sm.apply(++index, KvCommand.leaseExpire(7, decidedOn));
        assertThat(restored.store().leaseTtl(7)).isEqualTo(sm.store().leaseTtl(7)).isEqualTo(10);
        long current = stampSeenByLeader.get(7L);
        restored.apply(index + 1, KvCommand.leaseExpire(7, current));
        sm.apply(++index, KvCommand.leaseExpire(7, current));
        assertThat(restored.store().leaseTtl(7)).isEqualTo(sm.store().leaseTtl(7)).isEqualTo(-1);
        assertThat(restored.store().currentRevision()).isEqualTo(sm.store().currentRevision());
    }
}
