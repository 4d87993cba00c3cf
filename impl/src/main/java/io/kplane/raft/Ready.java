package io.kplane.raft;

import java.util.List;

/**
 * Everything the application must do after the core changed state, in this order:
 *
 * <ol>
 *   <li><b>Persist</b>: {@code snapshot} (if not null), then {@code hardState} (if not null) and {@code entries}
 *       (appending; they may replace a conflicting suffix of the stored log). Must be durable before step 2.</li>
 *   <li><b>Send</b> {@code messages}. Vote grants and append acknowledgements among them promise that the state
 *       of step 1 is durable, which is why they only ever appear in the same Ready as (or a later Ready than) the
 *       entries and hard state they depend on.</li>
 *   <li><b>Apply</b> the snapshot data (if any), then {@code committedEntries}, to the state machine; serve the
 *       reads in {@code readStates} once their index is applied.</li>
 *   <li>Call {@link RaftNode#advance(Ready)} with this exact object.</li>
 * </ol>
 *
 * <p>{@link RaftNode#ready()} may not be called again before {@link RaftNode#advance(Ready)}; the core throws if
 * the contract is broken. {@code step}/{@code tick}/{@code propose} may be called in between; their effects
 * appear in the next Ready.
 *
 * @param softState        new leader/role, or null if unchanged
 * @param hardState        new term/vote/commit, or null if unchanged
 * @param entries          entries to append to stable storage
 * @param snapshot         snapshot to persist and apply, or null
 * @param messages         messages to send after persisting
 * @param committedEntries entries to apply, in order
 * @param readStates       completed read-index requests
 */
public record Ready(SoftState softState, HardState hardState, List<Entry> entries, Snapshot snapshot,
                    List<Message> messages, List<Entry> committedEntries, List<ReadState> readStates) {

    /** True if something must be made durable (synced) before the messages of this Ready are sent. */
    public boolean mustSync() {
        return hardState != null || !entries.isEmpty() || snapshot != null;
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    @Override
    public String toString() {
        return RaftText.ready(this);
    }
}
