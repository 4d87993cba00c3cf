package io.kplane.raft;

import java.util.List;

/**
 * A cluster configuration: voters and learners (non-voting members that receive the log), as sorted lists of
 * node ids. Stored in snapshots and returned by {@link RaftStorage#initialState()}.
 */
public record ConfState(List<Long> voters, List<Long> learners) {
    public static final ConfState EMPTY = new ConfState(List.of(), List.of());

    public ConfState {
        voters = voters.stream().sorted().distinct().toList();
        learners = learners.stream().sorted().distinct().toList();
        for (Long l : learners) {
            if (voters.contains(l)) throw new IllegalArgumentException("node " + l + " is both voter and learner");
        }
    }

    public static ConfState ofVoters(long... ids) {
        return new ConfState(java.util.Arrays.stream(ids).boxed().toList(), List.of());
    }

    public boolean isEmpty() {
        return voters.isEmpty() && learners.isEmpty();
    }

    public boolean contains(long id) {
        return voters.contains(id) || learners.contains(id);
    }
}
