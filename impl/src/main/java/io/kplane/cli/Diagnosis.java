package io.kplane.cli;

import io.kplane.model.Condition;
import io.kplane.model.Deployment;
import io.kplane.model.Endpoint;
import io.kplane.model.EndpointSlice;
import io.kplane.model.Event;
import io.kplane.model.KubeObject;
import io.kplane.model.Lease;
import io.kplane.model.Node;
import io.kplane.model.ObjectMeta;
import io.kplane.model.OwnerReference;
import io.kplane.model.Pod;
import io.kplane.model.ReplicaSet;
import io.kplane.model.Service;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What is wrong with a cluster, from its own objects: a pure function of a {@link Snapshot}
 * (objects plus the time they were read), so each scenario is a fixture in a test.
 *
 * <p>Lease liveness compares {@code renewTime + leaseDurationSeconds} with this machine's clock:
 * the holder's clock and ours may drift, so a Lease a few seconds past expiry is reported with its
 * age and the reader judges.
 */
final class Diagnosis {
    static final String CM_LEASE = "kube-controller-manager";
    static final String SCHED_LEASE = "kube-scheduler";
    /** How long a pod may stay Pending without a reason before the scheduler is suspected. */
    static final Duration PENDING_GRACE = Duration.ofSeconds(30);

    /** The proxy's view: its rules text and when it last synced (null when unknown). */
    record ProxyState(String rules, Instant lastSync) {
    }

    record Snapshot(Instant now, List<Deployment> deployments, List<ReplicaSet> replicaSets, List<Pod> pods, List<Node> nodes,
                    List<Lease> leases, List<Service> services, List<EndpointSlice> slices, List<Event> events, ProxyState proxy) {
    }

    /** One problem: the component to blame, the object that shows it, and why. */
    record Finding(String component, String subject, String explanation) {
        @Override
        public String toString() {
            return "[" + component + "] " + subject + ": " + explanation;
        }
    }

    private Diagnosis() {
    }

    static List<Finding> analyze(Snapshot s) {
        List<Finding> out = new ArrayList<>();
        String cm = leaderProblem(s, CM_LEASE);
        String sched = leaderProblem(s, SCHED_LEASE);
        for (Deployment d : s.deployments()) {
            int want = d.spec() == null || d.spec().replicas() == null ? 1 : d.spec().replicas();
            if (want == 0 || d.metadata().deletionTimestamp() != null) {
                continue;
            }
            boolean hasRs = s.replicaSets().stream().anyMatch(rs -> ownedBy(rs, "Deployment", d.metadata()));
            if (!hasRs) {
                out.add(new Finding("controller-manager", "deployment/" + name(d), cm != null
                        ? "no ReplicaSet: the controller-manager is down (" + cm + ")"
                        : "no ReplicaSet although the controller-manager leads: it is failing" + warnings(s, d)));
            }
        }
        for (ReplicaSet rs : s.replicaSets()) {
            int want = rs.spec() == null || rs.spec().replicas() == null ? 1 : rs.spec().replicas();
            if (want == 0 || rs.metadata().deletionTimestamp() != null) {
                continue;
            }
            boolean hasPods = s.pods().stream().anyMatch(p -> ownedBy(p, "ReplicaSet", rs.metadata()));
            if (!hasPods) {
                out.add(new Finding("controller-manager", "replicaset/" + name(rs), cm != null
                        ? "wants " + want + " pod(s), has none: the controller-manager is down (" + cm + ")"
                        : "wants " + want + " pod(s), has none although the controller-manager leads: it is failing" + warnings(s, rs)));
            }
        }
        for (Pod p : s.pods()) {
            if (p.metadata().deletionTimestamp() != null || (p.spec() != null && p.spec().nodeName() != null)) {
                continue;
            }
            Optional<Condition> scheduled = condition(p.status() == null ? null : p.status().conditions(), "PodScheduled");
            if (scheduled.isPresent() && "False".equals(scheduled.get().status())) {
                String why = scheduled.get().message() != null ? scheduled.get().message() : scheduled.get().reason();
                out.add(new Finding("scheduling", "pod/" + name(p), "unschedulable: " + why));
            } else if (sched != null) {
                out.add(new Finding("scheduler", "pod/" + name(p), "Pending, not scheduled: the scheduler is down (" + sched + ")"));
            } else if (age(s, p.metadata()).compareTo(PENDING_GRACE) > 0) {
                out.add(new Finding("scheduler", "pod/" + name(p), "Pending for " + age(s, p.metadata()).toSeconds()
                        + " s without a scheduling attempt although the scheduler leads"));
            }
        }
        for (Node n : s.nodes()) {
            Lease l = lease(s, "kube-node-lease", n.metadata().name());
            String since = l == null ? "has no Lease in kube-node-lease" : expired(s, l);
            Optional<Condition> ready = condition(n.status() == null ? null : n.status().conditions(), "Ready");
            boolean notReady = ready.isEmpty() || !"True".equals(ready.get().status());
            if (since != null || notReady) {
                String cause = since != null ? "its kubelet stopped renewing its Lease kube-node-lease/" + n.metadata().name()
                        + " (" + since + ")" : "Ready=" + ready.map(Condition::status).orElse("missing")
                        + ready.map(c -> " (" + c.reason() + ": " + c.message() + ")").orElse("");
                out.add(new Finding("kubelet", "node/" + n.metadata().name(), (notReady ? "NotReady: " : "") + cause));
            }
        }
        for (Service svc : s.services()) {
            Map<String, String> sel = svc.spec() == null ? null : svc.spec().selector();
            if (sel == null || sel.isEmpty()) {
                continue;
            }
            List<EndpointSlice> slices = s.slices().stream().filter(es -> sameNs(es, svc)
                    && svc.metadata().name().equals(es.metadata().labels().get("kubernetes.io/service-name"))).toList();
            List<Pod> matching = s.pods().stream().filter(p -> sameNs(p, svc) && selects(sel, p.metadata().labels())).toList();
            long readyPods = matching.stream().filter(Diagnosis::ready).count();
            boolean anyReadyEndpoint = slices.stream().flatMap(es -> es.endpoints().stream()).anyMatch(Diagnosis::ready);
            if (anyReadyEndpoint) {
                continue;
            }
            if (readyPods == 0) {
                out.add(new Finding("workload", "service/" + name(svc), "no endpoints: none of its " + matching.size()
                        + " selected pod(s) is ready"));
            } else {
                out.add(new Finding("controller-manager", "service/" + name(svc), readyPods + " ready pod(s) but no ready endpoints: "
                        + (cm != null ? "the EndpointSlice controller (controller-manager) is down (" + cm + ")"
                        : "the EndpointSlice controller is behind or failing")));
            }
        }
        if (s.proxy() != null) {
            for (EndpointSlice es : s.slices()) {
                for (Endpoint e : es.endpoints()) {
                    if (!ready(e)) {
                        continue;
                    }
                    for (String ip : e.addresses()) {
                        if (!s.proxy().rules().contains("--to-destination " + ip + ":")) {
                            String last = s.proxy().lastSync() == null ? "never synced"
                                    : "last sync " + Duration.between(s.proxy().lastSync(), s.now()).toSeconds() + " s ago";
                            out.add(new Finding("proxy", "endpointslice/" + name(es), "endpoint " + ip
                                    + " is not in the proxy rules: the proxy is behind (" + last + ")"));
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Null when the leader Lease is live, otherwise why not. */
    static String leaderProblem(Snapshot s, String leaseName) {
        Lease l = lease(s, "kube-system", leaseName);
        if (l == null || l.spec() == null || l.spec().holderIdentity() == null || l.spec().holderIdentity().isEmpty()) {
            return "no leader: Lease kube-system/" + leaseName + (l == null ? " does not exist" : " has no holder");
        }
        String exp = expired(s, l);
        return exp == null ? null : "no live leader: Lease kube-system/" + leaseName + " of " + l.spec().holderIdentity() + " " + exp;
    }

    /** Null when the Lease is live, otherwise "last renewed N s ago (duration D s)". */
    private static String expired(Snapshot s, Lease l) {
        if (l.spec() == null || l.spec().renewTime() == null) {
            return "never renewed";
        }
        int dur = l.spec().leaseDurationSeconds() == null ? 15 : l.spec().leaseDurationSeconds();
        Instant until = l.spec().renewTime().plusSeconds(dur);
        if (s.now().isBefore(until)) {
            return null;
        }
        return "last renewed " + Duration.between(l.spec().renewTime(), s.now()).toSeconds() + " s ago, leaseDurationSeconds " + dur;
    }

    private static Lease lease(Snapshot s, String ns, String name) {
        return s.leases().stream().filter(l -> ns.equals(l.metadata().namespace()) && name.equals(l.metadata().name()))
                .findFirst().orElse(null);
    }

    private static boolean ownedBy(KubeObject o, String kind, ObjectMeta owner) {
        for (OwnerReference r : o.metadata().ownerReferences()) {
            if (kind.equals(r.kind()) && (owner.uid() != null ? owner.uid().equals(r.uid()) : owner.name().equals(r.name()))) {
                return true;
            }
        }
        return false;
    }

    private static String warnings(Snapshot s, KubeObject o) {
        List<String> msgs = s.events().stream().filter(e -> "Warning".equals(e.type()) && e.involvedObject() != null
                        && o.metadata().name().equals(e.involvedObject().name()) && o.kind().equals(e.involvedObject().kind()))
                .map(e -> e.reason() + ": " + e.message()).toList();
        return msgs.isEmpty() ? " (no Warning events)" : " (" + String.join("; ", msgs) + ")";
    }

    private static Optional<Condition> condition(List<Condition> cs, String type) {
        return cs == null ? Optional.empty() : cs.stream().filter(c -> type.equals(c.type())).findFirst();
    }

    private static boolean ready(Pod p) {
        return p.status() != null && condition(p.status().conditions(), "Ready").map(c -> "True".equals(c.status())).orElse(false);
    }

    private static boolean ready(Endpoint e) {
        return e.conditions() == null || e.conditions().ready() == null || e.conditions().ready();
    }

    private static boolean selects(Map<String, String> selector, Map<String, String> labels) {
        return selector.entrySet().stream().allMatch(en -> en.getValue().equals(labels.get(en.getKey())));
    }

    private static boolean sameNs(KubeObject a, KubeObject b) {
        return java.util.Objects.equals(a.metadata().namespace(), b.metadata().namespace());
    }

    private static Duration age(Snapshot s, ObjectMeta m) {
        return m.creationTimestamp() == null ? Duration.ZERO : Duration.between(m.creationTimestamp(), s.now());
    }

    private static String name(KubeObject o) {
        return o.metadata().namespace() + "/" + o.metadata().name();
    }
}
