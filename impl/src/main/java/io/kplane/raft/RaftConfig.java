package io.kplane.raft;

/**
 * Configuration of one {@link RaftNode}.
 *
 * @param id                        this node's id (&gt; 0)
 * @param electionTick              ticks without hearing from a leader before campaigning; the actual timeout is
 *                                  drawn from [electionTick, 2·electionTick) with the node's random source
 * @param heartbeatTick             ticks between leader heartbeats (must be &lt; electionTick)
 * @param preVote                   run a PreVote round before incrementing the term (avoids disruption by
 *                                  partitioned nodes)
 * @param checkQuorum               a leader steps down when a quorum was not heard from within an election
 *                                  timeout; followers ignore votes while they have a live leader
 * @param maxInflightMsgs           appends in flight per follower in replicate state
 * @param maxSizePerMsg             byte budget of one append message (at least one entry is always sent)
 * @param maxInflightBytes          bytes in flight per follower (0 = unlimited)
 * @param readOnlyOption            how read-index requests are confirmed ({@link ReadOnlyOption#LEASE_BASED} is
 *                                  clock-dependent and needs checkQuorum)
 * @param applied                   the application's applied index on restart (entries up to here are not
 *                                  handed out again); 0 = start from the snapshot
 * @param disableProposalForwarding followers drop proposals instead of forwarding them to the leader
 */
public record RaftConfig(long id, int electionTick, int heartbeatTick, boolean preVote, boolean checkQuorum,
                         int maxInflightMsgs, long maxSizePerMsg, long maxInflightBytes,
                         ReadOnlyOption readOnlyOption, long applied, boolean disableProposalForwarding) {

    public RaftConfig {
        if (id <= 0) throw new IllegalArgumentException("node id must be > 0, was " + id);
        if (heartbeatTick <= 0) throw new IllegalArgumentException("heartbeatTick must be > 0");
        if (electionTick <= heartbeatTick) throw new IllegalArgumentException("electionTick must be > heartbeatTick");
        if (maxInflightMsgs <= 0) throw new IllegalArgumentException("maxInflightMsgs must be > 0");
        if (maxSizePerMsg <= 0) throw new IllegalArgumentException("maxSizePerMsg must be > 0");
        if (maxInflightBytes < 0) throw new IllegalArgumentException("maxInflightBytes must be >= 0");
        if (readOnlyOption == null) readOnlyOption = ReadOnlyOption.SAFE;
        if (readOnlyOption == ReadOnlyOption.LEASE_BASED && !checkQuorum) {
            throw new IllegalArgumentException("LEASE_BASED reads require checkQuorum");
        }
        if (applied < 0) throw new IllegalArgumentException("applied must be >= 0");
    }

    /** Defaults: electionTick 10, heartbeatTick 1, PreVote and CheckQuorum on, 256 inflight, 1 MiB messages. */
    public static Builder builder(long id) {
        return new Builder(id);
    }

    public static RaftConfig defaults(long id) {
        return builder(id).build();
    }

    public Builder toBuilder() {
        return new Builder(id).electionTick(electionTick).heartbeatTick(heartbeatTick).preVote(preVote)
                .checkQuorum(checkQuorum).maxInflightMsgs(maxInflightMsgs).maxSizePerMsg(maxSizePerMsg)
                .maxInflightBytes(maxInflightBytes).readOnlyOption(readOnlyOption).applied(applied)
                .disableProposalForwarding(disableProposalForwarding);
    }

    /** Fluent construction of a {@link RaftConfig}. */
    public static final class Builder {
        private long id;
        private int electionTick = 10;
        private int heartbeatTick = 1;
        private boolean preVote = true;
        private boolean checkQuorum = true;
        private int maxInflightMsgs = 256;
        private long maxSizePerMsg = 1 << 20;
        private long maxInflightBytes = 0;
        private ReadOnlyOption readOnlyOption = ReadOnlyOption.SAFE;
        private long applied;
        private boolean disableProposalForwarding;

        private Builder(long id) {
            this.id = id;
        }

        public Builder id(long v) { id = v; return this; }
        public Builder electionTick(int v) { electionTick = v; return this; }
        public Builder heartbeatTick(int v) { heartbeatTick = v; return this; }
        public Builder preVote(boolean v) { preVote = v; return this; }
        public Builder checkQuorum(boolean v) { checkQuorum = v; return this; }
        public Builder maxInflightMsgs(int v) { maxInflightMsgs = v; return this; }
        public Builder maxSizePerMsg(long v) { maxSizePerMsg = v; return this; }
        public Builder maxInflightBytes(long v) { maxInflightBytes = v; return this; }
        public Builder readOnlyOption(ReadOnlyOption v) { readOnlyOption = v; return this; }
        public Builder applied(long v) { applied = v; return this; }
        public Builder disableProposalForwarding(boolean v) { disableProposalForwarding = v; return this; }

        public RaftConfig build() {
            return new RaftConfig(id, electionTick, heartbeatTick, preVote, checkQuorum, maxInflightMsgs,
                    maxSizePerMsg, maxInflightBytes, readOnlyOption, applied, disableProposalForwarding);
        }
    }
}
