package io.kplane.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.scheduler.framework.CycleState;
import io.kplane.scheduler.framework.Plugin;
import io.kplane.scheduler.framework.Status;
import io.kplane.scheduler.plugins.InterPodAffinity;
import io.kplane.scheduler.plugins.PodTopologySpread;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The cross-cycle counts of PodTopologySpread and InterPodAffinity (kept up to date from the
 * snapshot's change log) give the same filter and score results as fresh plugins that count
 * everything from scratch, after random sequences of pod adds, binds and deletions.
 */
class IncrementalCountsTest {

    static final Selector A = Selector.labels(Map.of("color", "a"));

    static PodInfo.Builder random(SplittableRandom r, int i) {
        String color = r.nextBoolean() ? "a" : "b";
        PodInfo.Builder b = PodInfo.builder(r.nextInt(4) == 0 ? "other" : "default", "p" + i)
                .labels(Map.of("color", color)).requests(100 + r.nextInt(400), 100);
        switch (r.nextInt(5)) {
            case 0 -> b.spreadConstraints(List.of(SpreadConstraint.hard(1 + r.nextInt(2), Labels.ZONE, A)));
            case 1 -> b.requiredAntiAffinity(List.of(AffinityTerm.required(A, Set.of(), Labels.HOSTNAME)));
            case 2 -> b.preferredAffinity(List.of(new AffinityTerm(A, Set.of(), null, Labels.ZONE, 1 + r.nextInt(100))));
            case 3 -> b.requiredAffinity(List.of(AffinityTerm.required(Selector.labels(Map.of("color", color)), Set.of(), Labels.ZONE)));
            default -> { }
        }
        return b;
    }

    @Test
    void incrementalCountsEqualAFullRecount() {
        for (long seed = 1; seed <= 5; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            TestCluster c = new TestCluster();
            for (int i = 0; i < 9; i++) {
                c.node("n" + i, 4000, 1L << 32, Map.of(Labels.ZONE, "z" + (i % 3)));
            }
            List<PodInfo> probes = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                probes.add(random(r, 10_000 + i).build());
            }
            for (int step = 0; step < 60; step++) {
                if (r.nextInt(4) == 0 && !c.pods.isEmpty()) {
                    List<PodInfo> all = new ArrayList<>(c.pods.values());
                    PodInfo victim = all.get(r.nextInt(all.size()));
                    c.pods.remove(victim.uid());
                    c.scheduler.onPodDelete(victim);
                } else {
                    c.add(random(r, step));
                }
                c.run(1, 1);
                // Drive one cycle of every probe through the live (cached) plugins, then compare.
                for (PodInfo probe : probes) {
                    compare(c.scheduler, probe);
                }
            }
        }
    }

    private static void compare(Scheduler s, PodInfo probe) {
        s.cache().updateSnapshot(s.snapshot());
        Snapshot snap = s.snapshot();
        List<Plugin> live = new ArrayList<>();
        for (Plugin p : s.framework().plugins()) {
            if (p instanceof PodTopologySpread || p instanceof InterPodAffinity) {
                live.add(p);
            }
        }
        PodTopologySpread freshSpread = new PodTopologySpread(() -> snap);
        InterPodAffinity freshAffinity = new InterPodAffinity(() -> snap);
        List<Plugin> fresh = List.of(freshSpread, freshAffinity);
        for (int k = 0; k < 2; k++) {
            Plugin a = live.get(k);
            Plugin b = fresh.get(k);
            b.setSlot(0);
            CycleState sa = s.framework().newCycleState();
            CycleState sb = new CycleState(1);
            int slotA = s.framework().plugins().indexOf(a);
            Plugin.PreFilterResult ra = ((Plugin.PreFilter) a).preFilter(sa, probe, snap);
            Plugin.PreFilterResult rb = ((Plugin.PreFilter) b).preFilter(sb, probe, snap);
            assertThat(ra.status().code()).isEqualTo(rb.status().code());
            if (ra.status().isSuccess()) {
                for (NodeInfo n : snap.nodes()) {
                    Status fa = ((Plugin.Filter) a).filter(sa, probe, n);
                    Status fb = ((Plugin.Filter) b).filter(sb, probe, n);
                    assertThat(fa.code()).as(a.name() + " on " + n.name() + " slot " + slotA).isEqualTo(fb.code());
                }
            }
            Status pa = ((Plugin.PreScore) a).preScore(sa, probe, snap.nodes());
            Status pb = ((Plugin.PreScore) b).preScore(sb, probe, snap.nodes());
            assertThat(pa.code()).isEqualTo(pb.code());
            if (pa.isSuccess()) {
                for (NodeInfo n : snap.nodes()) {
                    assertThat(((Plugin.Score) a).score(sa, probe, n)).isEqualTo(((Plugin.Score) b).score(sb, probe, n));
                }
            }
        }
    }
}
