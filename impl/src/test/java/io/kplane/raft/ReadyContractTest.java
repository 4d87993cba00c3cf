package io.kplane.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ReadyContractTest {

    private static RaftNode singleNode() {
        return RaftNode.create(RaftConfig.defaults(1), MemoryStorage.bootstrap(ConfState.ofVoters(1)), 7);
    }

    @Test
    void readyTwiceWithoutAdvanceThrows() {
        RaftNode n = singleNode();
        n.campaign();
        assertThat(n.hasReady()).isTrue();
        Ready rd = n.ready();
        assertThat(n.hasReady()).as("no Ready while one is outstanding").isFalse();
        assertThatThrownBy(n::ready).isInstanceOf(IllegalStateException.class).hasMessageContaining("before advance");
        n.advance(rd);
    }

    @Test
    void advanceWithAnotherReadyThrows() {
        RaftNode n = singleNode();
        n.campaign();
        Ready rd = n.ready();
        Ready forged = new Ready(rd.softState(), rd.hardState(), rd.entries(), rd.snapshot(), rd.messages(),
                rd.committedEntries(), rd.readStates());
        assertThatThrownBy(() -> n.advance(forged)).isInstanceOf(IllegalStateException.class);
        n.advance(rd);
        assertThatThrownBy(() -> n.advance(rd)).isInstanceOf(IllegalStateException.class).hasMessageContaining("without an outstanding");
    }

    @Test
    void singleNodeCommitsOnlyAfterEntriesAreHandedOutForPersistence() {
        RaftNode n = singleNode();
        MemoryStorage disk = (MemoryStorage) n.storage();
        n.campaign();
        drain(n, disk);
        assertThat(n.role()).isEqualTo(StateType.LEADER);
        n.propose("v".getBytes(StandardCharsets.UTF_8));
        Ready rd = n.ready();
        // the entry to persist and the committed entry to apply come in the same Ready: persist first
        assertThat(rd.entries()).extracting(Entry::index).containsExactly(3L);
        assertThat(rd.committedEntries()).extracting(Entry::index).containsExactly(3L);
        assertThat(rd.mustSync()).isTrue();
        disk.append(rd.entries());
        disk.setHardState(rd.hardState());
        n.advance(rd);
        assertThat(n.appliedIndex()).isEqualTo(3);
    }

    @Test
    void voteIsReleasedOnlyWithTheHardStateThatRecordsIt() {
        RaftNode voter = RaftNode.create(RaftConfig.builder(2).preVote(false).build(),
                MemoryStorage.bootstrap(ConfState.ofVoters(1, 2, 3)), 3);
        voter.step(Message.of(MessageType.VOTE, 1, 2).withTerm(2).withLog(1, 1));
        assertThat(voter.pendingMessages()).isNotEmpty();
        Ready rd = voter.ready();
        assertThat(rd.messages()).extracting(Message::type).containsExactly(MessageType.VOTE_RESP);
        assertThat(rd.hardState()).isEqualTo(new HardState(2, 1, 1));
        voter.advance(rd);
    }

    @Test
    void proposalWithoutLeaderIsDropped() {
        RaftNode n = RaftNode.create(RaftConfig.defaults(1), MemoryStorage.bootstrap(ConfState.ofVoters(1, 2, 3)), 1);
        assertThatThrownBy(() -> n.propose(new byte[] {1})).isInstanceOf(ProposalDroppedException.class)
                .hasMessageContaining("no leader");
    }

    static void drain(RaftNode n, MemoryStorage disk) {
        while (n.hasReady()) {
            Ready rd = n.ready();
            if (rd.snapshot() != null) disk.applySnapshot(rd.snapshot());
            if (rd.hardState() != null) disk.setHardState(rd.hardState());
            disk.append(rd.entries());
            n.advance(rd);
        }
    }
}
