package io.kplane.server;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A member of the replicated store as the client-facing layer (the etcd API) sees it. Thread-safe:
 * every method may be called from any thread; work is handed to the member's Raft agent thread.
 */
public interface Replica {

    /**
     * Proposes a command. Completes with the {@link StateMachine#apply} response once the command
     * is committed and applied on <em>this</em> member. Works on followers (Raft forwards the
     * proposal to the leader; the result is matched by a request id carried in the entry).
     * Completes exceptionally with {@link NoLeaderException} when no leader is known,
     * {@link java.util.concurrent.TimeoutException} when the command was not applied in time
     * (it may still be applied later: the caller must treat the outcome as unknown), or
     * {@link ReplicaStoppedException} when the member shuts down.
     */
    CompletableFuture<byte[]> propose(byte[] command);

    /**
     * A linearizable read barrier (Raft ReadIndex, batched: all barriers requested in one duty cycle
     * share one round trip). Completes when this member has applied everything committed at the
     * moment of the call; a read of the local state machine after that is linearizable.
     * Fails like {@link #propose}.
     */
    CompletableFuture<Void> readBarrier();

    /** A consistent snapshot of this member's view of the cluster; cheap (a volatile read). */
    ReplicaStatus status();

    /**
     * Runs {@code task} on the thread that owns the state machine, between two applies, and
     * completes with its result. This is how serializable reads see a consistent state without
     * locks; after {@link #readBarrier()} completes the same call gives linearizable reads.
     * The task must be short and must not block.
     */
    <T> CompletableFuture<T> query(Function<StateMachine, T> task);

    /** Registers a listener told (on the Raft agent thread) whenever leader or term changes. */
    void addLeadershipListener(LeadershipListener listener);

    /**
     * Hands leadership to voter {@code target} (this member must lead). Completes with the leader
     * afterwards: {@code target} on success, another id or 0 if the transfer did not happen within
     * an election timeout. Fails with {@link IllegalStateException} if this member does not lead.
     */
    CompletableFuture<Long> moveLeader(long target);

    /** The WAL's fsync durations, or null for a member without a WAL. */
    default FsyncHistogram walFsyncs() {
        return null;
    }

    /**
     * A runtime membership change (etcd's MemberAdd/Remove/Update/Promote). Completes with the
     * members once the change is applied on this member; fails with {@link MembershipException}
     * when etcd's checks refuse it, or like {@link #propose}.
     */
    default CompletableFuture<java.util.List<Member>> changeMembership(MembershipChange change) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("membership changes are not supported here"));
    }
}
