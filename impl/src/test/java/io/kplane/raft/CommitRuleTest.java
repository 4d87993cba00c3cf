package io.kplane.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.raft.sim.Mutation;
import org.junit.jupiter.api.Test;

/**
 * The commit rule: a leader commits an entry of an earlier term only by committing an entry of its own term
 * after it. Directed scenario (see interaction/commit_prior_term.txt): leader 1 of term 4 has "x" from term 2 at
 * index 3; follower 2 acknowledges index 3 alone (one entry per append). A majority now holds "x", yet the commit
 * index must stay at 2 — unless the {@link Mutation#COMMIT_PRIOR_TERM_BY_COUNTING} bug is injected.
 */
class CommitRuleTest {

    private static String commitAfterOldEntryIsOnAMajority(Mutation mutation) {
        InteractionEnv env = new InteractionEnv();
        String[] script = {
            "add-nodes 3 prevote=false checkquorum=false maxsize=1 mutation=" + mutation,
            "campaign 1", "log-level none", "stabilize",
            "propose 1 x", "process-ready 1", "drop-msgs 2 3",
            "isolate 3", "campaign 2", "stabilize 1 2",
            "campaign 1",
            "process-ready 1", "deliver-msgs 2", "process-ready 2", "deliver-msgs 1", // elected in term 4
            "process-ready 1", "deliver-msgs 2", "process-ready 2", "deliver-msgs 1", // 2 rejects the probe
            "process-ready 1", "deliver-msgs 2", "process-ready 2", "deliver-msgs 1", // 2 acks index 3 ("x", term 2)
        };
        for (String c : script) env.run(c);
        return env.run("status 1");
    }

    @Test
    void oldTermEntryOnAMajorityIsNotCommittedByCounting() {
        String status = commitAfterOldEntryIsOnAMajority(Mutation.NONE);
        assertThat(status).startsWith("1 LEADER term=4").contains("commit=2").contains("2: REPLICATE match=3");
    }

    @Test
    void mutationCommitsTheOldTermEntryByCounting() {
        String status = commitAfterOldEntryIsOnAMajority(Mutation.COMMIT_PRIOR_TERM_BY_COUNTING);
        assertThat(status).startsWith("1 LEADER term=4").contains("commit=3").contains("2: REPLICATE match=3");
    }
}
