package io.kplane.check.raft;

import java.util.List;
import java.util.Set;

/**
 * One of the bounded Raft models that {@code ./kplane check raft} runs when no bound is given.
 *
 * <p>No single small bound reaches every required behaviour: a check-quorum step-down needs three
 * timer events (two heartbeat rounds, then the check), a snapshot install needs a compaction, and
 * either one multiplies the state space of the restarts, drops and duplicates around it (three
 * timer events with one compaction ran out of memory past 5.8M states), and logs that diverge at
 * one index need three elections in three terms. So the default run is four searches, each
 * exhaustive and each required to reach what its bounds are for; together they cover all seven
 * behaviours, drops and duplicates, in about 570k distinct states.
 */
public record RaftPreset(String name, RaftModel.Config config, Set<String> required) {

    /** The default searches, in the order they run. */
    public static List<RaftPreset> defaults() {
        RaftModel.Config base = RaftModel.Config.defaults();
        return List.of(
                // elections, a proposal, a crash: 100,947 distinct states
                new RaftPreset("raft", bounds(base, 2, 1, 0, 0, 1, 0),
                        Set.of(RaftModel.CONCURRENT_CAMPAIGNS, RaftModel.LEADER_CHANGE, RaftModel.PROPOSAL_COMMITTED,
                                RaftModel.RESTART)),
                // a compaction, then a lagging follower caught up by SNAP, over a lossy network: 89,457
                new RaftPreset("raft-snapshot", bounds(base, 1, 0, 1, 1, 1, 1),
                        Set.of(RaftModel.SNAPSHOT_INSTALL, RaftModel.PROPOSAL_COMMITTED)),
                // a leader losing its quorum and stepping down on its own timer: 73,713
                new RaftPreset("raft-checkquorum", bounds(base, 3, 0, 1, 0, 0, 0),
                        Set.of(RaftModel.CHECK_QUORUM_STEP_DOWN, RaftModel.CONCURRENT_CAMPAIGNS, RaftModel.LEADER_CHANGE)),
                // leaders of terms 2, 3 and 4 appending at one index, their appends dropped: logs
                // diverge and an append must repair them (the log-matching check): 301,519
                new RaftPreset("raft-diverging", base.withTicks(3).withCompactions(0)
                        .withBounds(4, base.maxLogIndex(), base.maxMessages(), 0, 2, 0, 0, base.maxReads()),
                        Set.of(RaftModel.LOGS_DIVERGE, RaftModel.LEADER_CHANGE)));
    }

    private static RaftModel.Config bounds(RaftModel.Config c, int ticks, int restarts, int drops, int duplicates,
                                           int proposals, int compactions) {
        return c.withTicks(ticks)
                .withBounds(c.maxTerm(), c.maxLogIndex(), c.maxMessages(), restarts, drops, duplicates, proposals, c.maxReads())
                .withCompactions(compactions);
    }

    /** The model this preset searches, with the user's flags (mutation, symmetry, PreVote/CheckQuorum) applied. */
    public RaftModel model(java.util.function.UnaryOperator<RaftModel.Config> flags) {
        return new RaftModel(name, flags.apply(config), required);
    }
}
