package io.kplane.controller;

import static io.kplane.controller.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.model.Condition;
import io.kplane.model.Lease;
import io.kplane.model.LeaseSpec;
import io.kplane.model.Node;
import io.kplane.model.NodeSpec;
import io.kplane.model.NodeStatus;
import io.kplane.model.ObjectMeta;
import io.kplane.model.Pod;
import io.kplane.model.Taint;
import io.kplane.model.Toleration;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeLifecycleTest {
    static final NodeLifecycle.Config CONFIG = new NodeLifecycle.Config(Duration.ofSeconds(50));

    static Node node(String ready, List<Taint> taints) {
        List<Condition> conds = List.of(
                new Condition("Ready", ready, "KubeletReady", null, null, T0, null, T0, null, null),
                new Condition("MemoryPressure", "False", null, null, null, T0, null, T0, null, null));
        return Node.of(ObjectMeta.of(null, "n1").withResourceVersion("1"), new NodeSpec(null, null, null, null, taints, null),
                new NodeStatus(null, null, null, conds, null, null, null, null));
    }

    static Lease lease(Instant renew) {
        return Lease.of(ObjectMeta.of(NodeLifecycle.NODE_LEASE_NAMESPACE, "n1"), LeaseSpec.of("n1", 40, renew, renew, 0));
    }

    static Pod pod(String name, Toleration... tolerations) {
        Pod p = Fixtures.pod(name, name, null, true, "n1");
        return p.withSpec(p.spec().withTolerations(List.of(tolerations)));
    }

    static Instant at(long s) {
        return T0.plusSeconds(s);
    }

    @Test
    void aNodeSilentForTheGracePeriodBecomesUnknownThenTaintedUnreachable() {
        NodeLifecycle nl = new NodeLifecycle(CONFIG);
        Node n = node("True", List.of());
        assertThat(nl.pass(List.of(n), Map.of("n1", lease(at(0))), List.of(), at(0)).actions()).isEmpty();
        // the lease is renewed at 30 s: observed then, so silence is counted from 30 s
        assertThat(nl.pass(List.of(n), Map.of("n1", lease(at(30))), List.of(), at(30)).actions()).isEmpty();
        NodeLifecycle.Plan quiet = nl.pass(List.of(n), Map.of("n1", lease(at(30))), List.of(), at(80));
        assertThat(quiet.actions()).as("50 s since the last renewal: not yet over").isEmpty();
        assertThat(quiet.nextAt()).isAfter(at(80));
        NodeLifecycle.Plan over = nl.pass(List.of(n), Map.of("n1", lease(at(30))), List.of(), at(81));
        assertThat(over.actions()).hasSize(1);
        Node unknown = (Node) ((Action.UpdateStatus<?>) over.actions().get(0)).object();
        assertThat(unknown.status().conditions()).extracting(Condition::status).containsOnly("Unknown");
        assertThat(Condition.find(unknown.status().conditions(), "Ready").reason()).isEqualTo("NodeStatusUnknown");
        assertThat(unknown.status().conditions()).extracting(Condition::type).contains("DiskPressure", "PIDPressure");

        NodeLifecycle.Plan taint = nl.pass(List.of(unknown), Map.of("n1", lease(at(30))), List.of(), at(82));
        Node tainted = (Node) ((Action.Update<?>) taint.actions().get(0)).object();
        assertThat(tainted.spec().taints()).extracting(Taint::key, Taint::effect).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(NodeLifecycle.UNREACHABLE, "NoExecute"),
                org.assertj.core.groups.Tuple.tuple(NodeLifecycle.UNREACHABLE, "NoSchedule"));
        assertThat(nl.pass(List.of(tainted), Map.of("n1", lease(at(30))), List.of(), at(83)).actions()).as("stable").isEmpty();
    }

    @Test
    void aKubeletReportingNotReadyGetsTheNotReadyTaintAndRecoveryRemovesIt() {
        NodeLifecycle nl = new NodeLifecycle(CONFIG);
        Node notReady = node("False", List.of(Taint.of("other", "x", "NoSchedule")));
        Node tainted = (Node) ((Action.Update<?>) nl.pass(List.of(notReady), Map.of(), List.of(), at(0)).actions().get(0)).object();
        assertThat(tainted.spec().taints()).extracting(Taint::key).containsExactlyInAnyOrder("other", NodeLifecycle.NOT_READY, NodeLifecycle.NOT_READY);
        Node recovered = node("True", tainted.spec().taints());
        Node clean = (Node) ((Action.Update<?>) nl.pass(List.of(recovered), Map.of(), List.of(), at(1)).actions().get(0)).object();
        assertThat(clean.spec().taints()).extracting(Taint::key).containsExactly("other");
    }

    @Test
    void podsAreEvictedAfterTheirTolerationSecondsAtOnceWithoutOneAndNeverWhenToleratedForever() {
        NodeLifecycle nl = new NodeLifecycle(CONFIG);
        Taint unreachable = new Taint(NodeLifecycle.UNREACHABLE, null, "NoExecute", at(100), null);
        Node n = node("Unknown", List.of(unreachable, new Taint(NodeLifecycle.UNREACHABLE, null, "NoSchedule", null, null)));
        Pod bare = pod("bare");
        // what the API server's DefaultTolerationSeconds admission gives a pod created without tolerations
        Pod admitted = pod("admitted", new Toleration(NodeLifecycle.NOT_READY, "Exists", null, "NoExecute", 300L, null),
                new Toleration(NodeLifecycle.UNREACHABLE, "Exists", null, "NoExecute", 300L, null));
        Pod short10 = pod("short", new Toleration(NodeLifecycle.UNREACHABLE, "Exists", null, "NoExecute", 10L, null));
        Pod forever = pod("forever", new Toleration(null, "Exists", null, null, null, null));
        Pod notReadyOnly = pod("not-ready-only", new Toleration(NodeLifecycle.NOT_READY, "Exists", null, "NoExecute", null, null));
        List<Pod> pods = List.of(bare, admitted, short10, forever, notReadyOnly);
        // Silence began long ago; the node is already Unknown and tainted at 100 s.
        NodeLifecycle.Plan p1 = nl.pass(List.of(n), Map.of(), pods, at(105));
        assertThat(p1.actions()).as("no toleration matches the unreachable taint: at once")
                .extracting(a -> ((Action.Delete<?>) a).name()).containsExactly("bare", "not-ready-only");
        assertThat(p1.nextAt()).isEqualTo(at(110));
        NodeLifecycle.Plan p2 = nl.pass(List.of(n), Map.of(), List.of(admitted, short10, forever), at(110));
        assertThat(p2.actions()).extracting(a -> ((Action.Delete<?>) a).name()).containsExactly("short");
        assertThat(p2.nextAt()).isEqualTo(at(400));
        assertThat(nl.pass(List.of(n), Map.of(), List.of(admitted, forever), at(399)).actions()).isEmpty();
        NodeLifecycle.Plan p3 = nl.pass(List.of(n), Map.of(), List.of(admitted, forever), at(400));
        assertThat(p3.actions()).extracting(a -> ((Action.Delete<?>) a).name()).containsExactly("admitted");
        assertThat(p3.nextAt()).isNull();
    }

    @Test
    void aNoExecuteTaintNobodyToleratesEvictsAtOnce() {
        NodeLifecycle nl = new NodeLifecycle(CONFIG);
        Node n = node("True", List.of(new Taint("dedicated", "gpu", "NoExecute", at(0), null)));
        Pod plain = pod("plain");
        Pod ok = pod("ok", new Toleration("dedicated", "Equal", "gpu", "NoExecute", null, null));
        assertThat(nl.pass(List.of(n), Map.of(), List.of(plain, ok), at(1)).actions())
                .extracting(a -> ((Action.Delete<?>) a).name()).containsExactly("plain");
    }
}
