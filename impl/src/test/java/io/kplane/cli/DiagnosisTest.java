package io.kplane.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.model.Deployment;
import io.kplane.model.EndpointSlice;
import io.kplane.model.Json;
import io.kplane.model.Lease;
import io.kplane.model.Node;
import io.kplane.model.Pod;
import io.kplane.model.ReplicaSet;
import io.kplane.model.Service;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Diagnosis as a pure function: each failure scenario is a set of objects, and the finding names the component. */
class DiagnosisTest {
    static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

    static Lease lease(String ns, String name, String holder, int secondsAgo) {
        return Json.read("apiVersion: coordination.k8s.io/v1\nkind: Lease\nmetadata: {name: " + name + ", namespace: " + ns + "}\n"
                + "spec: {holderIdentity: " + holder + ", leaseDurationSeconds: 15, renewTime: \"" + NOW.minusSeconds(secondsAgo) + "\"}\n",
                Lease.class);
    }

    static Node node(String name, String ready) {
        return Json.read("apiVersion: v1\nkind: Node\nmetadata: {name: " + name + "}\nstatus:\n  conditions:\n"
                + "  - {type: Ready, status: \"" + ready + "\", reason: KubeletReady, message: ok}\n", Node.class);
    }

    static Pod pod(String name, String node, String ip, boolean ready) {
        String spec = node == null ? "spec: {containers: [{name: c, image: i}]}\n"
                : "spec: {nodeName: " + node + ", containers: [{name: c, image: i}]}\n";
        String status = node == null ? "status: {phase: Pending}\n"
                : "status:\n  phase: Running\n  podIP: " + ip + "\n  conditions:\n  - {type: Ready, status: \"" + (ready ? "True" : "False") + "\"}\n";
        return Json.read("apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name + "\n  namespace: default\n"
                + "  creationTimestamp: \"" + NOW.minusSeconds(120) + "\"\n  labels: {app: web}\n"
                + "  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-1, uid: rs1, controller: true}]\n"
                + spec + status, Pod.class);
    }

    static final Deployment DEPLOYMENT = Json.read("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: default, uid: d1}\n"
            + "spec: {replicas: 2, selector: {matchLabels: {app: web}}}\n", Deployment.class);
    static final ReplicaSet REPLICA_SET = Json.read("apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: web-1\n  namespace: default\n"
            + "  uid: rs1\n  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: d1, controller: true}]\n"
            + "spec: {replicas: 2, selector: {matchLabels: {app: web}}}\n", ReplicaSet.class);
    static final Service SERVICE = Json.read("apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: default}\n"
            + "spec: {clusterIP: 10.96.0.10, selector: {app: web}, ports: [{name: http, port: 80}]}\n", Service.class);
    static final EndpointSlice SLICE = Json.read("apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: web-x\n"
            + "  namespace: default\n  labels: {kubernetes.io/service-name: web}\naddressType: IPv4\nendpoints:\n"
            + "- addresses: [10.244.0.2]\n  conditions: {ready: true}\n- addresses: [10.244.1.2]\n  conditions: {ready: true}\n"
            + "ports: [{name: http, port: 8080, protocol: TCP}]\n", EndpointSlice.class);
    static final String RULES = "-A KUBE-SEP-A -j DNAT --to-destination 10.244.0.2:8080\n-A KUBE-SEP-B -j DNAT --to-destination 10.244.1.2:8080\n";

    /** A healthy cluster, as lists that each scenario then breaks. */
    static final class Cluster {
        List<Deployment> deployments = new ArrayList<>(List.of(DEPLOYMENT));
        List<ReplicaSet> replicaSets = new ArrayList<>(List.of(REPLICA_SET));
        List<Pod> pods = new ArrayList<>(List.of(pod("web-1-a", "n0", "10.244.0.2", true), pod("web-1-b", "n1", "10.244.1.2", true)));
        List<Node> nodes = new ArrayList<>(List.of(node("n0", "True"), node("n1", "True")));
        List<Lease> leases = new ArrayList<>(List.of(lease("kube-system", "kube-controller-manager", "cm-0", 1),
                lease("kube-system", "kube-scheduler", "sched-0", 1),
                lease("kube-node-lease", "n0", "n0", 3), lease("kube-node-lease", "n1", "n1", 3)));
        List<Service> services = new ArrayList<>(List.of(SERVICE));
        List<EndpointSlice> slices = new ArrayList<>(List.of(SLICE));
        Diagnosis.ProxyState proxy = new Diagnosis.ProxyState(RULES, NOW.minusSeconds(1));

        void replaceLease(Lease l) {
            leases.removeIf(x -> x.metadata().name().equals(l.metadata().name()) && x.metadata().namespace().equals(l.metadata().namespace()));
            leases.add(l);
        }

        List<Diagnosis.Finding> analyze() {
            return Diagnosis.analyze(new Diagnosis.Snapshot(NOW, deployments, replicaSets, pods, nodes, leases, services, slices,
                    List.of(), proxy));
        }
    }

    @Test
    void aHealthyClusterHasNoFindings() {
        assertThat(new Cluster().analyze()).isEmpty();
    }

    @Test
    void aDeploymentWithoutPodsAndAnExpiredControllerManagerLeaseBlamesTheControllerManager() {
        Cluster c = new Cluster();
        c.replicaSets.clear();
        c.pods.clear();
        c.slices.clear();
        c.replaceLease(lease("kube-system", "kube-controller-manager", "cm-0", 40));
        List<Diagnosis.Finding> f = c.analyze();
        assertThat(f).anySatisfy(x -> {
            assertThat(x.component()).isEqualTo("controller-manager");
            assertThat(x.subject()).isEqualTo("deployment/default/web");
            assertThat(x.explanation()).contains("down").contains("cm-0").contains("last renewed 40 s ago");
        });
        assertThat(f).noneMatch(x -> x.component().equals("scheduler"));
    }

    @Test
    void aPodPendingLongWhileTheSchedulerLeadsIsStillReported() {
        Cluster c = new Cluster();
        c.pods.add(pod("web-1-c", null, null, false));
        assertThat(c.analyze()).singleElement().satisfies(x -> {
            assertThat(x.component()).isEqualTo("scheduler");
            assertThat(x.explanation()).contains("Pending for 120 s").contains("although the scheduler leads");
        });
    }

    @Test
    void pendingPodsNameTheSchedulerWhenItsLeaseExpired() {
        Cluster c = new Cluster();
        c.pods.add(pod("web-1-c", null, null, false));
        c.replaceLease(lease("kube-system", "kube-scheduler", "sched-0", 30));
        assertThat(c.analyze()).singleElement().satisfies(x -> {
            assertThat(x.component()).isEqualTo("scheduler");
            assertThat(x.subject()).isEqualTo("pod/default/web-1-c");
            assertThat(x.explanation()).contains("scheduler is down");
        });
    }

    @Test
    void anUnschedulablePodIsExplainedByItsPodScheduledCondition() {
        Cluster c = new Cluster();
        Pod p = Json.read(Json.write(pod("big", null, null, false)).replace("\"phase\":\"Pending\"",
                "\"phase\":\"Pending\",\"conditions\":[{\"type\":\"PodScheduled\",\"status\":\"False\",\"reason\":\"Unschedulable\","
                        + "\"message\":\"0/2 nodes are available: 2 Insufficient cpu.\"}]"), Pod.class);
        c.pods.add(p);
        assertThat(c.analyze()).singleElement().satisfies(x -> {
            assertThat(x.component()).isEqualTo("scheduling");
            assertThat(x.explanation()).contains("0/2 nodes are available: 2 Insufficient cpu.");
        });
    }

    @Test
    void aNodeWhoseLeaseStoppedBeingRenewedBlamesItsKubelet() {
        Cluster c = new Cluster();
        c.replaceLease(lease("kube-node-lease", "n1", "n1", 70));
        c.nodes.set(1, node("n1", "Unknown"));
        assertThat(c.analyze()).singleElement().satisfies(x -> {
            assertThat(x.component()).isEqualTo("kubelet");
            assertThat(x.subject()).isEqualTo("node/n1");
            assertThat(x.explanation()).contains("stopped renewing its Lease kube-node-lease/n1").contains("70 s ago");
        });
    }

    @Test
    void aServiceWithReadyPodsButNoSlicesBlamesTheEndpointSliceController() {
        Cluster c = new Cluster();
        c.slices.clear();
        c.replaceLease(lease("kube-system", "kube-controller-manager", "cm-1", 20));
        assertThat(c.analyze()).singleElement().satisfies(x -> {
            assertThat(x.component()).isEqualTo("controller-manager");
            assertThat(x.subject()).isEqualTo("service/default/web");
            assertThat(x.explanation()).contains("EndpointSlice controller").contains("down");
        });
    }

    @Test
    void aServiceWhosePodsAreNotReadyHasNoEndpointsBecauseOfTheWorkload() {
        Cluster c = new Cluster();
        c.slices.clear();
        c.pods.replaceAll(p -> pod(p.metadata().name(), p.spec().nodeName(), p.status().podIP(), false));
        assertThat(c.analyze()).singleElement().satisfies(x -> {
            assertThat(x.component()).isEqualTo("workload");
            assertThat(x.explanation()).contains("none of its 2 selected pod(s) is ready");
        });
    }

    @Test
    void anEndpointMissingFromTheProxyRulesSaysTheProxyIsBehind() {
        Cluster c = new Cluster();
        c.proxy = new Diagnosis.ProxyState(RULES.lines().findFirst().orElseThrow(), NOW.minusSeconds(90));
        assertThat(c.analyze()).singleElement().satisfies(x -> {
            assertThat(x.component()).isEqualTo("proxy");
            assertThat(x.explanation()).contains("10.244.1.2").contains("last sync 90 s ago");
        });
    }
}
