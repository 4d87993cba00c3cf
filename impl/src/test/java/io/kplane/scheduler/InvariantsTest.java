package io.kplane.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The invariant checks find violations when they exist (they are not checks that cannot fail). */
class InvariantsTest {

    static NodeInfo node(String name, String zone, long cpu) {
        return new NodeInfo(NodeInfo.NodeSpec.of(name, Map.of(Labels.HOSTNAME, name, Labels.ZONE, zone), Resources.of(cpu, 1000, 3)));
    }

    @Test
    void overAllocatedNodeIsReported() {
        NodeInfo n = node("n", "z", 1000);
        n.addPod(PodInfo.builder("d", "a").requests(600, 10).nodeName("n").build());
        assertThat(Invariants.resourcesWithinAllocatable(List.of(n))).isEmpty();
        n.addPod(PodInfo.builder("d", "b").requests(600, 10).nodeName("n").build());
        assertThat(Invariants.resourcesWithinAllocatable(List.of(n))).singleElement().asString().contains("cpu 1200m > 1000m");
    }

    @Test
    void antiAffinityViolationIsReported() {
        NodeInfo n = node("n", "z", 1000);
        AffinityTerm t = AffinityTerm.required(Selector.labels(Map.of("app", "x")), Set.of(), Labels.HOSTNAME);
        n.addPod(PodInfo.builder("d", "a").labels(Map.of("app", "x")).requiredAntiAffinity(List.of(t)).nodeName("n").build());
        assertThat(Invariants.antiAffinityRespected(List.of(n), Map.of())).isEmpty();
        n.addPod(PodInfo.builder("d", "b").labels(Map.of("app", "x")).nodeName("n").build());
        assertThat(Invariants.antiAffinityRespected(List.of(n), Map.of())).hasSize(1);
    }

    @Test
    void skewBeyondMaxSkewIsReported() {
        NodeInfo a = node("a", "za", 1000);
        NodeInfo b = node("b", "zb", 1000);
        SpreadConstraint c = SpreadConstraint.hard(1, Labels.ZONE, Selector.labels(Map.of("app", "x")));
        a.addPod(PodInfo.builder("d", "p1").labels(Map.of("app", "x")).spreadConstraints(List.of(c)).nodeName("a").build());
        assertThat(Invariants.spreadWithinMaxSkew(List.of(a, b))).isEmpty();
        a.addPod(PodInfo.builder("d", "p2").labels(Map.of("app", "x")).spreadConstraints(List.of(c)).nodeName("a").build());
        assertThat(Invariants.spreadWithinMaxSkew(List.of(a, b))).hasSize(1);
    }
}
