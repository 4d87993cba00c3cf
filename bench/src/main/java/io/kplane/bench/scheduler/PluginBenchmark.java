package io.kplane.bench.scheduler;

import io.kplane.scheduler.AffinityTerm;
import io.kplane.scheduler.Labels;
import io.kplane.scheduler.NodeInfo;
import io.kplane.scheduler.PodInfo;
import io.kplane.scheduler.Resources;
import io.kplane.scheduler.Selector;
import io.kplane.scheduler.Snapshot;
import io.kplane.scheduler.framework.CycleState;
import io.kplane.scheduler.plugins.BalancedAllocation;
import io.kplane.scheduler.plugins.InterPodAffinity;
import io.kplane.scheduler.plugins.NodeAffinity;
import io.kplane.scheduler.plugins.NodeResourcesFit;
import io.kplane.scheduler.plugins.TaintToleration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-node cost of the hot Filter/Score plugins over 512 scheduler_perf-shaped nodes (4 CPU,
 * 32 GiB, a few pods each). Each operation evaluates all 512 nodes; divide by 512 for ns/node.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class PluginBenchmark {

    static final int NODES = 512;
    static final long MI = 1024L * 1024;

    NodeInfo[] nodes;
    PodInfo pod;
    PodInfo affinityPod;
    NodeResourcesFit fit = new NodeResourcesFit();
    BalancedAllocation balanced = new BalancedAllocation();
    TaintToleration taints = new TaintToleration();
    NodeAffinity nodeAffinity = new NodeAffinity();
    InterPodAffinity interPod;
    CycleState state;

    @Setup
    public void setup() {
        nodes = new NodeInfo[NODES];
        for (int i = 0; i < NODES; i++) {
            String name = "node-" + i;
            nodes[i] = new NodeInfo(NodeInfo.NodeSpec.of(name, Map.of(Labels.HOSTNAME, name, Labels.ZONE, "zone" + (i % 3)),
                    Resources.of(4000, 32 * 1024 * MI, 110)));
            for (int p = 0; p < i % 5; p++) {
                nodes[i].addPod(PodInfo.builder("default", "p-" + i + "-" + p).requests(100, 500 * MI).nodeName(name)
                        .labels(Map.of("color", p % 2 == 0 ? "green" : "blue")).build());
            }
        }
        pod = PodInfo.builder("default", "incoming").requests(100, 500 * MI).build();
        affinityPod = PodInfo.builder("default", "anti").requests(100, 500 * MI).labels(Map.of("color", "green"))
                .requiredAntiAffinity(List.of(AffinityTerm.required(Selector.labels(Map.of("color", "green")), Set.of(),
                        Labels.HOSTNAME))).build();
        Snapshot[] snap = {null};
        interPod = new InterPodAffinity(() -> snap[0]);
        interPod.setSlot(0);
        state = new CycleState(1);
        // Filter state for the anti-affinity pod: matching pods per host, counted directly.
        io.kplane.scheduler.SchedulerCache cache = new io.kplane.scheduler.SchedulerCache();
        for (NodeInfo n : nodes) {
            cache.addNode(n.node());
            for (PodInfo p : n.pods()) {
                cache.addPod(p);
            }
        }
        snap[0] = new Snapshot();
        cache.updateSnapshot(snap[0]);
        nodes = snap[0].nodes().toArray(new NodeInfo[0]);
        interPod.preFilter(state, affinityPod, snap[0]);
    }

    @Benchmark
    public int fitFilter() {
        int ok = 0;
        for (NodeInfo n : nodes) {
            if (fit.filter(null, pod, n).isSuccess()) {
                ok++;
            }
        }
        return ok;
    }

    @Benchmark
    public long fitScoreLeastAllocated() {
        long s = 0;
        for (NodeInfo n : nodes) {
            s += fit.score(null, pod, n);
        }
        return s;
    }

    @Benchmark
    public long balancedAllocationScore() {
        long s = 0;
        for (NodeInfo n : nodes) {
            s += balanced.score(null, pod, n);
        }
        return s;
    }

    @Benchmark
    public int taintTolerationFilter() {
        int ok = 0;
        for (NodeInfo n : nodes) {
            if (taints.filter(null, pod, n).isSuccess()) {
                ok++;
            }
        }
        return ok;
    }

    @Benchmark
    public int interPodAntiAffinityFilter() {
        int ok = 0;
        for (NodeInfo n : nodes) {
            if (interPod.filter(state, affinityPod, n).isSuccess()) {
                ok++;
            }
        }
        return ok;
    }
}
