package io.kplane.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** DefaultPreemption scenarios: victim selection, reprieve order, node choice, policy. */
class PreemptionTest {

    static PodInfo.Builder pod(String name, int prio, long cpu) {
        return PodInfo.builder("default", name).priority(prio).requests(cpu, 100);
    }

    @Test
    void preemptsTheFewestLowerPriorityPodsAndThenSchedulesOnTheNominatedNode() {
        TestCluster c = new TestCluster();
        c.node("n", 4000, 1 << 30, Map.of());
        PodInfo[] low = new PodInfo[4];
        for (int i = 0; i < 4; i++) {
            low[i] = c.place(pod("low" + i, 0, 900), "n");
        }
        PodInfo high = c.add(pod("high", 10, 3000));
        assertThat(c.scheduler.scheduleOne()).isTrue();
        // free 400m; need 3000m: remove all four (4000m free), reprieve the most important (earliest) one.
        assertThat(c.pendingDeletes).extracting(PodInfo::name).containsExactlyInAnyOrder("low1", "low2", "low3");
        assertThat(c.nominations).containsEntry(high.uid(), "n");
        assertThat(c.scheduler.queue().nominatedNode(high.uid())).isEqualTo("n");
        c.run();
        assertThat(c.nodeOf(high)).isEqualTo("n");
        assertThat(c.nodeOf(low[0])).isEqualTo("n");
        assertThat(c.invariants()).isEmpty();
    }

    /**
     * The runtime deletes victims asynchronously. A preemptor retried before their deletions arrive
     * must wait for them, not preempt again: it did, and through the API server each retry deleted
     * three more pods (PreemptionAsync end to end: 100 pods took 322 s, now 5 s).
     */
    @Test
    void aPreemptorRetriedBeforeItsVictimsAreGoneDoesNotPreemptAgain() {
        TestCluster c = new TestCluster();
        for (String n : List.of("a", "b")) {
            c.node(n, 4000, 1 << 30, Map.of());
            for (int i = 0; i < 4; i++) {
                c.place(pod(n + "-low" + i, 0, 900), n);
            }
        }
        PodInfo high = c.add(pod("high", 10, 3000));
        assertThat(c.scheduler.scheduleOne()).isTrue();
        assertThat(c.pendingDeletes).hasSize(3);
        String nominated = c.nominations.get(high.uid());

        // its own status update (the nomination written) requeues it; backoff passes; deletions still in flight
        c.scheduler.onPodUpdate(high, high.withNominatedNodeName(nominated));
        c.now.advance(2_000_000_000L);
        c.scheduler.tick();
        assertThat(c.scheduler.scheduleOne()).as("the preemptor is retried").isTrue();
        assertThat(c.pendingDeletes).as("no second round of victims").hasSize(3);
        assertThat(c.scheduler.queue().nominatedNode(high.uid())).isEqualTo(nominated);

        c.run();
        assertThat(c.nodeOf(high)).isEqualTo(nominated);
        assertThat(c.deleted).hasSize(3);
        assertThat(c.invariants()).isEmpty();
    }

    @Test
    void doesNotPreemptEqualOrHigherPriorityPods() {
        TestCluster c = new TestCluster();
        c.node("n", 1000, 1 << 30, Map.of());
        c.place(pod("peer", 10, 1000), "n");
        PodInfo p = c.add(pod("p", 10, 500));
        c.run();
        assertThat(c.nodeOf(p)).isNull();
        assertThat(c.deleted).isEmpty();
    }

    @Test
    void preemptionPolicyNeverDoesNotPreempt() {
        TestCluster c = new TestCluster();
        c.node("n", 1000, 1 << 30, Map.of());
        c.place(pod("low", 0, 1000), "n");
        PodInfo p = c.add(pod("p", 10, 500).preemptNever(true));
        c.run();
        assertThat(c.nodeOf(p)).isNull();
        assertThat(c.deleted).isEmpty();
    }

    @Test
    void picksTheNodeWhoseHighestVictimHasTheLowestPriority() {
        TestCluster c = new TestCluster();
        c.node("a", 1000, 1 << 30, Map.of());
        c.node("b", 1000, 1 << 30, Map.of());
        c.place(pod("a-victim", 5, 1000), "a");
        c.place(pod("b-victim", 1, 1000), "b");
        PodInfo p = c.add(pod("p", 10, 1000));
        c.run();
        assertThat(c.deleted).containsExactly("default/b-victim");
        assertThat(c.nodeOf(p)).isEqualTo("b");
    }

    @Test
    void prefersNodesWithoutPdbViolations() {
        TestCluster c = new TestCluster();
        c.node("a", 1000, 1 << 30, Map.of());
        c.node("b", 1000, 1 << 30, Map.of());
        c.place(pod("guarded", 0, 1000).labels(Map.of("app", "db")), "a");
        c.place(pod("free", 3, 1000), "b");
        c.scheduler.onDisruptionBudget("default/db", new Disruption("default", Selector.labels(Map.of("app", "db")), 0));
        PodInfo p = c.add(pod("p", 10, 1000));
        c.run();
        // b's victim has the higher priority, but a's would violate its PDB: fewest violations comes first.
        assertThat(c.deleted).containsExactly("default/free");
        assertThat(c.nodeOf(p)).isEqualTo("b");
    }

    @Test
    void reprievesPdbViolatingVictimsFirst() {
        TestCluster c = new TestCluster();
        c.node("n", 2000, 1 << 30, Map.of());
        c.place(pod("guarded", 0, 1000).labels(Map.of("app", "db")), "n");
        c.place(pod("plain", 0, 1000), "n");
        c.scheduler.onDisruptionBudget("default/db", new Disruption("default", Selector.labels(Map.of("app", "db")), 0));
        PodInfo p = c.add(pod("p", 10, 1000));
        c.run();
        assertThat(c.deleted).containsExactly("default/plain");
        assertThat(c.nodeOf(p)).isEqualTo("n");
    }

    @Test
    void prefersFewerVictimsWhenPrioritiesTie() {
        TestCluster c = new TestCluster();
        c.node("a", 1000, 1 << 30, Map.of());
        c.node("b", 1000, 1 << 30, Map.of());
        c.place(pod("a1", 0, 500), "a");
        c.place(pod("a2", 0, 500), "a");
        c.place(pod("b1", 0, 1000), "b");
        PodInfo p = c.add(pod("p", 10, 1000));
        c.run();
        // a: sum of priorities (0+2^31)*2 > b: (0+2^31)*1 -> b.
        assertThat(c.deleted).containsExactly("default/b1");
        assertThat(c.nodeOf(p)).isEqualTo("b");
    }

    @Test
    void nominatedPodsReserveRoomAgainstLowerOrEqualPriorityPods() {
        TestCluster c = new TestCluster();
        c.node("n", 1000, 1 << 30, Map.of());
        c.place(pod("low", 0, 1000), "n");
        PodInfo high = c.add(pod("high", 10, 1000));
        assertThat(c.scheduler.scheduleOne()).isTrue(); // preempts, nominates n
        c.applyPending(); // victim deleted
        // A later, lower-priority pod must not take the room the nominated pod was promised.
        PodInfo sneaky = c.add(pod("sneaky", 5, 500));
        c.run();
        assertThat(c.nodeOf(high)).isEqualTo("n");
        assertThat(c.nodeOf(sneaky)).isNull();
    }

    @Test
    void preemptionRespectsAntiAffinityOfTheRemainingPods() {
        TestCluster c = new TestCluster();
        c.node("n", 4000, 1 << 30, Map.of());
        AffinityTerm antiWeb = AffinityTerm.required(Selector.labels(Map.of("app", "web")), java.util.Set.of(), Labels.HOSTNAME);
        // A low-priority pod that repels web pods, and a web pod of higher priority that needs no room.
        c.place(pod("repeller", 0, 100).requiredAntiAffinity(List.of(antiWeb)), "n");
        PodInfo web = c.add(pod("web", 10, 100).labels(Map.of("app", "web")));
        c.run();
        assertThat(c.deleted).containsExactly("default/repeller");
        assertThat(c.nodeOf(web)).isEqualTo("n");
        assertThat(c.invariants()).isEmpty();
    }

    @Test
    void arithmeticDryRunChoosesTheSameVictimsAsTheGenericOne() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        int candidates = 0;
        for (int round = 0; round < 300; round++) {
            TestCluster c = new TestCluster();
            c.node("n", 4000, 4000, Map.of());
            int pods = 1 + r.nextInt(6);
            for (int i = 0; i < pods; i++) {
                c.place(PodInfo.builder("default", "v" + i).priority(r.nextInt(4)).requests(100 + r.nextInt(900), r.nextInt(900))
                        .labels(Map.of("app", r.nextBoolean() ? "db" : "web")).startNanos(r.nextInt(1000)), "n");
            }
            List<Disruption> pdbs = r.nextBoolean() ? List.of() : List.of(new Disruption("default",
                    Selector.labels(Map.of("app", "db")), r.nextInt(2)));
            PodInfo p = PodInfo.builder("default", "p").priority(2 + r.nextInt(3)).requests(500 + r.nextInt(3000), r.nextInt(3000)).build();
            Scheduler s = c.scheduler;
            if (r.nextBoolean()) {
                // A pod nominated here earlier, of random priority: counts when >= p's priority.
                s.queue().addNominated(PodInfo.builder("default", "nominated").priority(r.nextInt(6))
                        .requests(r.nextInt(1500), r.nextInt(1500)).build(), "n");
            }
            s.cache().updateSnapshot(s.snapshot());
            var pre = s.framework().plugins().stream().filter(x -> x instanceof io.kplane.scheduler.plugins.DefaultPreemption)
                    .map(x -> (io.kplane.scheduler.plugins.DefaultPreemption) x).findFirst().orElseThrow();
            var state = s.framework().newCycleState();
            s.framework().runPreFilter(state, p, s.snapshot());
            NodeInfo n = s.snapshot().get("n");
            var generic = pre.selectVictimsOnNode(state.copy(), p, n.copy(), pdbs);
            if (generic != null) {
                candidates++;
            }
            var arithmetic = pre.selectVictimsByResources(p, n, pdbs);
            assertThat(arithmetic).as("round " + round).isEqualTo(generic);
        }
        assertThat(candidates).as("rounds with a candidate").isBetween(30, 270);
    }

    @Test
    void aStaleNominationIsClearedWhenPreemptionFindsNoCandidate() {
        TestCluster c = new TestCluster();
        c.node("n", 1000, 1 << 30, Map.of());
        c.place(pod("low", 0, 1000), "n");
        PodInfo high = c.add(pod("high", 10, 1000));
        assertThat(c.scheduler.scheduleOne()).isTrue(); // preempts low, nominates n
        assertThat(c.nominations).containsEntry(high.uid(), "n");
        c.applyPending();
        // The room goes to a pod of even higher priority: nothing on n may be preempted for high now.
        c.place(pod("top", 20, 1000), "n");
        c.run();
        assertThat(c.nodeOf(high)).isNull();
        assertThat(c.nominations).containsEntry(high.uid(), null);
        assertThat(c.scheduler.queue().nominatedNode(high.uid())).isNull();
    }

    @Test
    void aPodTerminatingForAnotherReasonDoesNotHoldBackPreemption() {
        TestCluster c = new TestCluster();
        c.node("n", 2000, 1 << 30, Map.of());
        c.place(pod("leaving", 0, 1000).terminating(true), "n"); // deleted by its owner, not preempted
        c.place(pod("low", 0, 1000), "n");
        c.add(pod("high", 10, 1000).nominatedNodeName("n"));
        assertThat(c.scheduler.scheduleOne()).isTrue();
        assertThat(c.pendingDeletes).extracting(PodInfo::name).isNotEmpty();
    }

    @Test
    void aPodTerminatingBecauseOfPreemptionHoldsBackAnotherPreemption() {
        TestCluster c = new TestCluster();
        c.node("n", 2000, 1 << 30, Map.of());
        c.place(pod("leaving", 0, 1000).terminating(true).disruptedByPreemption(true), "n");
        c.place(pod("low", 0, 1000), "n");
        c.add(pod("high", 10, 1000).nominatedNodeName("n"));
        assertThat(c.scheduler.scheduleOne()).isTrue();
        assertThat(c.pendingDeletes).isEmpty();
    }

    @Test
    void aPodMayPreemptAgainWhenItsNominatedNodeBecameUnresolvable() {
        TestCluster c = new TestCluster();
        // n was nominated and still has a victim terminating by preemption, but is now cordoned.
        c.scheduler.onNodeAdd(new NodeInfo.NodeSpec("n", Map.of(Labels.HOSTNAME, "n"), List.of(),
                Resources.of(2000, 1 << 30, 110), true, Map.of()));
        c.place(pod("leaving", 0, 1000).terminating(true).disruptedByPreemption(true), "n");
        c.node("m", 1000, 1 << 30, Map.of());
        c.place(pod("low", 0, 1000), "m");
        PodInfo high = c.add(pod("high", 10, 1000).nominatedNodeName("n"));
        assertThat(c.scheduler.scheduleOne()).isTrue();
        assertThat(c.pendingDeletes).extracting(PodInfo::name).containsExactly("low");
        assertThat(c.nominations).containsEntry(high.uid(), "m");
    }

    @Test
    void podsAlreadyListedAsDisruptedDoNotUseUpTheBudget() {
        TestCluster c = new TestCluster();
        c.node("a", 1000, 1 << 30, Map.of());
        c.node("b", 1000, 1 << 30, Map.of());
        c.place(pod("guarded", 0, 1000).labels(Map.of("app", "db")), "a");
        c.place(pod("free", 3, 1000), "b");
        // The budget allows nothing more, but the API server already counted guarded's eviction.
        c.scheduler.onDisruptionBudget("default/db", new Disruption("default", Selector.labels(Map.of("app", "db")), 0,
                java.util.Set.of("guarded")));
        PodInfo p = c.add(pod("p", 10, 1000));
        c.run();
        // No violation on either node: the lower highest-victim priority (a) wins.
        assertThat(c.deleted).containsExactly("default/guarded");
        assertThat(c.nodeOf(p)).isEqualTo("a");
    }

    @Test
    void aPodWithoutLabelsViolatesNoBudgetEvenIfTheSelectorWouldMatchIt() {
        TestCluster c = new TestCluster();
        c.node("a", 1000, 1 << 30, Map.of());
        c.node("b", 1000, 1 << 30, Map.of());
        c.place(pod("unlabelled", 0, 1000), "a");
        c.place(pod("web", 3, 1000).labels(Map.of("app", "web")), "b"); // outside the budget's selector
        // "app notin (web)" matches a pod without labels, but upstream skips such pods.
        Selector notWeb = Selector.of(Map.of(), List.of(new Requirement("app", Requirement.Op.NOT_IN, List.of("web"))));
        assertThat(notWeb.matches(Map.of())).isTrue();
        c.scheduler.onDisruptionBudget("default/not-web", new Disruption("default", notWeb, 0));
        PodInfo p = c.add(pod("p", 10, 1000));
        c.run();
        assertThat(c.deleted).containsExactly("default/unlabelled");
        assertThat(c.nodeOf(p)).isEqualTo("a");
    }

    @Test
    void victimsThatHaveNotStartedCountAsTheLatestStartedWhenChoosingANode() {
        TestCluster c = new TestCluster();
        c.node("a", 1000, 1 << 30, Map.of());
        c.node("b", 1000, 1 << 30, Map.of());
        c.scheduler.onPodAdd(pod("old", 0, 1000).nodeName("a").startNanos(5).build());
        c.scheduler.onPodAdd(pod("fresh", 0, 1000).nodeName("b").startNanos(PodInfo.NOT_STARTED).build());
        c.add(pod("p", 10, 1000));
        assertThat(c.scheduler.scheduleOne()).isTrue();
        // Ties on everything else: the node whose victim started last (not yet: "now") is chosen.
        assertThat(c.pendingDeletes).extracting(PodInfo::name).containsExactly("fresh");
    }
}
