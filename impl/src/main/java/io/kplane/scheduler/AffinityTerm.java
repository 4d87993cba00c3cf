package io.kplane.scheduler;

import java.util.Map;
import java.util.Set;

/**
 * A pod (anti-)affinity term, resolved: the label selector (matchLabelKeys already merged), the
 * namespaces it applies to, an optional namespace selector, and the topology key. As upstream, an
 * empty namespace list with no namespace selector means the owning pod's namespace; the two are
 * OR-ed; an empty (non-null) namespace selector means all namespaces.
 */
public record AffinityTerm(Selector selector, Set<String> namespaces, Selector namespaceSelector, String topologyKey,
        int weight) {

    public AffinityTerm {
        namespaces = Set.copyOf(namespaces);
    }

    /** A required term. */
    public static AffinityTerm required(Selector selector, Set<String> namespaces, String topologyKey) {
        return new AffinityTerm(selector, namespaces, null, topologyKey, 0);
    }

    /** Does {@code pod} (with its namespace's labels) match this term? */
    public boolean matches(PodInfo pod, Map<String, String> podNamespaceLabels) {
        if (!namespaces.contains(pod.namespace())) {
            if (namespaceSelector == null || !namespaceSelector.matches(podNamespaceLabels)) {
                return false;
            }
        }
        return selector.matches(pod.labels());
    }

    /** Resolves the default namespace: the owning pod's own namespace when none are given. */
    public AffinityTerm resolvedFor(String ownerNamespace) {
        if (namespaces.isEmpty() && namespaceSelector == null) {
            return new AffinityTerm(selector, Set.of(ownerNamespace), null, topologyKey, weight);
        }
        return this;
    }
}
