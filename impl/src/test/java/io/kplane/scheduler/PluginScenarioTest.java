package io.kplane.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.scheduler.framework.CycleState;
import io.kplane.scheduler.framework.Status;
import io.kplane.scheduler.plugins.NodeAffinity;
import io.kplane.scheduler.plugins.NodePorts;
import io.kplane.scheduler.plugins.NodeResourcesFit;
import io.kplane.scheduler.plugins.NodeUnschedulable;
import io.kplane.scheduler.plugins.TaintToleration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Scenario tests per plugin, through the plugin API and through whole scheduling runs. */
class PluginScenarioTest {

    static NodeInfo node(NodeInfo.NodeSpec spec, PodInfo... pods) {
        NodeInfo n = new NodeInfo(spec);
        for (PodInfo p : pods) {
            n.addPod(p.withNodeName(spec.name()));
        }
        return n;
    }

    static NodeInfo.NodeSpec spec(String name, long cpu, long mem, long pods) {
        return NodeInfo.NodeSpec.of(name, Map.of(Labels.HOSTNAME, name), Resources.of(cpu, mem, pods));
    }

    @Test
    void fitRejectsOverCapacityAndMarksImpossibleRequestsUnresolvable() {
        NodeResourcesFit fit = new NodeResourcesFit();
        NodeInfo n = node(spec("n", 4000, 1000, 2), PodInfo.builder("d", "a").requests(3000, 100).build());
        Status s = fit.filter(null, PodInfo.builder("d", "p").requests(1500, 100).build(), n);
        assertThat(s.code()).isEqualTo(Status.Code.UNSCHEDULABLE);
        assertThat(s.reason()).isEqualTo("Insufficient cpu");
        assertThat(fit.filter(null, PodInfo.builder("d", "p").requests(5000, 100).build(), n).code())
                .isEqualTo(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE);
        assertThat(fit.filter(null, PodInfo.builder("d", "p").requests(1000, 100).build(), n).isSuccess()).isTrue();
        n.addPod(PodInfo.builder("d", "b").nodeName("n").build());
        assertThat(fit.filter(null, PodInfo.builder("d", "p").build(), n).reason()).isEqualTo("Too many pods");
    }

    @Test
    void fitChecksExtendedResources() {
        NodeResourcesFit fit = new NodeResourcesFit();
        NodeInfo n = node(new NodeInfo.NodeSpec("n", Map.of(), List.of(),
                new Resources(4000, 1000, 0, 10, Map.of("example.com/gpu", 2L)), false, Map.of()));
        PodInfo gpu2 = PodInfo.builder("d", "g").requests(new Resources(0, 0, 0, 0, Map.of("example.com/gpu", 2L))).build();
        assertThat(fit.filter(null, gpu2, n).isSuccess()).isTrue();
        n.addPod(gpu2.withNodeName("n"));
        Status s = fit.filter(null, PodInfo.builder("d", "h").requests(new Resources(0, 0, 0, 0, Map.of("example.com/gpu", 1L))).build(), n);
        assertThat(s.reason()).isEqualTo("Insufficient example.com/gpu");
    }

    @Test
    void taintsRequireTolerationsExceptPreferNoSchedule() {
        TaintToleration tt = new TaintToleration();
        NodeInfo n = node(new NodeInfo.NodeSpec("n", Map.of(), List.of(new Taint("dedicated", "gpu", Taint.Effect.NO_SCHEDULE),
                new Taint("soft", "", Taint.Effect.PREFER_NO_SCHEDULE)), Resources.of(1, 1), false, Map.of()));
        assertThat(tt.filter(null, PodInfo.builder("d", "p").build(), n).code()).isEqualTo(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE);
        PodInfo tolerating = PodInfo.builder("d", "q").tolerations(List.of(
                new Toleration("dedicated", Toleration.Operator.EQUAL, "gpu", Taint.Effect.NO_SCHEDULE))).build();
        assertThat(tt.filter(null, tolerating, n).isSuccess()).isTrue();
        PodInfo wrongValue = PodInfo.builder("d", "r").tolerations(List.of(
                new Toleration("dedicated", Toleration.Operator.EQUAL, "cpu", null))).build();
        assertThat(tt.filter(null, wrongValue, n).isSuccess()).isFalse();
        PodInfo all = PodInfo.builder("d", "s").tolerations(List.of(new Toleration(null, Toleration.Operator.EXISTS, null, null))).build();
        assertThat(tt.filter(null, all, n).isSuccess()).isTrue();
    }

    @Test
    void unschedulableNodesNeedTheUnschedulableToleration() {
        NodeUnschedulable nu = new NodeUnschedulable();
        NodeInfo n = node(new NodeInfo.NodeSpec("n", Map.of(), List.of(), Resources.of(1, 1), true, Map.of()));
        assertThat(nu.filter(null, PodInfo.builder("d", "p").build(), n).isSuccess()).isFalse();
        assertThat(nu.filter(null, PodInfo.builder("d", "p").tolerations(List.of(new Toleration(Labels.TAINT_UNSCHEDULABLE,
                Toleration.Operator.EXISTS, null, Taint.Effect.NO_SCHEDULE))).build(), n).isSuccess()).isTrue();
    }

    @Test
    void nodeAffinityFiltersAndScoresPreferredTerms() {
        NodeAffinity na = new NodeAffinity();
        NodeInfo a = node(NodeInfo.NodeSpec.of("a", Map.of("zone", "z1", "disk", "ssd"), Resources.of(1, 1)));
        NodeInfo b = node(NodeInfo.NodeSpec.of("b", Map.of("zone", "z2"), Resources.of(1, 1)));
        NodeInfo c = node(NodeInfo.NodeSpec.of("c", Map.of("zone", "z1"), Resources.of(1, 1)));
        NodeSelector.Term z1 = new NodeSelector.Term(List.of(new Requirement("zone", Requirement.Op.IN, List.of("z1"))), List.of());
        NodeSelector.Term ssd = new NodeSelector.Term(List.of(new Requirement("disk", Requirement.Op.EXISTS, List.of())), List.of());
        PodInfo p = PodInfo.builder("d", "p").requiredNodeAffinity(new NodeSelector(List.of(z1)))
                .preferredNodeAffinity(List.of(new NodeSelector.Preferred(20, ssd), new NodeSelector.Preferred(5, z1))).build();
        assertThat(na.filter(null, p, a).isSuccess()).isTrue();
        assertThat(na.filter(null, p, b).isSuccess()).isFalse();
        long[] s = {na.score(null, p, a), na.score(null, p, b), na.score(null, p, c)};
        assertThat(s).containsExactly(25, 0, 5);
        na.normalize(null, p, s, 3);
        assertThat(s).containsExactly(100, 0, 20);
        PodInfo sel = PodInfo.builder("d", "q").nodeSelector(Map.of("zone", "z2")).build();
        assertThat(na.filter(null, sel, a).isSuccess()).isFalse();
        assertThat(na.filter(null, sel, b).isSuccess()).isTrue();
        // A term with matchFields metadata.name selects by node name.
        PodInfo byName = PodInfo.builder("d", "r").requiredNodeAffinity(new NodeSelector(List.of(new NodeSelector.Term(List.of(),
                List.of(new Requirement("metadata.name", Requirement.Op.IN, List.of("c"))))))).build();
        assertThat(na.filter(null, byName, c).isSuccess()).isTrue();
        assertThat(na.filter(null, byName, a).isSuccess()).isFalse();
    }

    @Test
    void hostPortsConflictOnSameProtocolPortAndOverlappingIp() {
        NodePorts np = new NodePorts();
        NodeInfo n = node(spec("n", 1000, 1000, 10),
                PodInfo.builder("d", "a").hostPorts(List.of(new HostPort("TCP", "10.0.0.1", 80))).build());
        CycleState cs = new CycleState(1);
        assertThat(np.filter(cs, PodInfo.builder("d", "p").hostPorts(List.of(new HostPort("TCP", "0.0.0.0", 80))).build(), n).isSuccess()).isFalse();
        assertThat(np.filter(cs, PodInfo.builder("d", "p").hostPorts(List.of(new HostPort("UDP", "0.0.0.0", 80))).build(), n).isSuccess()).isTrue();
        assertThat(np.filter(cs, PodInfo.builder("d", "p").hostPorts(List.of(new HostPort("TCP", "10.0.0.2", 80))).build(), n).isSuccess()).isTrue();
    }

    // ---- whole runs ----

    static final Selector APP_WEB = Selector.labels(Map.of("app", "web"));

    static PodInfo.Builder web(String name) {
        return PodInfo.builder("default", name).labels(Map.of("app", "web")).requests(100, 100);
    }

    @Test
    void requiredAntiAffinityPutsOnePodPerHostAndWaitsForADeletion() {
        TestCluster c = new TestCluster();
        for (int i = 0; i < 3; i++) {
            c.node("n" + i, 4000, 1 << 30, Map.of());
        }
        AffinityTerm anti = AffinityTerm.required(APP_WEB, Set.of(), Labels.HOSTNAME);
        PodInfo[] pods = new PodInfo[4];
        for (int i = 0; i < 4; i++) {
            pods[i] = c.add(web("w" + i).requiredAntiAffinity(List.of(anti)));
        }
        c.run();
        long placed = java.util.Arrays.stream(pods).filter(p -> c.nodeOf(p) != null).count();
        assertThat(placed).isEqualTo(3);
        assertThat(java.util.Arrays.stream(pods).map(c::nodeOf).filter(n -> n != null).distinct().count()).isEqualTo(3);
        assertThat(c.invariants()).isEmpty();
        assertThat(c.scheduler.queue().unschedulableCount()).isEqualTo(1);
        // Deleting one pod frees its host: the event moves the waiting pod, which then schedules.
        PodInfo victim = c.pods.get(pods[0].uid());
        c.pods.remove(victim.uid());
        c.scheduler.onPodDelete(victim);
        c.run();
        assertThat(java.util.Arrays.stream(pods).skip(1).allMatch(p -> c.nodeOf(p) != null)).isTrue();
        assertThat(c.invariants()).isEmpty();
    }

    @Test
    void firstPodOfASelfAffineGroupMayGoAnywhereAndTheRestFollowItsZone() {
        TestCluster c = new TestCluster();
        c.node("a1", 4000, 1 << 30, Map.of(Labels.ZONE, "a"));
        c.node("b1", 4000, 1 << 30, Map.of(Labels.ZONE, "b"));
        c.node("b2", 4000, 1 << 30, Map.of(Labels.ZONE, "b"));
        AffinityTerm aff = AffinityTerm.required(APP_WEB, Set.of(), Labels.ZONE);
        PodInfo first = c.add(web("first").requiredAffinity(List.of(aff)));
        c.run();
        String zone = c.scheduler.cache().node(c.nodeOf(first)).labels().get(Labels.ZONE);
        for (int i = 0; i < 5; i++) {
            PodInfo p = c.add(web("p" + i).requiredAffinity(List.of(aff)));
            c.run();
            assertThat(c.scheduler.cache().node(c.nodeOf(p)).labels().get(Labels.ZONE)).isEqualTo(zone);
        }
        // A pod whose affinity matches nothing (and not itself) stays pending.
        PodInfo lonely = c.add(PodInfo.builder("default", "lonely").labels(Map.of("app", "x"))
                .requiredAffinity(List.of(AffinityTerm.required(Selector.labels(Map.of("app", "db")), Set.of(), Labels.ZONE))));
        c.run();
        assertThat(c.nodeOf(lonely)).isNull();
    }

    @Test
    void preferredAntiAffinityScoresAwayFromMatchingPods() {
        TestCluster c = new TestCluster();
        c.node("n0", 4000, 1 << 30, Map.of());
        c.node("n1", 4000, 1 << 30, Map.of());
        c.place(web("existing"), "n0");
        AffinityTerm soft = new AffinityTerm(APP_WEB, Set.of(), null, Labels.HOSTNAME, 100);
        PodInfo p = c.add(web("p").preferredAntiAffinity(List.of(soft)));
        c.run();
        assertThat(c.nodeOf(p)).isEqualTo("n1");
        AffinityTerm softAff = new AffinityTerm(APP_WEB, Set.of(), null, Labels.HOSTNAME, 100);
        PodInfo q = c.add(PodInfo.builder("default", "q").requests(100, 100).preferredAffinity(List.of(softAff)));
        c.run();
        // n0 and n1 both hold one web pod now -> equal; just check it scheduled and invariants hold.
        assertThat(c.nodeOf(q)).isNotNull();
        assertThat(c.invariants()).isEmpty();
    }

    @Test
    void namespaceSelectorWidensAffinityTermsToLabelledNamespaces() {
        TestCluster c = new TestCluster();
        c.scheduler.onNamespace("team-a", Map.of("team", "a"));
        c.scheduler.onNamespace("other", Map.of("team", "b"));
        c.node("n0", 4000, 1 << 30, Map.of());
        c.node("n1", 4000, 1 << 30, Map.of());
        c.place(PodInfo.builder("team-a", "db").labels(Map.of("app", "db")), "n1");
        AffinityTerm t = new AffinityTerm(Selector.labels(Map.of("app", "db")), Set.of(),
                Selector.labels(Map.of("team", "a")), Labels.HOSTNAME, 0);
        PodInfo p = c.add(PodInfo.builder("other", "client").requiredAffinity(List.of(t)));
        c.run();
        assertThat(c.nodeOf(p)).isEqualTo("n1");
    }

    @Test
    void hardSpreadKeepsSkewWithinMaxSkew() {
        TestCluster c = new TestCluster();
        for (int i = 0; i < 6; i++) {
            c.node("n" + i, 64000, 1L << 36, Map.of(Labels.ZONE, "z" + (i % 3)));
        }
        SpreadConstraint sc = SpreadConstraint.hard(1, Labels.ZONE, APP_WEB);
        for (int i = 0; i < 30; i++) {
            c.add(web("w" + i).spreadConstraints(List.of(sc)));
            c.run(1, 1);
        }
        Map<String, Integer> perZone = new HashMap<>();
        for (PodInfo p : c.pods.values()) {
            perZone.merge(c.scheduler.cache().node(p.nodeName()).labels().get(Labels.ZONE), 1, Integer::sum);
        }
        assertThat(perZone).containsOnly(Map.entry("z0", 10), Map.entry("z1", 10), Map.entry("z2", 10));
        assertThat(c.invariants()).isEmpty();
    }

    @Test
    void minDomainsTreatsMissingDomainsAsZero() {
        TestCluster c = new TestCluster();
        c.node("n0", 64000, 1L << 36, Map.of(Labels.ZONE, "z0"));
        c.node("n1", 64000, 1L << 36, Map.of(Labels.ZONE, "z1"));
        // minDomains 3 with only 2 zones: the global minimum counts as 0, so each zone takes at most maxSkew=1.
        SpreadConstraint sc = new SpreadConstraint(1, Labels.ZONE, true, APP_WEB, 3, true, false);
        for (int i = 0; i < 4; i++) {
            c.add(web("w" + i).spreadConstraints(List.of(sc)));
        }
        c.run();
        long bound = c.pods.values().stream().filter(p -> p.nodeName() != null).count();
        assertThat(bound).isEqualTo(2);
    }

    @Test
    void nodesWithoutTheTopologyKeyAreUnresolvableForHardSpread() {
        TestCluster c = new TestCluster();
        c.node("nokey", 4000, 1 << 30, Map.of());
        PodInfo p = c.add(web("w").spreadConstraints(List.of(SpreadConstraint.hard(1, Labels.ZONE, APP_WEB))));
        c.run();
        assertThat(c.nodeOf(p)).isNull();
        // Adding a node with the key is an event PodTopologySpread registered: the pod schedules.
        c.node("withkey", 4000, 1 << 30, Map.of(Labels.ZONE, "z"));
        c.run();
        assertThat(c.nodeOf(p)).isEqualTo("withkey");
    }

    @Test
    void softSpreadPrefersTheEmptierZone() {
        TestCluster c = new TestCluster();
        c.node("a", 64000, 1L << 36, Map.of(Labels.ZONE, "za"));
        c.node("b", 64000, 1L << 36, Map.of(Labels.ZONE, "zb"));
        for (int i = 0; i < 3; i++) {
            c.place(web("old" + i), "a");
        }
        PodInfo p = c.add(web("new").spreadConstraints(List.of(SpreadConstraint.soft(1, Labels.ZONE, APP_WEB))));
        c.run();
        assertThat(c.nodeOf(p)).isEqualTo("b");
    }

    @Test
    void systemDefaultSpreadingAppliesToPodsOfAService() {
        TestCluster c = new TestCluster();
        c.node("a", 64000, 1L << 36, Map.of(Labels.ZONE, "za"));
        c.node("b", 64000, 1L << 36, Map.of(Labels.ZONE, "zb"));
        c.scheduler.onService("default/web", "default", APP_WEB);
        for (int i = 0; i < 2; i++) {
            c.place(web("old" + i), "a");
        }
        PodInfo p = c.add(web("new"));
        c.run();
        assertThat(c.nodeOf(p)).isEqualTo("b");
    }

    @Test
    void imageLocalityPrefersNodesWithTheImage() {
        TestCluster c = new TestCluster();
        c.scheduler.onNodeAdd(new NodeInfo.NodeSpec("plain", Map.of(Labels.HOSTNAME, "plain"), List.of(),
                Resources.of(4000, 1 << 30, 110), false, Map.of()));
        c.scheduler.onNodeAdd(new NodeInfo.NodeSpec("cached", Map.of(Labels.HOSTNAME, "cached"), List.of(),
                Resources.of(4000, 1 << 30, 110), false, Map.of("registry/app:1", 800L * 1024 * 1024)));
        PodInfo p = c.add(PodInfo.builder("default", "p").requests(100, 100).images(List.of("registry/app:1")));
        c.run();
        assertThat(c.nodeOf(p)).isEqualTo("cached");
    }

    @Test
    void schedulingGatesHoldPodsUntilRemoved() {
        TestCluster c = new TestCluster();
        c.node("n", 4000, 1 << 30, Map.of());
        PodInfo gated = c.add(PodInfo.builder("default", "g").schedulingGates(List.of("example.com/wait")));
        c.run();
        assertThat(c.nodeOf(gated)).isNull();
        assertThat(c.scheduler.queue().get(gated.uid()).location()).isEqualTo(QueuedPodInfo.Location.GATED);
        PodInfo ungated = gated.toBuilder().schedulingGates(List.of()).build();
        c.pods.put(ungated.uid(), ungated);
        c.scheduler.onPodUpdate(gated, ungated);
        c.run();
        assertThat(c.nodeOf(gated)).isEqualTo("n");
    }

    @Test
    void unschedulableNodeBecomingSchedulableMovesThePod() {
        TestCluster c = new TestCluster();
        NodeInfo.NodeSpec cordoned = new NodeInfo.NodeSpec("n", Map.of(Labels.HOSTNAME, "n"), List.of(),
                Resources.of(4000, 1 << 30, 110), true, Map.of());
        c.scheduler.onNodeAdd(cordoned);
        PodInfo p = c.add(PodInfo.builder("default", "p"));
        c.run();
        assertThat(c.nodeOf(p)).isNull();
        NodeInfo.NodeSpec open = new NodeInfo.NodeSpec("n", cordoned.labels(), List.of(), cordoned.allocatable(), false, Map.of());
        c.scheduler.onNodeUpdate(cordoned, open);
        c.run();
        assertThat(c.nodeOf(p)).isEqualTo("n");
    }

    @Test
    void failedBindingForgetsTheAssumedPodAndRetries() {
        TestCluster c = new TestCluster();
        c.node("n", 1000, 1 << 30, Map.of());
        PodInfo p = c.add(PodInfo.builder("default", "p").requests(800, 100));
        assertThat(c.scheduler.scheduleOne()).isTrue();
        assertThat(c.scheduler.cache().isAssumed(p.uid())).isTrue();
        assertThat(c.scheduler.cache().podCount()).isEqualTo(1);
        c.pendingBinds.clear();
        c.scheduler.onBindResult(p.uid(), false, "conflict");
        assertThat(c.scheduler.cache().podCount()).isZero();
        assertThat(c.scheduler.queue().get(p.uid()).location()).isEqualTo(QueuedPodInfo.Location.BACKOFF);
        c.run();
        assertThat(c.nodeOf(p)).isEqualTo("n");
    }
}
