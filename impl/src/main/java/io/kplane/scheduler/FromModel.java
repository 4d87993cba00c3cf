package io.kplane.scheduler;

import io.kplane.model.Affinity;
import io.kplane.model.Container;
import io.kplane.model.ContainerImage;
import io.kplane.model.ContainerPort;
import io.kplane.model.LabelSelectorRequirement;
import io.kplane.model.NodeSelectorRequirement;
import io.kplane.model.NodeSelectorTerm;
import io.kplane.model.Pod;
import io.kplane.model.PodAffinityTerm;
import io.kplane.model.PodSchedulingGate;
import io.kplane.model.PodSpec;
import io.kplane.model.PriorityClass;
import io.kplane.model.QosClass;
import io.kplane.model.Quantity;
import io.kplane.model.WeightedPodAffinityTerm;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Builds the scheduler's views ({@link PodInfo}, {@link NodeInfo.NodeSpec}, {@link Selector})
 * from API objects of {@code io.kplane.model}, once per object change, so that the hot path never
 * touches Quantities, strings of operators or optional fields.
 */
public final class FromModel {

    private FromModel() {}

    /**
     * A pod. Priority is {@code spec.priority} when admission set it, else the value of its
     * PriorityClass ({@code priorityClasses} may return null), else 0.
     */
    public static PodInfo pod(Pod pod, Function<String, PriorityClass> priorityClasses) {
        var meta = pod.metadata();
        PodSpec spec = pod.spec();
        String ns = meta.namespace() == null ? "default" : meta.namespace();
        Map<String, String> labels = nz(meta.labels());
        PodInfo.Builder b = PodInfo.builder(ns, meta.name());
        b.uid(meta.uid() != null ? meta.uid() : ns + "/" + meta.name()).labels(labels);
        long created = nanos(meta.creationTimestamp());
        b.creationNanos(created);
        var status = pod.status();
        // Upstream GetPodStartTime: a pod that has not started yet counts as starting now.
        b.startNanos(status != null && status.startTime() != null ? nanos(status.startTime()) : PodInfo.NOT_STARTED);
        b.terminating(meta.deletionTimestamp() != null);
        b.disruptedByPreemption(status != null && disruptedByPreemption(status.conditions()));
        if (status != null && status.nominatedNodeName() != null && !status.nominatedNodeName().isEmpty()) {
            b.nominatedNodeName(status.nominatedNodeName());
        }
        if (spec == null) {
            return b.bestEffort(true).build();
        }
        if (spec.nodeName() != null && !spec.nodeName().isEmpty()) {
            b.nodeName(spec.nodeName());
        }
        PriorityClass pc = spec.priorityClassName() == null ? null : priorityClasses.apply(spec.priorityClassName());
        int priority = spec.priority() != null ? spec.priority() : pc != null && pc.value() != null ? pc.value() : 0;
        b.priority(priority);
        String policy = spec.preemptionPolicy() != null ? spec.preemptionPolicy() : pc == null ? null : pc.preemptionPolicy();
        b.preemptNever("Never".equals(policy));
        requests(spec, b);
        b.bestEffort(QosClass.of(pod) == QosClass.BEST_EFFORT);
        b.nodeSelector(nz(spec.nodeSelector()));
        Affinity aff = spec.affinity();
        if (aff != null && aff.nodeAffinity() != null) {
            var na = aff.nodeAffinity();
            if (na.requiredDuringSchedulingIgnoredDuringExecution() != null) {
                List<NodeSelector.Term> terms = new ArrayList<>();
                for (NodeSelectorTerm t : nz(na.requiredDuringSchedulingIgnoredDuringExecution().nodeSelectorTerms())) {
                    terms.add(term(t));
                }
                b.requiredNodeAffinity(new NodeSelector(terms));
            }
            List<NodeSelector.Preferred> prefs = new ArrayList<>();
            for (var p : nz(na.preferredDuringSchedulingIgnoredDuringExecution())) {
                prefs.add(new NodeSelector.Preferred(p.weight() == null ? 0 : p.weight(), term(p.preference())));
            }
            b.preferredNodeAffinity(prefs);
        }
        if (aff != null && aff.podAffinity() != null) {
            b.requiredAffinity(terms(aff.podAffinity().requiredDuringSchedulingIgnoredDuringExecution(), labels));
            b.preferredAffinity(weighted(aff.podAffinity().preferredDuringSchedulingIgnoredDuringExecution(), labels));
        }
        if (aff != null && aff.podAntiAffinity() != null) {
            b.requiredAntiAffinity(terms(aff.podAntiAffinity().requiredDuringSchedulingIgnoredDuringExecution(), labels));
            b.preferredAntiAffinity(weighted(aff.podAntiAffinity().preferredDuringSchedulingIgnoredDuringExecution(), labels));
        }
        List<Toleration> tols = new ArrayList<>();
        for (var t : nz(spec.tolerations())) {
            tols.add(new Toleration(t.key(), "Exists".equals(t.operator()) ? Toleration.Operator.EXISTS : Toleration.Operator.EQUAL,
                    t.value(), effect(t.effect())));
        }
        b.tolerations(tols);
        List<SpreadConstraint> spread = new ArrayList<>();
        for (var c : nz(spec.topologySpreadConstraints())) {
            Selector sel = selector(c.labelSelector());
            Map<String, String> extra = new HashMap<>();
            for (String k : nz(c.matchLabelKeys())) {
                if (labels.containsKey(k)) {
                    extra.put(k, labels.get(k));
                }
            }
            spread.add(new SpreadConstraint(c.maxSkew() == null ? 1 : c.maxSkew(), c.topologyKey(),
                    !"ScheduleAnyway".equals(c.whenUnsatisfiable()), sel.and(extra),
                    c.minDomains() == null ? 1 : c.minDomains(), !"Ignore".equals(c.nodeAffinityPolicy()),
                    "Honor".equals(c.nodeTaintsPolicy())));
        }
        b.spreadConstraints(spread);
        List<String> gates = new ArrayList<>();
        for (PodSchedulingGate g : nz(spec.schedulingGates())) {
            gates.add(g.name());
        }
        b.schedulingGates(gates);
        List<HostPort> ports = new ArrayList<>();
        List<String> images = new ArrayList<>();
        List<Container> regular = nz(spec.containers());
        for (List<Container> group : List.of(nz(spec.initContainers()), regular)) {
            for (Container c : group) {
                if (c.image() != null) {
                    images.add(normalizedImage(c.image()));
                }
                if (group != regular) {
                    continue; // upstream's NodePorts reads spec.containers only, as does NodeInfo's usedPorts
                }
                for (ContainerPort p : nz(c.ports())) {
                    if (p.hostPort() != null && p.hostPort() > 0) {
                        ports.add(new HostPort(p.protocol() == null ? "TCP" : p.protocol(),
                                p.hostIP() == null || p.hostIP().isEmpty() ? HostPort.ANY_IP : p.hostIP(), p.hostPort()));
                    }
                }
            }
        }
        b.hostPorts(ports).images(images);
        return b.build();
    }

    /**
     * Upstream's pod request: the sum over containers (sidecar init containers, restartPolicy
     * Always, run alongside), at least the largest regular init container plus the sidecars started
     * before it, plus overhead. Requests default to limits. The non-zero variant uses 100m CPU /
     * 200 MB for containers without a request.
     */
    static void requests(PodSpec spec, PodInfo.Builder b) {
        Map<String, Long> sum = new HashMap<>();
        long[] nz = new long[2];
        for (Container c : nz(spec.containers())) {
            add(sum, nz, c, 1);
        }
        Map<String, Long> sidecars = new HashMap<>();
        long[] sidecarNz = new long[2];
        Map<String, Long> initMax = new HashMap<>();
        long[] initNzMax = new long[2];
        for (Container c : nz(spec.initContainers())) {
            if ("Always".equals(c.restartPolicy())) {
                add(sidecars, sidecarNz, c, 1);
                continue;
            }
            Map<String, Long> one = new HashMap<>(sidecars);
            long[] oneNz = sidecarNz.clone();
            add(one, oneNz, c, 1);
            one.forEach((k, v) -> initMax.merge(k, v, Math::max));
            initNzMax[0] = Math.max(initNzMax[0], oneNz[0]);
            initNzMax[1] = Math.max(initNzMax[1], oneNz[1]);
        }
        sidecars.forEach((k, v) -> sum.merge(k, v, Long::sum));
        nz[0] += sidecarNz[0];
        nz[1] += sidecarNz[1];
        initMax.forEach((k, v) -> sum.merge(k, v, Math::max));
        nz[0] = Math.max(nz[0], initNzMax[0]);
        nz[1] = Math.max(nz[1], initNzMax[1]);
        for (Map.Entry<String, Quantity> e : nz(spec.overhead()).entrySet()) {
            sum.merge(e.getKey(), amount(e.getKey(), e.getValue()), Long::sum);
            if (e.getKey().equals("cpu")) nz[0] += e.getValue().milliValue();
            if (e.getKey().equals("memory")) nz[1] += e.getValue().value();
        }
        Map<String, Long> scalars = new HashMap<>(sum);
        long cpu = orZero(scalars.remove("cpu"));
        long mem = orZero(scalars.remove("memory"));
        long eph = orZero(scalars.remove("ephemeral-storage"));
        scalars.remove("pods");
        b.requests(new Resources(cpu, mem, eph, 0, scalars)).nonZero(nz[0], nz[1]);
    }

    private static void add(Map<String, Long> into, long[] nonZero, Container c, int sign) {
        var r = c.resourcesOrEmpty();
        Map<String, Quantity> req = new HashMap<>(nz(r.requests()));
        nz(r.limits()).forEach(req::putIfAbsent);
        for (Map.Entry<String, Quantity> e : req.entrySet()) {
            into.merge(e.getKey(), sign * amount(e.getKey(), e.getValue()), Long::sum);
        }
        Quantity cpu = req.get("cpu");
        Quantity mem = req.get("memory");
        nonZero[0] += cpu == null ? PodInfo.DEFAULT_MILLI_CPU_REQUEST : cpu.milliValue();
        nonZero[1] += mem == null ? PodInfo.DEFAULT_MEMORY_REQUEST : mem.value();
    }

    private static long amount(String resource, Quantity q) {
        return resource.equals("cpu") ? q.milliValue() : q.value();
    }

    /** A node: labels, taints, allocatable (capacity when allocatable is absent), images. */
    public static NodeInfo.NodeSpec node(io.kplane.model.Node node) {
        String name = node.metadata().name();
        var spec = node.spec();
        var status = node.status();
        List<Taint> taints = new ArrayList<>();
        boolean unschedulable = false;
        if (spec != null) {
            for (var t : nz(spec.taints())) {
                taints.add(new Taint(t.key(), t.value(), effect(t.effect())));
            }
            unschedulable = Boolean.TRUE.equals(spec.unschedulable());
        }
        Map<String, Quantity> alloc = Map.of();
        Map<String, Long> images = new HashMap<>();
        if (status != null) {
            alloc = status.allocatable() != null && !status.allocatable().isEmpty() ? status.allocatable() : nz(status.capacity());
            for (ContainerImage img : nz(status.images())) {
                for (String n : nz(img.names())) {
                    images.put(normalizedImage(n), img.sizeBytes() == null ? 0 : img.sizeBytes());
                }
            }
        }
        Map<String, Long> scalars = new HashMap<>();
        for (Map.Entry<String, Quantity> e : alloc.entrySet()) {
            scalars.put(e.getKey(), amount(e.getKey(), e.getValue()));
        }
        long cpu = orZero(scalars.remove("cpu"));
        long mem = orZero(scalars.remove("memory"));
        long eph = orZero(scalars.remove("ephemeral-storage"));
        long pods = orZero(scalars.remove("pods"));
        scalars.remove("hugepages-2Mi");
        return new NodeInfo.NodeSpec(name, nz(node.metadata().labels()), taints, new Resources(cpu, mem, eph, pods, scalars),
                unschedulable, images);
    }

    /**
     * A PodDisruptionBudget ({@code policy/v1}, which the model keeps as a {@link
     * io.kplane.model.GenericObject}): namespace, selector (nil selects nothing), {@code
     * status.disruptionsAllowed} and the names in {@code status.disruptedPods}.
     */
    public static Disruption disruption(io.kplane.model.GenericObject pdb) {
        var meta = pdb.metadata();
        String ns = meta.namespace() == null ? "default" : meta.namespace();
        Map<String, Object> spec = pdb.extra().get("spec") instanceof Map<?, ?> m ? cast(m) : Map.of();
        Map<String, Object> status = pdb.extra().get("status") instanceof Map<?, ?> m ? cast(m) : Map.of();
        Object sel = spec.get("selector");
        Selector selector = sel == null ? Selector.NOTHING
                : selector(io.kplane.model.Json.convert(sel, io.kplane.model.LabelSelector.class));
        int allowed = status.get("disruptionsAllowed") instanceof Number n ? n.intValue() : 0;
        Set<String> disrupted = status.get("disruptedPods") instanceof Map<?, ?> d
                ? new HashSet<>(cast(d).keySet()) : Set.of();
        return new Disruption(ns, selector, allowed, disrupted);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    /** A label selector; null (in affinity terms) selects nothing, empty selects everything. */
    public static Selector selector(io.kplane.model.LabelSelector s) {
        if (s == null) {
            return Selector.NOTHING;
        }
        List<Requirement> reqs = new ArrayList<>();
        for (LabelSelectorRequirement r : nz(s.matchExpressions())) {
            reqs.add(new Requirement(r.key(), op(r.operator()), nz(r.values())));
        }
        return Selector.of(nz(s.matchLabels()), reqs);
    }

    private static List<AffinityTerm> terms(List<PodAffinityTerm> terms, Map<String, String> podLabels) {
        List<AffinityTerm> out = new ArrayList<>();
        for (PodAffinityTerm t : nz(terms)) {
            out.add(term(t, 0, podLabels));
        }
        return out;
    }

    private static List<AffinityTerm> weighted(List<WeightedPodAffinityTerm> terms, Map<String, String> podLabels) {
        List<AffinityTerm> out = new ArrayList<>();
        for (WeightedPodAffinityTerm t : nz(terms)) {
            out.add(term(t.podAffinityTerm(), t.weight() == null ? 0 : t.weight(), podLabels));
        }
        return out;
    }

    /** matchLabelKeys add {@code key in (pod's value)}, mismatchLabelKeys {@code key notin (pod's value)}. */
    private static AffinityTerm term(PodAffinityTerm t, int weight, Map<String, String> podLabels) {
        Selector sel = selector(t.labelSelector());
        if (t.labelSelector() != null) {
            List<Requirement> extra = new ArrayList<>();
            for (String k : nz(t.matchLabelKeys())) {
                if (podLabels.containsKey(k)) extra.add(new Requirement(k, Requirement.Op.IN, List.of(podLabels.get(k))));
            }
            for (String k : nz(t.mismatchLabelKeys())) {
                if (podLabels.containsKey(k)) extra.add(new Requirement(k, Requirement.Op.NOT_IN, List.of(podLabels.get(k))));
            }
            if (!extra.isEmpty()) {
                sel = Selector.allOf(sel, Selector.of(Map.of(), extra));
            }
        }
        Set<String> namespaces = new HashSet<>(nz(t.namespaces()));
        Selector nsSel = t.namespaceSelector() == null ? null : selector(t.namespaceSelector());
        return new AffinityTerm(sel, namespaces, nsSel, t.topologyKey(), weight);
    }

    private static NodeSelector.Term term(NodeSelectorTerm t) {
        if (t == null) {
            return new NodeSelector.Term(List.of(), List.of());
        }
        return new NodeSelector.Term(reqs(t.matchExpressions()), reqs(t.matchFields()));
    }

    private static List<Requirement> reqs(List<NodeSelectorRequirement> rs) {
        List<Requirement> out = new ArrayList<>();
        for (NodeSelectorRequirement r : nz(rs)) {
            out.add(new Requirement(r.key(), op(r.operator()), nz(r.values())));
        }
        return out;
    }

    static Requirement.Op op(String operator) {
        return switch (operator) {
            case "In" -> Requirement.Op.IN;
            case "NotIn" -> Requirement.Op.NOT_IN;
            case "Exists" -> Requirement.Op.EXISTS;
            case "DoesNotExist" -> Requirement.Op.DOES_NOT_EXIST;
            case "Gt" -> Requirement.Op.GT;
            case "Lt" -> Requirement.Op.LT;
            default -> throw new IllegalArgumentException("unknown selector operator \"" + operator + "\"");
        };
    }

    static Taint.Effect effect(String effect) {
        if (effect == null || effect.isEmpty()) {
            return null;
        }
        return switch (effect) {
            case "NoSchedule" -> Taint.Effect.NO_SCHEDULE;
            case "PreferNoSchedule" -> Taint.Effect.PREFER_NO_SCHEDULE;
            case "NoExecute" -> Taint.Effect.NO_EXECUTE;
            default -> throw new IllegalArgumentException("unknown taint effect \"" + effect + "\"");
        };
    }

    /** Upstream normalizes image names without tag or digest to {@code :latest}. */
    static String normalizedImage(String image) {
        int slash = image.lastIndexOf('/');
        String last = image.substring(slash + 1);
        if (last.contains(":") || image.contains("@")) {
            return image;
        }
        return image + ":latest";
    }

    /** Upstream {@code podTerminatingByPreemption}'s condition test: the first DisruptionTarget decides. */
    static boolean disruptedByPreemption(List<io.kplane.model.Condition> conditions) {
        for (io.kplane.model.Condition c : nz(conditions)) {
            if ("DisruptionTarget".equals(c.type())) {
                return "True".equals(c.status()) && "PreemptionByScheduler".equals(c.reason());
            }
        }
        return false;
    }

    private static long nanos(Instant t) {
        return t == null ? 0 : t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    private static long orZero(Long v) {
        return v == null ? 0 : v;
    }

    private static <K, V> Map<K, V> nz(Map<K, V> m) {
        return m == null ? Map.of() : m;
    }

    private static <T> List<T> nz(List<T> l) {
        return l == null ? List.of() : l;
    }
}
