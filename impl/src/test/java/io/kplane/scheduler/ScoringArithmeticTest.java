package io.kplane.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.scheduler.framework.Framework;
import io.kplane.scheduler.framework.CycleState;
import io.kplane.scheduler.plugins.BalancedAllocation;
import io.kplane.scheduler.plugins.NodeResourcesFit;
import io.kplane.scheduler.plugins.ResourceWeight;
import io.kplane.scheduler.plugins.ScoringStrategy;
import io.kplane.scheduler.plugins.TaintToleration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Score vectors computed by hand from the upstream formulas. */
class ScoringArithmeticTest {

    static final long GI = 1024L * 1024 * 1024;

    static NodeInfo node(String name, long cpu, long mem, PodInfo... pods) {
        NodeInfo n = new NodeInfo(NodeInfo.NodeSpec.of(name, Map.of(Labels.HOSTNAME, name), Resources.of(cpu, mem, 110)));
        for (PodInfo p : pods) {
            n.addPod(p.withNodeName(name));
        }
        return n;
    }

    static PodInfo pod(String name, long cpu, long mem) {
        return PodInfo.builder("default", name).requests(cpu, mem).build();
    }

    @Test
    void leastAllocatedIsMeanOfFreeFractionsTruncated() {
        // node1: 4000m / 10000 bytes, existing 1000m/2000; pod 1000m/3000.
        // cpu: (4000-2000)*100/4000 = 50; mem: (10000-5000)*100/10000 = 50 -> 50
        // node2: 6000m / 10000, existing 0; cpu (6000-1000)*100/6000 = 83 ; mem (10000-3000)*100/10000 = 70 -> (83+70)/2 = 76
        NodeResourcesFit fit = new NodeResourcesFit();
        PodInfo p = pod("p", 1000, 3000);
        assertThat(fit.score(null, p, node("n1", 4000, 10000, pod("e", 1000, 2000)))).isEqualTo(50);
        assertThat(fit.score(null, p, node("n2", 6000, 10000))).isEqualTo(76);
    }

    @Test
    void podsWithoutRequestsCountAsDefaultForScoring() {
        // pod with no requests counts as 100m / 200 MiB: cpu (1000-100)*100/1000 = 90;
        // mem (1 GiB - 200 MiB)*100/1 GiB = 80 (80.47 truncated) -> (90+80)/2 = 85
        NodeResourcesFit fit = new NodeResourcesFit();
        PodInfo empty = PodInfo.builder("default", "be").build();
        assertThat(fit.score(null, empty, node("n", 1000, GI))).isEqualTo(85);
    }

    @Test
    void mostAllocatedClampsToCapacity() {
        // cpu 3000/4000 -> 75; mem 8000 > 4000 clamps -> 100; (75+100)/2 = 87
        NodeResourcesFit fit = new NodeResourcesFit(new ScoringStrategy.MostAllocated(), ResourceWeight.DEFAULT);
        assertThat(fit.score(null, pod("p", 1000, 4000), node("n", 4000, 4000, pod("e", 2000, 4000)))).isEqualTo(87);
    }

    @Test
    void weightedResourcesChangeTheMean() {
        // cpu weight 3: cpu (4000-1000)*100/4000 = 75, mem (1000-500)*100/1000 = 50 -> (75*3+50)/4 = 68
        NodeResourcesFit fit = new NodeResourcesFit(new ScoringStrategy.LeastAllocated(),
                List.of(new ResourceWeight("cpu", 3), new ResourceWeight("memory", 1)));
        assertThat(fit.score(null, pod("p", 1000, 500), node("n", 4000, 1000))).isEqualTo(68);
    }

    @Test
    void requestedToCapacityRatioIsPiecewiseLinear() {
        // shape (0,0),(100,10): score = utilization, scaled x10 => utilization percent.
        var rtcr = new ScoringStrategy.RequestedToCapacityRatio(
                List.of(new ScoringStrategy.RequestedToCapacityRatio.Point(0, 0),
                        new ScoringStrategy.RequestedToCapacityRatio.Point(100, 10)));
        NodeResourcesFit fit = new NodeResourcesFit(rtcr, ResourceWeight.DEFAULT);
        // cpu 1000/4000 = 25%, mem 3000/4000 = 75% -> round((25+75)/2) = 50
        assertThat(fit.score(null, pod("p", 1000, 3000), node("n", 4000, 4000))).isEqualTo(50);
        // shape (0,10),(50,0),(100,10) at 25% -> 100 + (0-100)*(25-0)/50 = 50
        var valley = new ScoringStrategy.RequestedToCapacityRatio(
                List.of(new ScoringStrategy.RequestedToCapacityRatio.Point(0, 10),
                        new ScoringStrategy.RequestedToCapacityRatio.Point(50, 0),
                        new ScoringStrategy.RequestedToCapacityRatio.Point(100, 10)));
        NodeResourcesFit fitV = new NodeResourcesFit(valley, List.of(new ResourceWeight("cpu", 1)));
        assertThat(fitV.score(null, pod("p", 1000, 0), node("n", 4000, 4000))).isEqualTo(50);
        // over capacity uses the value at 100% -> 100
        assertThat(fitV.score(null, pod("p", 5000, 0), node("n", 4000, 4000))).isEqualTo(100);
    }

    @Test
    void balancedAllocationIsOneMinusStd() {
        // fractions cpu 2000/4000 = 0.5, mem 1000/4000 = 0.25 -> std = 0.125 -> (1-0.125)*100 = 87
        BalancedAllocation ba = new BalancedAllocation();
        assertThat(ba.score(null, pod("p", 1000, 500), node("n", 4000, 4000, pod("e", 1000, 500)))).isEqualTo(87);
        // equal fractions -> 100
        assertThat(ba.score(null, pod("p", 1000, 1000), node("n", 4000, 4000))).isEqualTo(100);
        // fraction capped at 1: cpu 8000/4000 -> 1, mem 0 -> std 0.5 -> 50
        assertThat(ba.score(null, pod("p", 8000, 0), node("n", 4000, 4000))).isEqualTo(50);
    }

    @Test
    void balancedAllocationSkipsBestEffort() {
        BalancedAllocation ba = new BalancedAllocation();
        assertThat(ba.preScore(null, PodInfo.builder("d", "be").build(), List.of()).isSkip()).isTrue();
        assertThat(ba.preScore(null, pod("p", 1, 0), List.of()).isSkip()).isFalse();
    }

    @Test
    void defaultNormalizeAndReverse() {
        long[] s = {0, 1, 2, 4};
        Framework.defaultNormalize(s, 4, false);
        assertThat(s).containsExactly(0, 25, 50, 100);
        long[] r = {0, 1, 2, 4};
        Framework.defaultNormalize(r, 4, true);
        assertThat(r).containsExactly(100, 75, 50, 0);
        long[] z = {0, 0};
        Framework.defaultNormalize(z, 2, true);
        assertThat(z).containsExactly(100, 100);
    }

    @Test
    void taintTolerationCountsIntolerablePreferNoSchedule() {
        TaintToleration tt = new TaintToleration();
        Taint soft1 = new Taint("a", "1", Taint.Effect.PREFER_NO_SCHEDULE);
        Taint soft2 = new Taint("b", "1", Taint.Effect.PREFER_NO_SCHEDULE);
        NodeInfo n0 = new NodeInfo(new NodeInfo.NodeSpec("n0", Map.of(), List.of(), Resources.of(1, 1), false, Map.of()));
        NodeInfo n1 = new NodeInfo(new NodeInfo.NodeSpec("n1", Map.of(), List.of(soft1), Resources.of(1, 1), false, Map.of()));
        NodeInfo n2 = new NodeInfo(new NodeInfo.NodeSpec("n2", Map.of(), List.of(soft1, soft2), Resources.of(1, 1), false, Map.of()));
        PodInfo p = PodInfo.builder("d", "p")
                .tolerations(List.of(new Toleration("b", Toleration.Operator.EXISTS, null, Taint.Effect.PREFER_NO_SCHEDULE)))
                .build();
        long[] s = {tt.score(null, p, n0), tt.score(null, p, n1), tt.score(null, p, n2)};
        assertThat(s).containsExactly(0, 1, 1);
        tt.normalize(null, p, s, 3);
        assertThat(s).containsExactly(100, 0, 0);
    }

    @Test
    void weightedSumOfDefaultProfileOnAnEmptyCluster() {
        // Two empty nodes 4000m/4000 and 2000m/4000; pod 1000m/1000.
        // Fit: n1 cpu 75 mem 75 -> 75; n2 cpu 50, mem 75 -> 62.
        // Balanced: n1 fractions .25/.25 -> 100; n2 .5/.25 -> std .125 -> 87.
        // TaintToleration: no taints -> reverse of all-zero -> 100 each, x3 = 300.
        // Others skip (no affinity, no spread, no images). Totals: n1 300+75+100 = 475; n2 300+62+87 = 449.
        TestCluster c = new TestCluster();
        c.node("n1", 4000, 4000, Map.of());
        c.node("n2", 2000, 4000, Map.of());
        PodInfo p = pod("p", 1000, 1000);
        Scheduler s = c.scheduler;
        s.cache().updateSnapshot(s.snapshot());
        CycleState st = s.framework().newCycleState();
        assertThat(s.framework().runPreFilter(st, p, s.snapshot()).status().isSuccess()).isTrue();
        List<NodeInfo> nodes = List.of(s.snapshot().get("n1"), s.snapshot().get("n2"));
        s.framework().runPreScore(st, p, nodes);
        Map<String, long[]> b = s.framework().scoreBreakdown(st, p, nodes);
        assertThat(b.get("TaintToleration")).containsExactly(300, 300);
        assertThat(b.get("NodeResourcesFit")).containsExactly(75, 62);
        assertThat(b.get("NodeResourcesBalancedAllocation")).containsExactly(100, 87);
        assertThat(s.framework().runScore(st, p, nodes)).startsWith(475, 449);
    }

    @Test
    void extendedResourcesThePodDoesNotRequestAreLeftOutOfTheFitScore() {
        // cpu (4000-2000)*100/4000 = 50, mem (10000-5000)*100/10000 = 50; the node's idle GPUs
        // (which would score 100) are not requested, so upstream skips them: 50, not (50+50+100)/3 = 66.
        NodeResourcesFit fit = new NodeResourcesFit(new ScoringStrategy.LeastAllocated(),
                List.of(new ResourceWeight("cpu", 1), new ResourceWeight("memory", 1), new ResourceWeight("example.com/gpu", 1)));
        NodeInfo n = new NodeInfo(new NodeInfo.NodeSpec("n", Map.of(Labels.HOSTNAME, "n"), List.of(),
                new Resources(4000, 10000, 0, 110, Map.of("example.com/gpu", 4L)), false, Map.of()));
        n.addPod(pod("e", 1000, 2000).withNodeName("n"));
        assertThat(fit.score(null, pod("p", 1000, 3000), n)).isEqualTo(50);
        // A pod that requests one GPU scores it: (50 + 50 + (4-1)*100/4 = 75) / 3 = 58.
        PodInfo gpu = PodInfo.builder("default", "g").requests(new Resources(1000, 3000, 0, 0, Map.of("example.com/gpu", 1L))).build();
        assertThat(fit.score(null, gpu, n)).isEqualTo(58);
    }

    @Test
    void systemDefaultSpreadingCountsNodesWithoutAZoneAsTheEmptyDomain() {
        // Nodes a, b in zone z1 and c without a zone; 10 matching pods on a. Upstream's zone
        // weight counts the "" domain of c: ln(2+2), not ln(1+2); hostname weight ln(3+2).
        // raw a = 10·ln5 + (3-1) + 10·ln4 + (5-1) = 35.96 -> 36; b = 10·ln4 + 6 = 19.86 -> 20;
        // c (no zone term) = 0·ln5 + 2 = 2. Normalized 100·(36+2-s)/36: a 5, b 50, c 100; weight 2.
        // (With ln3 for the zone it would be raw 33/17/2 -> 6/54/100.)
        Selector web = Selector.labels(Map.of("app", "web"));
        TestCluster c = new TestCluster();
        c.node("a", 64000, 1L << 36, Map.of(Labels.ZONE, "z1"));
        c.node("b", 64000, 1L << 36, Map.of(Labels.ZONE, "z1"));
        c.node("c", 64000, 1L << 36, Map.of());
        c.scheduler.onService("default/web", "default", web);
        for (int i = 0; i < 10; i++) {
            c.place(PodInfo.builder("default", "old" + i).labels(Map.of("app", "web")), "a");
        }
        PodInfo p = PodInfo.builder("default", "new").labels(Map.of("app", "web")).build();
        Scheduler s = c.scheduler;
        s.cache().updateSnapshot(s.snapshot());
        CycleState st = s.framework().newCycleState();
        assertThat(s.framework().runPreFilter(st, p, s.snapshot()).status().isSuccess()).isTrue();
        List<NodeInfo> nodes = List.of(s.snapshot().get("a"), s.snapshot().get("b"), s.snapshot().get("c"));
        s.framework().runPreScore(st, p, nodes);
        assertThat(s.framework().scoreBreakdown(st, p, nodes).get("PodTopologySpread")).containsExactly(10, 100, 200);
    }
}
