package io.kplane.check;

import java.util.List;

/** The explorer targets beyond election (added as the implementation parts land). */
final class CheckTargets {
    static final List<String> ALL = List.of("election", "raft", "watch");

    private CheckTargets() {}

    static int run(String target, CheckCommand cmd) {
        throw new IllegalArgumentException("unknown target '" + target + "'; known: raft, election, watch, all, trace");
    }
}
