package io.kplane.controller;

import io.kplane.model.Json;
import io.kplane.model.LabelSelector;
import io.kplane.model.OwnerReference;
import io.kplane.model.Pod;
import io.kplane.model.Selector;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The disruption controller's reconcile step, pure (time passed in): a PodDisruptionBudget's
 * status from its spec and the pods it selects, as upstream's disruption controller computes it.
 *
 * <ul>
 *   <li>expectedPods: with an integer minAvailable, the number of selected pods; with
 *       maxUnavailable or a percentage, the sum of the scale of the pods' controllers
 *       (ReplicaSet, or the Deployment that owns it) — a pod without a known controller makes
 *       the budget fail safe (no disruption allowed), as upstream does;</li>
 *   <li>desiredHealthy: minAvailable (a percentage rounded up), or expectedPods − maxUnavailable
 *       (a percentage of expectedPods rounded up), at least 0;</li>
 *   <li>currentHealthy: selected pods that are Ready, not being deleted, and not in
 *       disruptedPods (an eviction admitted by the API server whose deletion is under way);</li>
 *   <li>disruptedPods entries are dropped once the pod is gone or being deleted, or after
 *       {@link #DELETION_TIMEOUT} (upstream's 2 minutes);</li>
 *   <li>disruptionsAllowed = max(0, currentHealthy − desiredHealthy).</li>
 * </ul>
 */
public final class DisruptionBudgetStatus {

    /** An admitted eviction whose pod has not been deleted within this long is forgotten. */
    public static final Duration DELETION_TIMEOUT = Duration.ofMinutes(2);

    /** The status fields; {@code problem} is non-null when the budget fails safe. */
    public record Computed(int expectedPods, int desiredHealthy, int currentHealthy, int disruptionsAllowed,
            Map<String, String> disruptedPods, String problem) {}

    private DisruptionBudgetStatus() {}

    /**
     * @param spec            the budget's spec (selector, minAvailable, maxUnavailable)
     * @param disruptedPods   the current {@code status.disruptedPods} (pod name to RFC 3339 time)
     * @param namespacePods   the pods of the budget's namespace
     * @param controllerScale the replicas of a pod's controller, or null when unknown
     */
    public static Computed compute(Map<String, Object> spec, Map<String, String> disruptedPods, List<Pod> namespacePods,
            Function<OwnerReference, Integer> controllerScale, Instant now) {
        Selector selector = selector(spec.get("selector"));
        Map<String, Pod> selected = new LinkedHashMap<>();
        for (Pod p : namespacePods) {
            if (selector != null && selector.matches(p.metadata().labels())) {
                selected.put(p.metadata().name(), p);
            }
        }
        Map<String, String> kept = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : disruptedPods.entrySet()) {
            Pod p = selected.get(e.getKey());
            Instant at = parse(e.getValue());
            if (p != null && p.metadata().deletionTimestamp() == null && at != null
                    && at.plus(DELETION_TIMEOUT).isAfter(now)) {
                kept.put(e.getKey(), e.getValue());
            }
        }
        int healthy = 0;
        for (Pod p : selected.values()) {
            if (p.metadata().deletionTimestamp() == null && PodState.isReady(p) && !kept.containsKey(p.metadata().name())) {
                healthy++;
            }
        }
        Object min = spec.get("minAvailable");
        Object max = spec.get("maxUnavailable");
        int expected;
        int desired;
        if (max == null && min instanceof Number n) {
            expected = selected.size();
            desired = n.intValue();
        } else if (max == null && min == null) {
            // Neither set: nothing is required to stay up (upstream reaches the same 0/0 here).
            expected = selected.size();
            desired = 0;
        } else {
            Integer scale = scale(selected.values(), controllerScale);
            if (scale == null) {
                return new Computed(0, 0, healthy, 0, kept, "found no controller with a known scale for a selected pod");
            }
            expected = scale;
            if (max != null) {
                desired = Math.max(0, expected - amount(max, expected));
            } else {
                desired = amount(min, expected);
            }
        }
        return new Computed(expected, desired, healthy, Math.max(0, healthy - desired), kept, null);
    }

    /** An int, or a percentage of {@code total} rounded up (as upstream's GetScaledValueFromIntOrPercent with roundUp). */
    static int amount(Object v, int total) {
        if (v instanceof Number n) {
            return n.intValue();
        }
        String s = String.valueOf(v).trim();
        if (s.endsWith("%")) {
            int pct = Integer.parseInt(s.substring(0, s.length() - 1));
            return (int) Math.ceil(pct * (double) total / 100.0);
        }
        return Integer.parseInt(s);
    }

    private static Integer scale(Iterable<Pod> pods, Function<OwnerReference, Integer> controllerScale) {
        Map<String, Integer> byController = new HashMap<>();
        for (Pod p : pods) {
            OwnerReference ref = p.metadata().controllerRef();
            if (ref == null) {
                return null;
            }
            Integer s = controllerScale.apply(ref);
            if (s == null) {
                return null;
            }
            byController.put(ref.uid() == null ? ref.kind() + "/" + ref.name() : ref.uid(), s);
        }
        return byController.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** policy/v1: a nil selector selects nothing, an empty one every pod of the namespace. */
    private static Selector selector(Object sel) {
        if (sel == null) {
            return null;
        }
        try {
            return Selector.of(Json.convert(sel, LabelSelector.class));
        } catch (RuntimeException bad) {
            return null;
        }
    }

    private static Instant parse(String t) {
        try {
            return Instant.parse(t);
        } catch (RuntimeException bad) {
            return null;
        }
    }
}
