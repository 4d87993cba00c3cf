package io.kplane.raft;

/**
 * Observer of a {@link RaftNode} at the granularity of the actions of {@code tla/Raft.tla}: becoming
 * pre-candidate, candidate, leader or follower, entries appended by a leader, commit index advances, every
 * message sent and every message stepped, and the (re)start from storage. Set with
 * {@link RaftNode#setTracer(RaftTracer)}; without one the core pays a single null check per hook.
 *
 * <p>Called synchronously on the node's single writer thread, in the order things happen inside the core.
 * An implementation only observes: it must not call back into the node, and should be cheap (format and
 * buffer; do I/O elsewhere or in batches).
 */
@FunctionalInterface
public interface RaftTracer {
    void onEvent(RaftTraceEvent event);
}
