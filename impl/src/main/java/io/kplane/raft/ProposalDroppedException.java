package io.kplane.raft;

/**
 * A proposal or read request could not be accepted: there is no known leader, a leadership transfer is in
 * progress, this node was removed, or a configuration change is already pending. Nothing was appended; the
 * caller may retry later (typically after a leader appears in a {@link SoftState}).
 */
public final class ProposalDroppedException extends RuntimeException {
    public ProposalDroppedException(String message) {
        super(message, null, false, false);
    }
}
