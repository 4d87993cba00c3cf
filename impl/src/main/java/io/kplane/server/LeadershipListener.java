package io.kplane.server;

/**
 * Told when a member's view of leadership changes. Called on the member's Raft agent thread: it
 * must be quick and must not block (hand work to another thread if needed).
 */
@FunctionalInterface
public interface LeadershipListener {

    /**
     * @param leaderId  the new leader's id, or 0 when none is known
     * @param term      the current term
     * @param isLeader  true when this member is now the leader
     */
    void leadershipChanged(long leaderId, long term, boolean isLeader);
}
