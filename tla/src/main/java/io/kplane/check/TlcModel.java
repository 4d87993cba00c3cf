package io.kplane.check;

import java.util.List;
import java.util.Optional;

/**
 * A TLC run of a spec in {@code tla/}: the module TLC loads and the configuration it uses.
 *
 * @param name        the name given to {@code kplane check --tlc NAME}
 * @param module      the .tla module TLC checks (without extension)
 * @param config      the .cfg file
 * @param expectViolation true when the model is built to fail (the drift counterexample)
 * @param needsCommunityModules true when the module EXTENDS Json/IOUtils (CommunityModules jar)
 */
public record TlcModel(String name, String module, String config, boolean expectViolation,
                       boolean needsCommunityModules) {

    /** Every model, in the order {@code --tlc all} runs the non-failing ones. */
    public static final List<TlcModel> ALL = List.of(
            new TlcModel("raft", "MCRaft", "MCRaft.cfg", false, false),
            new TlcModel("raft-liveness", "MCRaft", "MCRaftLiveness.cfg", false, false),
            new TlcModel("election", "MCLeaseElection", "MCLeaseElection.cfg", false, false),
            new TlcModel("election-drift", "MCLeaseElectionDrift", "MCLeaseElectionDrift.cfg", true, false),
            new TlcModel("watch", "MCWatch", "MCWatch.cfg", false, false),
            new TlcModel("trace", "TraceRaft", "TraceRaft.cfg", false, true));

    public static Optional<TlcModel> named(String name) {
        return ALL.stream().filter(m -> m.name().equals(name)).findFirst();
    }
}
