package io.kplane.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What the model checker relies on: copies are independent and behave identically; fingerprints follow state. */
class CopyAndFingerprintTest {

    private static RaftNode leaderOfOne() {
        RaftNode n = RaftNode.create(RaftConfig.defaults(1), MemoryStorage.bootstrap(ConfState.ofVoters(1)), 42);
        n.campaign();
        ReadyContractTest.drain(n, (MemoryStorage) n.storage());
        return n;
    }

    @Test
    void copyIsIndependentOfTheOriginal() {
        RaftNode a = leaderOfOne();
        RaftNode b = a.copy();
        assertThat(b.fingerprint()).isEqualTo(a.fingerprint());
        b.propose("only-in-copy".getBytes(StandardCharsets.UTF_8));
        ReadyContractTest.drain(b, (MemoryStorage) b.storage());
        assertThat(b.lastIndex()).isEqualTo(a.lastIndex() + 1);
        assertThat(a.storage().lastIndex()).as("original storage untouched").isEqualTo(a.lastIndex());
        assertThat(b.fingerprint()).isNotEqualTo(a.fingerprint());
    }

    @Test
    void copyMakesTheSameRandomChoices() {
        RaftNode a = RaftNode.create(RaftConfig.builder(1).preVote(false).build(), MemoryStorage.bootstrap(ConfState.ofVoters(1, 2, 3)), 9);
        RaftNode b = a.copy();
        for (int i = 0; i < 25; i++) {
            a.tick();
            b.tick();
            assertThat(b.fingerprint()).isEqualTo(a.fingerprint());
        }
        assertThat(a.role()).isEqualTo(StateType.CANDIDATE);
        assertThat(b.randomizedElectionTimeout()).isEqualTo(a.randomizedElectionTimeout());
    }

    @Test
    void fingerprintSeesPendingMessagesAndTimers() {
        RaftNode a = RaftNode.create(RaftConfig.defaults(2), MemoryStorage.bootstrap(ConfState.ofVoters(1, 2, 3)), 1);
        long f0 = a.fingerprint();
        a.tick();
        long f1 = a.fingerprint();
        assertThat(f1).isNotEqualTo(f0);
        a.step(Message.of(MessageType.HEARTBEAT, 1, 2).withTerm(1).withCommit(1));
        assertThat(a.fingerprint()).isNotEqualTo(f1);
    }

    @Test
    void electionTimeoutIsDrawnFromTheInjectedRandomSourceWithinBounds() {
        for (long seed = 0; seed < 50; seed++) {
            RaftNode n = RaftNode.create(RaftConfig.builder(1).electionTick(10).build(), MemoryStorage.bootstrap(ConfState.ofVoters(1, 2, 3)), seed);
            assertThat(n.randomizedElectionTimeout()).isBetween(10, 19);
            RaftNode same = RaftNode.create(RaftConfig.builder(1).electionTick(10).build(), MemoryStorage.bootstrap(ConfState.ofVoters(1, 2, 3)), seed);
            assertThat(same.randomizedElectionTimeout()).isEqualTo(n.randomizedElectionTimeout());
        }
    }
}
