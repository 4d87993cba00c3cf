package io.kplane.controller;

import io.kplane.model.LabelSelector;
import io.kplane.model.ObjectMeta;
import io.kplane.model.OwnerReference;
import io.kplane.model.Pod;
import io.kplane.model.PodTemplateSpec;
import io.kplane.model.ReplicaSet;
import io.kplane.model.ReplicaSetStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The ReplicaSet controller's reconcile step as a pure function (kubernetes/pkg/controller/replicaset):
 * given a ReplicaSet, the pods of its namespace and whether its expectations are satisfied, it
 * decides which pods to adopt or release, how many to create, which to delete and the new status.
 *
 * <ul>
 *   <li>Pods are claimed as ControllerRefManager claims them: owned by this ReplicaSet's uid and
 *       matching its selector; orphans that match are adopted (not while the ReplicaSet is being
 *       deleted); owned pods that stopped matching are released.</li>
 *   <li>Only active pods count (not Succeeded/Failed, not being deleted).</li>
 *   <li>At most {@link #BURST_REPLICAS} creations or deletions per sync; nothing is created or
 *       deleted while earlier creations/deletions are unobserved (expectations).</li>
 *   <li>Pods to delete are ranked as upstream's ActivePods: unscheduled, then Pending before
 *       Unknown before Running, not ready before ready, more restarts, newer first.</li>
 *   <li>Status: replicas, fullyLabeledReplicas, readyReplicas, availableReplicas (ready for
 *       minReadySeconds) and observedGeneration; {@link Plan#requeueAt} is when a ready pod becomes
 *       available, so that status follows without another event.</li>
 * </ul>
 */
public final class ReplicaSetSync {
    private ReplicaSetSync() {
    }

    /** client-go's burstReplicas: the most creations or deletions in one sync. */
    public static final int BURST_REPLICAS = 500;

    /**
     * What one sync decided.
     *
     * @param ownership pod updates that adopt orphans or release pods that stopped matching
     * @param create    pods to create (in order; generateName set)
     * @param delete    pods to delete
     * @param status    the ReplicaSet with its new status, or null if the status did not change
     * @param requeueAt when to sync again (a pod becoming available), or null
     */
    public record Plan(List<Pod> ownership, List<Pod> create, List<Pod> delete, ReplicaSet status, Instant requeueAt) {
    }

    public static Plan reconcile(ReplicaSet rs, List<Pod> podsInNamespace, boolean expectationsSatisfied, Instant now) {
        String uid = rs.metadata().uid();
        LabelSelector selector = rs.spec().selector();
        boolean deleting = rs.metadata().deletionTimestamp() != null;
        List<Pod> ownership = new ArrayList<>();
        List<Pod> claimed = new ArrayList<>();
        for (Pod p : podsInNamespace) {
            OwnerReference ref = p.metadata().controllerRef();
            boolean matches = selector != null && !selector.matchesEverything() && selector.matches(p.metadata().labels());
            if (ref != null && Objects.equals(ref.uid(), uid)) {
                if (matches) {
                    claimed.add(p);
                } else if (!deleting) {
                    ownership.add(release(p, uid));
                }
            } else if (ref == null && matches && !deleting && !PodState.isTerminating(p)) {
                Pod adopted = adopt(p, rs);
                ownership.add(adopted);
                claimed.add(adopted);
            }
        }
        List<Pod> active = new ArrayList<>();
        for (Pod p : claimed) {
            if (PodState.isActive(p)) {
                active.add(p);
            }
        }
        int want = rs.spec().replicasOrDefault();
        List<Pod> create = new ArrayList<>();
        List<Pod> delete = new ArrayList<>();
        if (expectationsSatisfied && !deleting) {
            int diff = active.size() - want;
            if (diff < 0) {
                int n = Math.min(-diff, BURST_REPLICAS);
                for (int i = 0; i < n; i++) {
                    create.add(podFromTemplate(rs.spec().template(), rs));
                }
            } else if (diff > 0) {
                List<Pod> ranked = new ArrayList<>(active);
                ranked.sort(DELETE_FIRST);
                delete.addAll(ranked.subList(0, Math.min(diff, BURST_REPLICAS)));
            }
        }
        int minReady = rs.spec().minReadySeconds() == null ? 0 : rs.spec().minReadySeconds();
        int fullyLabeled = 0;
        int ready = 0;
        int available = 0;
        Instant requeueAt = null;
        var templateLabels = rs.spec().template() == null || rs.spec().template().metadata() == null
                ? java.util.Map.<String, String>of() : rs.spec().template().metadata().labels();
        for (Pod p : active) {
            if (p.metadata().labels().entrySet().containsAll(templateLabels.entrySet())) {
                fullyLabeled++;
            }
            if (PodState.isReady(p)) {
                ready++;
                if (PodState.isAvailable(p, minReady, now)) {
                    available++;
                } else {
                    Instant at = PodState.availableAt(p, minReady, now);
                    if (at != null && (requeueAt == null || at.isBefore(requeueAt))) {
                        requeueAt = at;
                    }
                }
            }
        }
        ReplicaSetStatus old = rs.status();
        ReplicaSetStatus next = new ReplicaSetStatus(active.size(), fullyLabeled, ready, available,
                rs.metadata().generation(), old == null ? null : old.conditions(), old == null ? null : old.extra());
        ReplicaSet withStatus = sameStatus(old, next) ? null : rs.withStatus(next);
        return new Plan(ownership, create, delete, withStatus, requeueAt);
    }

    private static boolean sameStatus(ReplicaSetStatus a, ReplicaSetStatus b) {
        return a != null && zero(a.replicas()) == zero(b.replicas())
                && zero(a.fullyLabeledReplicas()) == zero(b.fullyLabeledReplicas())
                && zero(a.readyReplicas()) == zero(b.readyReplicas())
                && zero(a.availableReplicas()) == zero(b.availableReplicas())
                && Objects.equals(a.observedGeneration(), b.observedGeneration());
    }

    static int zero(Integer i) {
        return i == null ? 0 : i;
    }

    /** A pod for the template, owned by {@code owner} (generateName {@code owner-}). */
    static Pod podFromTemplate(PodTemplateSpec template, io.kplane.model.KubeObject owner) {
        ObjectMeta tm = template == null || template.metadata() == null ? ObjectMeta.of(null, null) : template.metadata();
        ObjectMeta meta = ObjectMeta.of(owner.namespace(), null)
                .withGenerateName(owner.name() + "-")
                .withLabels(tm.labels())
                .withAnnotations(tm.annotations())
                .withFinalizers(tm.finalizers())
                .withOwnerReferences(List.of(OwnerReference.controllerOf(owner)));
        return Pod.of(meta, template == null ? null : template.spec());
    }

    private static Pod adopt(Pod p, ReplicaSet rs) {
        List<OwnerReference> refs = new ArrayList<>(p.metadata().ownerReferences());
        refs.add(OwnerReference.controllerOf(rs));
        return p.withMetadata(p.metadata().withOwnerReferences(refs));
    }

    private static Pod release(Pod p, String ownerUid) {
        List<OwnerReference> refs = new ArrayList<>();
        for (OwnerReference r : p.metadata().ownerReferences()) {
            if (!Objects.equals(r.uid(), ownerUid)) {
                refs.add(r);
            }
        }
        return p.withMetadata(p.metadata().withOwnerReferences(refs));
    }

    private static int phaseRank(Pod p) {
        String phase = p.statusOrEmpty().phase();
        if ("Pending".equals(phase) || phase == null) {
            return 0;
        }
        return "Unknown".equals(phase) ? 1 : 2;
    }

    /** Upstream's ActivePods order: the pods to delete first come first. */
    static final Comparator<Pod> DELETE_FIRST = Comparator
            .<Pod>comparingInt(p -> p.spec() == null || p.spec().nodeName() == null || p.spec().nodeName().isEmpty() ? 0 : 1)
            .thenComparingInt(ReplicaSetSync::phaseRank)
            .thenComparingInt(p -> PodState.isReady(p) ? 1 : 0)
            .thenComparing(Comparator.comparingInt(PodState::restarts).reversed())
            .thenComparing(p -> p.metadata().creationTimestamp() == null ? Instant.MAX : p.metadata().creationTimestamp(),
                    Comparator.reverseOrder())
            .thenComparing(p -> p.metadata().name() == null ? "" : p.metadata().name());
}
