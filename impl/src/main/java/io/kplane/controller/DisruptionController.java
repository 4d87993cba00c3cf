package io.kplane.controller;

import io.kplane.client.ApiResource;
import io.kplane.client.Cache;
import io.kplane.client.EventHandler;
import io.kplane.model.Deployment;
import io.kplane.model.GenericObject;
import io.kplane.model.OwnerReference;
import io.kplane.model.Pod;
import io.kplane.model.ReplicaSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runtime of the disruption controller: keeps each PodDisruptionBudget's status (observedGeneration,
 * expectedPods, desiredHealthy, currentHealthy, disruptionsAllowed, disruptedPods and the
 * DisruptionAllowed condition) as {@link DisruptionBudgetStatus} computes it, on budget and pod
 * events, and again when an admitted eviction's entry in disruptedPods times out.
 */
public final class DisruptionController implements Controller {
    private final SharedInformers informers;
    private final Writer writer;
    private final Clock clock;
    private volatile KeyWorkers running;

    public DisruptionController(SharedInformers informers, Writer writer, Clock clock) {
        this.informers = informers;
        this.writer = writer;
        this.clock = clock;
        informers.budgets.addHandler(EventHandler.onAny(b -> enqueue(Cache.keyOf(b))));
        informers.pods.addHandler(EventHandler.onAny(p -> {
            for (GenericObject b : informers.budgets.cache().byIndex(Cache.NAMESPACE, p.namespace())) {
                enqueue(Cache.keyOf(b));
            }
        }));
        informers.replicaSets.addHandler(EventHandler.onAny(rs -> namespaceChanged(rs.namespace())));
        informers.deployments.addHandler(EventHandler.onAny(d -> namespaceChanged(d.namespace())));
    }

    private void namespaceChanged(String ns) {
        for (GenericObject b : informers.budgets.cache().byIndex(Cache.NAMESPACE, ns)) {
            enqueue(Cache.keyOf(b));
        }
    }

    @Override
    public String name() {
        return "disruption";
    }

    private void enqueue(String key) {
        KeyWorkers w = running;
        if (w != null) {
            w.add(key);
        }
    }

    @Override
    public synchronized void start() {
        if (running == null) {
            KeyWorkers w = new KeyWorkers(name(), 1, this::sync);
            running = w;
            w.start();
            informers.budgets.cache().keys().forEach(w::add);
        }
    }

    @Override
    public synchronized void stop() {
        KeyWorkers w = running;
        running = null;
        if (w != null) {
            w.stop();
        }
    }

    @SuppressWarnings("unchecked")
    Duration sync(String key) {
        GenericObject pdb = informers.budgets.cache().get(key);
        if (pdb == null) {
            return null;
        }
        String ns = pdb.metadata().namespace();
        Map<String, Object> spec = pdb.extra().get("spec") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        Map<String, Object> old = pdb.extra().get("status") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        Map<String, String> disrupted = new LinkedHashMap<>();
        if (old.get("disruptedPods") instanceof Map<?, ?> d) {
            d.forEach((k, v) -> disrupted.put(String.valueOf(k), String.valueOf(v)));
        }
        List<Pod> pods = new ArrayList<>(informers.pods.cache().byIndex(Cache.NAMESPACE, ns));
        Instant now = clock.instant();
        DisruptionBudgetStatus.Computed c = DisruptionBudgetStatus.compute(spec, disrupted, pods, ref -> scale(ns, ref), now);
        long generation = pdb.metadata().generation() == null ? 0 : pdb.metadata().generation();
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("observedGeneration", generation);
        status.put("disruptionsAllowed", c.disruptionsAllowed());
        status.put("currentHealthy", c.currentHealthy());
        status.put("desiredHealthy", c.desiredHealthy());
        status.put("expectedPods", c.expectedPods());
        if (!c.disruptedPods().isEmpty()) {
            status.put("disruptedPods", c.disruptedPods());
        }
        boolean allowed = c.disruptionsAllowed() > 0;
        Map<String, Object> condition = new LinkedHashMap<>();
        condition.put("type", "DisruptionAllowed");
        condition.put("status", allowed ? "True" : "False");
        condition.put("reason", c.problem() != null ? "SyncFailed" : allowed ? "SufficientPods" : "InsufficientPods");
        condition.put("message", c.problem() == null ? "" : c.problem());
        condition.put("observedGeneration", generation);
        condition.put("lastTransitionTime", transitionTime(old, condition, now));
        status.put("conditions", List.of(condition));
        if (!io.kplane.model.Json.convert(status, Map.class).equals(io.kplane.model.Json.convert(old, Map.class))) {
            Map<String, Object> extra = new LinkedHashMap<>(pdb.extra());
            extra.put("status", status);
            writer.apply(new Action.UpdateStatus<>(ApiResource.POD_DISRUPTION_BUDGETS,
                    new GenericObject(pdb.apiVersion(), pdb.kind(), pdb.metadata(), extra)));
        }
        // Look again when the oldest admitted eviction times out.
        return c.disruptedPods().values().stream().map(Instant::parse).min(Instant::compareTo)
                .map(t -> Duration.between(now, t.plus(DisruptionBudgetStatus.DELETION_TIMEOUT)).plusSeconds(1))
                .filter(d -> !d.isNegative()).orElse(null);
    }

    /** Keeps the old lastTransitionTime while the condition's status stays. */
    private static String transitionTime(Map<String, Object> old, Map<String, Object> condition, Instant now) {
        if (old.get("conditions") instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof Map<?, ?> m && "DisruptionAllowed".equals(m.get("type"))
                        && condition.get("status").equals(m.get("status")) && m.get("lastTransitionTime") != null) {
                    return String.valueOf(m.get("lastTransitionTime"));
                }
            }
        }
        return now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }

    /** The replicas of a pod's controller: a ReplicaSet's, or its owning Deployment's. */
    private Integer scale(String ns, OwnerReference ref) {
        if (!"ReplicaSet".equals(ref.kind())) {
            return null;
        }
        ReplicaSet rs = informers.replicaSets.cache().get(Cache.key(ns, ref.name()));
        if (rs == null) {
            return null;
        }
        OwnerReference owner = rs.metadata().controllerRef();
        if (owner != null && "Deployment".equals(owner.kind())) {
            Deployment d = informers.deployments.cache().get(Cache.key(ns, owner.name()));
            return d == null || d.spec() == null ? null : d.spec().replicas() == null ? 1 : d.spec().replicas();
        }
        return rs.spec() == null || rs.spec().replicas() == null ? 1 : rs.spec().replicas();
    }
}
