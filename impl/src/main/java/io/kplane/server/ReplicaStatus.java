package io.kplane.server;

import java.util.List;

/**
 * One member's view of the cluster at one moment.
 *
 * @param memberId     this member's id
 * @param clusterId    the cluster's id (derived from the initial cluster)
 * @param leaderId     the current leader's id, or 0 when none is known
 * @param term         the current Raft term
 * @param commitIndex  the highest log index known to be committed
 * @param appliedIndex the highest log index applied to the state machine
 * @param members      every member of the cluster, this one included
 * @param dbSize       size in bytes of the persisted state (WAL + snapshots), or -1 if unknown
 */
public record ReplicaStatus(long memberId, long clusterId, long leaderId, long term, long commitIndex,
                            long appliedIndex, List<Member> members, long dbSize) {

    public ReplicaStatus {
        members = List.copyOf(members);
    }

    /** True when this member believes it is the leader of {@link #term()}. */
    public boolean isLeader() {
        return leaderId != 0 && leaderId == memberId;
    }
}
