package io.kplane.raft.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulationTest {

    static List<SimulationResult> runSeeds(int nodes, int seeds, int steps) {
        List<SimulationResult> out = new ArrayList<>();
        for (long seed = 1; seed <= seeds; seed++) out.add(Simulation.run(SimulationConfig.defaults(seed, nodes, steps)));
        return out;
    }

    @Test
    void threeNodesKeepAllSafetyPropertiesUnderFaults() {
        check(runSeeds(3, 1500, 800));
    }

    @Test
    void fiveNodesKeepAllSafetyPropertiesUnderFaults() {
        check(runSeeds(5, 600, 1500));
    }

    private static void check(List<SimulationResult> results) {
        List<String> failures = results.stream().filter(r -> !r.ok()).map(r -> "seed " + r.seed() + ": " + r.violation()).limit(10).toList();
        assertThat(failures).isEmpty();
        // the runs must actually exercise the protocol and the faults
        long committed = results.stream().mapToLong(SimulationResult::maxCommitted).sum();
        long leaders = results.stream().mapToLong(SimulationResult::leadersElected).sum();
        long snapshots = results.stream().mapToLong(SimulationResult::snapshotsSent).sum();
        long crashes = results.stream().mapToLong(SimulationResult::crashes).sum();
        long dup = results.stream().mapToLong(SimulationResult::duplicated).sum();
        long confChanges = results.stream().mapToLong(SimulationResult::confChangesProposed).sum();
        System.out.printf("runs=%d leaders=%d committed=%d snapshots=%d crashes=%d duplicated=%d confChanges=%d%n", results.size(), leaders, committed, snapshots, crashes, dup, confChanges);
        assertThat(leaders).isGreaterThan(results.size());
        assertThat(committed).isGreaterThan(results.size() * 5L);
        assertThat(snapshots).isPositive();
        assertThat(crashes).isPositive();
        assertThat(dup).isPositive();
        assertThat(confChanges).isPositive();
    }

    @Test
    void sameSeedGivesTheSameRunAndEvents() {
        List<SimulationEvent> a = new ArrayList<>();
        List<SimulationEvent> b = new ArrayList<>();
        SimulationResult ra = Simulation.run(SimulationConfig.defaults(77, 5, 600).withListener(a::add));
        SimulationResult rb = Simulation.run(SimulationConfig.defaults(77, 5, 600).withListener(b::add));
        assertThat(ra).isEqualTo(rb);
        assertThat(a).isEqualTo(b).isNotEmpty();
        assertThat(a).extracting(SimulationEvent::action).contains("tick", "receive", "ready", "propose");
    }
}
