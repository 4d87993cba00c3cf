package io.kplane.check;

import java.util.List;
import java.util.Optional;

/**
 * A TLC run of a spec in {@code tla/}: the module TLC loads and the configuration it uses.
 *
 * @param name              the name given to {@code kplane check --tlc NAME}
 * @param module            the .tla module TLC checks (without extension)
 * @param config            the .cfg file
 * @param deepConfig        the .cfg {@code --deep} uses instead: larger bounds than a default run can afford
 *                          (far beyond the few minutes {@code --tlc all} takes), or null when there is none
 * @param expectedViolation the invariant TLC must report violated (the model is built to fail), or null
 * @param explorerTarget    the explorer target checking the same properties of the implementation, or null
 */
public record TlcModel(String name, String module, String config, String deepConfig, String expectedViolation,
                       String explorerTarget) {

    /** Every model, in the order {@code --tlc all} runs them. */
    public static final List<TlcModel> ALL = List.of(
            new TlcModel("raft", "MCRaft", "MCRaft.cfg", "MCRaftDeep.cfg", null, "raft"),
            new TlcModel("election", "MCLeaseElection", "MCLeaseElection.cfg", "MCLeaseElectionDeep.cfg", null, "election"),
            new TlcModel("election-drift", "MCLeaseElectionDrift", "MCLeaseElectionDrift.cfg", null, "AtMostOneLeader", null),
            new TlcModel("election-latency", "MCLeaseElectionDrift", "MCLeaseElectionLatency.cfg", null, "AtMostOneLeader",
                    null),
            new TlcModel("watch", "MCWatch", "MCWatch.cfg", null, null, "watch"),
            new TlcModel("raft-liveness", "MCRaft", "MCRaftLiveness.cfg", null, null, null));

    public static Optional<TlcModel> named(String name) {
        return ALL.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /** The configuration a run uses: the deep one when asked for and there is one. */
    public String config(boolean deep) {
        return deep && deepConfig != null ? deepConfig : config;
    }

    /** Every .cfg of this model. */
    public List<String> configs() {
        return deepConfig == null ? List.of(config) : List.of(config, deepConfig);
    }
}
