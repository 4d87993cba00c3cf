package io.kplane.scheduler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The scheduler's precomputed view of a pod: everything the plugins read, in the form the hot path
 * wants (requests as long milli-values, parsed selectors, resolved affinity terms). Immutable; the
 * assigned node and the nominated node are changed by copying.
 */
public final class PodInfo {

    /** Upstream defaults for containers without requests, used only for scoring. */
    public static final long DEFAULT_MILLI_CPU_REQUEST = 100;
    public static final long DEFAULT_MEMORY_REQUEST = 200L * 1024 * 1024;

    /**
     * {@link #startNanos} of a pod without {@code status.startTime} (assumed or bound, not started
     * yet). Upstream's {@code GetPodStartTime} uses "now" for such a pod, which is later than any
     * recorded start; the largest value orders the same way without reading a clock.
     */
    public static final long NOT_STARTED = Long.MAX_VALUE;

    private final String uid;
    private final String namespace;
    private final String name;
    private final Map<String, String> labels;
    private final int priority;
    private final boolean preemptNever;
    private final long creationNanos;
    private final long startNanos;
    private final String nodeName;
    private final String nominatedNodeName;
    private final Resources requests;
    private final long nonZeroMilliCpu;
    private final long nonZeroMemory;
    private final boolean bestEffort;
    private final Map<String, String> nodeSelector;
    private final NodeSelector requiredNodeAffinity;
    private final List<NodeSelector.Preferred> preferredNodeAffinity;
    private final List<Toleration> tolerations;
    private final List<HostPort> hostPorts;
    private final List<SpreadConstraint> spreadConstraints;
    private final List<AffinityTerm> requiredAffinity;
    private final List<AffinityTerm> requiredAntiAffinity;
    private final List<AffinityTerm> preferredAffinity;
    private final List<AffinityTerm> preferredAntiAffinity;
    private final List<String> schedulingGates;
    private final List<String> images;
    private final boolean terminating;
    private final boolean terminatingByPreemption;
    private final Selector ownerSelector;

    private PodInfo(Builder b) {
        this.uid = Objects.requireNonNull(b.uid, "uid");
        this.namespace = b.namespace;
        this.name = b.name;
        this.labels = Map.copyOf(b.labels);
        this.priority = b.priority;
        this.preemptNever = b.preemptNever;
        this.creationNanos = b.creationNanos;
        this.startNanos = b.startNanos;
        this.nodeName = b.nodeName;
        this.nominatedNodeName = b.nominatedNodeName;
        this.requests = b.requests;
        this.nonZeroMilliCpu = b.nonZeroMilliCpu >= 0 ? b.nonZeroMilliCpu
                : (b.requests.milliCpu() == 0 ? DEFAULT_MILLI_CPU_REQUEST : b.requests.milliCpu());
        this.nonZeroMemory = b.nonZeroMemory >= 0 ? b.nonZeroMemory
                : (b.requests.memory() == 0 ? DEFAULT_MEMORY_REQUEST : b.requests.memory());
        this.bestEffort = b.bestEffort != null ? b.bestEffort
                : b.requests.milliCpu() == 0 && b.requests.memory() == 0 && b.requests.ephemeralStorage() == 0
                        && b.requests.scalars().isEmpty();
        this.nodeSelector = Map.copyOf(b.nodeSelector);
        this.requiredNodeAffinity = b.requiredNodeAffinity;
        this.preferredNodeAffinity = List.copyOf(b.preferredNodeAffinity);
        this.tolerations = List.copyOf(b.tolerations);
        this.hostPorts = List.copyOf(b.hostPorts);
        this.spreadConstraints = List.copyOf(b.spreadConstraints);
        this.requiredAffinity = resolve(b.requiredAffinity, b.namespace);
        this.requiredAntiAffinity = resolve(b.requiredAntiAffinity, b.namespace);
        this.preferredAffinity = resolve(b.preferredAffinity, b.namespace);
        this.preferredAntiAffinity = resolve(b.preferredAntiAffinity, b.namespace);
        this.schedulingGates = List.copyOf(b.schedulingGates);
        this.images = List.copyOf(b.images);
        this.terminating = b.terminating;
        this.terminatingByPreemption = b.terminating && b.disruptedByPreemption;
        this.ownerSelector = b.ownerSelector;
    }

    private static List<AffinityTerm> resolve(List<AffinityTerm> terms, String ns) {
        List<AffinityTerm> out = new ArrayList<>(terms.size());
        for (AffinityTerm t : terms) {
            out.add(t.resolvedFor(ns));
        }
        return List.copyOf(out);
    }

    public static Builder builder(String namespace, String name) {
        return new Builder(namespace, name);
    }

    public Builder toBuilder() {
        Builder b = new Builder(namespace, name);
        b.uid = uid;
        b.labels = new HashMap<>(labels);
        b.priority = priority;
        b.preemptNever = preemptNever;
        b.creationNanos = creationNanos;
        b.startNanos = startNanos;
        b.nodeName = nodeName;
        b.nominatedNodeName = nominatedNodeName;
        b.requests = requests;
        b.nonZeroMilliCpu = nonZeroMilliCpu;
        b.nonZeroMemory = nonZeroMemory;
        b.bestEffort = bestEffort;
        b.nodeSelector = nodeSelector;
        b.requiredNodeAffinity = requiredNodeAffinity;
        b.preferredNodeAffinity = preferredNodeAffinity;
        b.tolerations = tolerations;
        b.hostPorts = hostPorts;
        b.spreadConstraints = spreadConstraints;
        b.requiredAffinity = requiredAffinity;
        b.requiredAntiAffinity = requiredAntiAffinity;
        b.preferredAffinity = preferredAffinity;
        b.preferredAntiAffinity = preferredAntiAffinity;
        b.schedulingGates = schedulingGates;
        b.images = images;
        b.terminating = terminating;
        b.disruptedByPreemption = terminatingByPreemption;
        b.ownerSelector = ownerSelector;
        return b;
    }

    public PodInfo withNodeName(String node) {
        return toBuilder().nodeName(node).build();
    }

    public PodInfo withNominatedNodeName(String node) {
        return toBuilder().nominatedNodeName(node).build();
    }

    public String uid() { return uid; }
    public String namespace() { return namespace; }
    public String name() { return name; }
    public String key() { return namespace + "/" + name; }
    public Map<String, String> labels() { return labels; }
    public int priority() { return priority; }
    public boolean preemptNever() { return preemptNever; }
    public long creationNanos() { return creationNanos; }
    public long startNanos() { return startNanos; }
    public String nodeName() { return nodeName; }
    public String nominatedNodeName() { return nominatedNodeName; }
    public Resources requests() { return requests; }
    public long nonZeroMilliCpu() { return nonZeroMilliCpu; }
    public long nonZeroMemory() { return nonZeroMemory; }
    public boolean bestEffort() { return bestEffort; }
    public Map<String, String> nodeSelector() { return nodeSelector; }
    public NodeSelector requiredNodeAffinity() { return requiredNodeAffinity; }
    public List<NodeSelector.Preferred> preferredNodeAffinity() { return preferredNodeAffinity; }
    public List<Toleration> tolerations() { return tolerations; }
    public List<HostPort> hostPorts() { return hostPorts; }
    public List<SpreadConstraint> spreadConstraints() { return spreadConstraints; }
    public List<AffinityTerm> requiredAffinity() { return requiredAffinity; }
    public List<AffinityTerm> requiredAntiAffinity() { return requiredAntiAffinity; }
    public List<AffinityTerm> preferredAffinity() { return preferredAffinity; }
    public List<AffinityTerm> preferredAntiAffinity() { return preferredAntiAffinity; }
    public List<String> schedulingGates() { return schedulingGates; }
    public List<String> images() { return images; }
    public boolean terminating() { return terminating; }
    /**
     * Terminating because the scheduler preempted it: a deletion timestamp and the condition
     * {@code DisruptionTarget=True} with reason {@code PreemptionByScheduler} (upstream
     * {@code podTerminatingByPreemption}).
     */
    public boolean terminatingByPreemption() { return terminatingByPreemption; }
    /** Selector of the pod's controlling workload (ReplicaSet/StatefulSet), or null. */
    public Selector ownerSelector() { return ownerSelector; }

    /** Has any pod affinity or anti-affinity (required or preferred). */
    public boolean hasAffinity() {
        return !requiredAffinity.isEmpty() || !requiredAntiAffinity.isEmpty() || !preferredAffinity.isEmpty()
                || !preferredAntiAffinity.isEmpty();
    }

    /** Node-selector + required node affinity check (upstream {@code GetRequiredNodeAffinity().Match}). */
    public boolean matchesNodeSelectorAndAffinity(NodeInfo.NodeSpec node) {
        for (Map.Entry<String, String> e : nodeSelector.entrySet()) {
            if (!e.getValue().equals(node.labels().get(e.getKey()))) {
                return false;
            }
        }
        return requiredNodeAffinity == null || requiredNodeAffinity.matches(node.name(), node.labels());
    }

    @Override
    public String toString() {
        return key() + (nodeName == null ? "" : "@" + nodeName) + "(prio " + priority + ")";
    }

    /** Builder; defaults describe a plain pod with no requests in namespace {@code default}. */
    public static final class Builder {
        private String uid;
        private final String namespace;
        private final String name;
        private Map<String, String> labels = Map.of();
        private int priority;
        private boolean preemptNever;
        private long creationNanos;
        private long startNanos;
        private String nodeName;
        private String nominatedNodeName;
        private Resources requests = Resources.ZERO;
        private long nonZeroMilliCpu = -1;
        private long nonZeroMemory = -1;
        private Boolean bestEffort;
        private Map<String, String> nodeSelector = Map.of();
        private NodeSelector requiredNodeAffinity;
        private List<NodeSelector.Preferred> preferredNodeAffinity = List.of();
        private List<Toleration> tolerations = List.of();
        private List<HostPort> hostPorts = List.of();
        private List<SpreadConstraint> spreadConstraints = List.of();
        private List<AffinityTerm> requiredAffinity = List.of();
        private List<AffinityTerm> requiredAntiAffinity = List.of();
        private List<AffinityTerm> preferredAffinity = List.of();
        private List<AffinityTerm> preferredAntiAffinity = List.of();
        private List<String> schedulingGates = List.of();
        private List<String> images = List.of();
        private boolean terminating;
        private boolean disruptedByPreemption;
        private Selector ownerSelector;

        private Builder(String namespace, String name) {
            this.namespace = namespace;
            this.name = name;
            this.uid = namespace + "/" + name;
        }

        public Builder uid(String v) { uid = v; return this; }
        public Builder labels(Map<String, String> v) { labels = v; return this; }
        public Builder priority(int v) { priority = v; return this; }
        public Builder preemptNever(boolean v) { preemptNever = v; return this; }
        public Builder creationNanos(long v) { creationNanos = v; return this; }
        public Builder startNanos(long v) { startNanos = v; return this; }
        public Builder nodeName(String v) { nodeName = v; return this; }
        public Builder nominatedNodeName(String v) { nominatedNodeName = v; return this; }
        public Builder requests(Resources v) { requests = v; return this; }
        public Builder requests(long milliCpu, long memory) { requests = Resources.of(milliCpu, memory); return this; }
        /** Non-zero requests for scoring when they differ from the per-pod default rule (multi-container pods). */
        public Builder nonZero(long milliCpu, long memory) { nonZeroMilliCpu = milliCpu; nonZeroMemory = memory; return this; }
        public Builder bestEffort(boolean v) { bestEffort = v; return this; }
        public Builder nodeSelector(Map<String, String> v) { nodeSelector = v; return this; }
        public Builder requiredNodeAffinity(NodeSelector v) { requiredNodeAffinity = v; return this; }
        public Builder preferredNodeAffinity(List<NodeSelector.Preferred> v) { preferredNodeAffinity = v; return this; }
        public Builder tolerations(List<Toleration> v) { tolerations = v; return this; }
        public Builder hostPorts(List<HostPort> v) { hostPorts = v; return this; }
        public Builder spreadConstraints(List<SpreadConstraint> v) { spreadConstraints = v; return this; }
        public Builder requiredAffinity(List<AffinityTerm> v) { requiredAffinity = v; return this; }
        public Builder requiredAntiAffinity(List<AffinityTerm> v) { requiredAntiAffinity = v; return this; }
        public Builder preferredAffinity(List<AffinityTerm> v) { preferredAffinity = v; return this; }
        public Builder preferredAntiAffinity(List<AffinityTerm> v) { preferredAntiAffinity = v; return this; }
        public Builder schedulingGates(List<String> v) { schedulingGates = v; return this; }
        public Builder images(List<String> v) { images = v; return this; }
        public Builder terminating(boolean v) { terminating = v; return this; }
        /** Carries the DisruptionTarget/PreemptionByScheduler condition (counts once terminating). */
        public Builder disruptedByPreemption(boolean v) { disruptedByPreemption = v; return this; }
        public Builder ownerSelector(Selector v) { ownerSelector = v; return this; }

        public PodInfo build() {
            return new PodInfo(this);
        }
    }
}
