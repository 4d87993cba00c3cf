package io.kplane.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.model.GenericObject;
import io.kplane.model.Json;
import io.kplane.model.KubeObject;
import io.kplane.model.Node;
import io.kplane.model.Pod;
import io.kplane.model.PriorityClass;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The simulation of {@code simulate.yaml}, against decisions computed by hand from upstream's
 * formulas (nodes 4 CPU / 8 GiB; node-c tainted; low-1 1500m/1Gi bound on node-b, started).
 */
class SimulationTest {

    static Simulation.Input fixture() throws Exception {
        String yaml;
        try (var in = SimulationTest.class.getResourceAsStream("/io/kplane/scheduler/simulate.yaml")) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<KubeObject> objects = Json.readAll(yaml);
        Map<String, PriorityClass> classes = new HashMap<>();
        List<NodeInfo.NodeSpec> nodes = new ArrayList<>();
        List<PodInfo> bound = new ArrayList<>();
        List<PodInfo> pending = new ArrayList<>();
        Map<String, Disruption> pdbs = new LinkedHashMap<>();
        for (KubeObject o : objects) {
            if (o instanceof PriorityClass pc) {
                classes.put(pc.metadata().name(), pc);
            }
        }
        for (KubeObject o : objects) {
            if (o instanceof Node n) {
                nodes.add(FromModel.node(n));
            } else if (o instanceof Pod p) {
                PodInfo info = FromModel.pod(p, classes::get);
                (info.nodeName() == null ? pending : bound).add(info);
            } else if (o instanceof GenericObject g && g.kind().equals("PodDisruptionBudget")) {
                pdbs.put("default/" + g.metadata().name(), FromModel.disruption(g));
            }
        }
        return new Simulation.Input(nodes, bound, pending, pdbs, Map.of());
    }

    @Test
    void theFixtureSchedulesAndPreemptsAsComputedByHand() throws Exception {
        List<Simulation.Outcome> out = Simulation.run(fixture(), 0);
        assertThat(out).extracting(Simulation.Outcome::pod).containsExactly("default/web-1", "default/big", "default/ssd-only");

        // web-1 (1000m, 2Gi): node-c's taint is not tolerated; a and b fit.
        // NodeResourcesFit (least allocated): a cpu 3000/4000 -> 75, mem 6/8 -> 75 => 75;
        //   b cpu (4000-2500)/4000 -> 37, mem (8-3)/8 -> 62 => (37+62)/2 = 49.
        // BalancedAllocation: a .25/.25 -> 100; b .625/.375 -> std .125 -> 87.
        // TaintToleration: no PreferNoSchedule taints -> 100 each (weight 3); ImageLocality 0.
        // Totals: a 300+75+100+0 = 475, b 300+49+87+0 = 436 -> node-a.
        Simulation.Outcome web = out.get(0);
        assertThat(web.node()).isEqualTo("node-a");
        Simulation.Attempt w = web.attempts().get(0);
        assertThat(w.filter()).containsExactly(
                new Simulation.Verdict("node-a", true, null, null),
                new Simulation.Verdict("node-b", true, null, null),
                new Simulation.Verdict("node-c", false, "TaintToleration", "node(s) had untolerated taint {dedicated: gpu}"));
        assertThat(w.weights()).containsEntry("TaintToleration", 3L).containsEntry("NodeResourcesFit", 1L);
        assertThat(w.scores()).containsExactly(
                new Simulation.NodeScore("node-a", Map.of("TaintToleration", 100L, "NodeResourcesFit", 75L,
                        "NodeResourcesBalancedAllocation", 100L, "ImageLocality", 0L), 475),
                new Simulation.NodeScore("node-b", Map.of("TaintToleration", 100L, "NodeResourcesFit", 49L,
                        "NodeResourcesBalancedAllocation", 87L, "ImageLocality", 0L), 436));

        // big (priority 1000, 3500m): fits nowhere. Preemption: on node-a the victim web-1 would
        // break its PDB (0 disruptions allowed), on node-b low-1 breaks none -> node-b, victim low-1.
        // After the deletion it schedules on its nominated node without scoring (one feasible node).
        Simulation.Outcome big = out.get(1);
        assertThat(big.priority()).isEqualTo(1000);
        assertThat(big.node()).isEqualTo("node-b");
        assertThat(big.attempts()).hasSize(2);
        Simulation.Attempt preempt = big.attempts().get(0);
        assertThat(preempt.result()).isEqualTo("UNSCHEDULABLE");
        assertThat(preempt.filter()).extracting(Simulation.Verdict::reason).containsExactly(
                "Insufficient cpu", "Insufficient cpu", "node(s) had untolerated taint {dedicated: gpu}");
        assertThat(preempt.victims()).containsExactly("default/low-1@node-b");
        assertThat(preempt.nominatedNode()).isEqualTo("node-b");
        Simulation.Attempt placed = big.attempts().get(1);
        assertThat(placed.node()).isEqualTo("node-b");
        assertThat(placed.scores()).isEmpty();

        // ssd-only: no node has disktype=ssd (unresolvable everywhere): no victims, not scheduled.
        Simulation.Outcome ssd = out.get(2);
        assertThat(ssd.node()).isNull();
        assertThat(ssd.attempts()).hasSize(1);
        assertThat(ssd.attempts().get(0).filter()).extracting(Simulation.Verdict::plugin)
                .containsExactly("NodeAffinity", "NodeAffinity", "TaintToleration");
        assertThat(ssd.attempts().get(0).victims()).isEmpty();
        assertThat(ssd.attempts().get(0).postFilter()).contains("no preemption victims found");
    }

    @Test
    void theSameSeedGivesTheSameRun() throws Exception {
        assertThat(Simulation.run(fixture(), 7)).isEqualTo(Simulation.run(fixture(), 7));
    }
}
