package io.kplane.raft;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Replication must not stall when a leader's window of inflight appends fills with appends that
 * were lost: the follower's heartbeat response frees one slot, so the next append goes out, is
 * rejected for the gap, and the leader backs up and repairs the follower. Before the fix the
 * window stayed full forever (nothing else frees it) and entries to this follower never committed.
 */
class HeartbeatFreesInflightTest {

    @Test
    void heartbeatResponseFreesASlotOfAFullWindowAndReplicationResumes() {
        InteractionEnv env = new InteractionEnv();
        for (String c : new String[] {"add-nodes 2 prevote=false checkquorum=false maxinflight=1 maxsize=1",
            "campaign 1", "log-level none", "stabilize"}) {
            env.run(c);
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("commit=(\\d+)").matcher(env.run("status 1"));
        assertThat(m.find()).isTrue();
        long before = Long.parseLong(m.group(1));
        String[] script = {
            "propose 1 a", "process-ready 1", "drop-msgs 2", // the append of "a" is lost: the window (1) is full
            "propose 1 b", "process-ready 1", "drop-msgs 2", // nothing can be sent for "b"
            "tick-heartbeat 1", "stabilize",
        };
        for (String c : script) {
            env.run(c);
        }
        String status = env.run("status 1");
        assertThat(status).startsWith("1 LEADER").contains("commit=" + (before + 2))
                .contains("2: REPLICATE match=" + (before + 2));
    }
}
