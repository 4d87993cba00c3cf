package io.kplane.controller;

import io.kplane.client.ApiResource;
import io.kplane.model.Condition;
import io.kplane.model.Deployment;
import io.kplane.model.DeploymentStatus;
import io.kplane.model.DeploymentStrategy;
import io.kplane.model.IntOrString;
import io.kplane.model.LabelSelector;
import io.kplane.model.ObjectMeta;
import io.kplane.model.OwnerReference;
import io.kplane.model.PodTemplateSpec;
import io.kplane.model.ReplicaSet;
import io.kplane.model.ReplicaSetSpec;
import io.kplane.model.RollingUpdateDeployment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The Deployment controller's reconcile step as a pure function (kubernetes/pkg/controller/deployment):
 * given a Deployment and the ReplicaSets of its namespace, the writes that move it one step
 * toward its spec.
 *
 * <ul>
 *   <li>ReplicaSets are claimed by controllerRef and selector (orphans adopted, non-matching
 *       released); the new ReplicaSet is the one whose template equals the Deployment's, ignoring
 *       the {@code pod-template-hash} label. If none exists it is created, named
 *       {@code <deployment>-<hash>} with the hash in its labels, selector and template, and the
 *       revision annotation one above the highest old one.</li>
 *   <li>RollingUpdate, with maxSurge rounded up and maxUnavailable rounded down from percentages
 *       (both 0 means maxUnavailable 1): the new ReplicaSet scales up while the total stays within
 *       replicas + maxSurge; old ReplicaSets first lose unhealthy replicas, then scale down while at
 *       least replicas − maxUnavailable stay available (upstream's reconcileNewReplicaSet and
 *       reconcileOldReplicaSets). Recreate: old ReplicaSets go to 0, and the new one scales up once
 *       their pods are gone.</li>
 *   <li>Scaling: a new ReplicaSet above the desired count is scaled down to it; once no old
 *       replicas remain it is set to exactly the Deployment's replicas.</li>
 *   <li>Old ReplicaSets at 0 beyond revisionHistoryLimit (default 10) are deleted, oldest first.</li>
 *   <li>Status: replicas, updatedReplicas, readyReplicas, availableReplicas, unavailableReplicas,
 *       observedGeneration and the Available/Progressing conditions.</li>
 * </ul>
 * A paused Deployment gets only its status.
 */
public final class DeploymentSync {
    private DeploymentSync() {
    }

    public static final String REVISION = "deployment.kubernetes.io/revision";
    public static final String DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
    public static final String MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";

    /** The writes of one sync (ReplicaSet creates/updates/deletes, then the Deployment's status). */
    public record Plan(List<Action> actions) {
    }

    public static Plan reconcile(Deployment d, List<ReplicaSet> replicaSetsInNamespace, Instant now) {
        List<Action> actions = new ArrayList<>();
        String uid = d.metadata().uid();
        LabelSelector selector = d.spec().selector();
        boolean deleting = d.metadata().deletionTimestamp() != null;
        List<ReplicaSet> claimed = new ArrayList<>();
        for (ReplicaSet rs : replicaSetsInNamespace) {
            OwnerReference ref = rs.metadata().controllerRef();
            boolean matches = selector != null && !selector.matchesEverything() && selector.matches(rs.metadata().labels());
            if (ref != null && Objects.equals(ref.uid(), uid)) {
                if (matches) {
                    claimed.add(rs);
                } else if (!deleting) {
                    actions.add(new Action.Update<>(ApiResource.REPLICA_SETS, withoutOwner(rs, uid)));
                }
            } else if (ref == null && matches && !deleting && rs.metadata().deletionTimestamp() == null) {
                List<OwnerReference> refs = new ArrayList<>(rs.metadata().ownerReferences());
                refs.add(OwnerReference.controllerOf(d));
                ReplicaSet adopted = rs.withMetadata(rs.metadata().withOwnerReferences(refs));
                actions.add(new Action.Update<>(ApiResource.REPLICA_SETS, adopted));
                claimed.add(adopted);
            }
        }
        if (deleting) {
            return new Plan(actions);
        }
        claimed.sort(OLDEST_FIRST);
        ReplicaSet newRs = null;
        for (ReplicaSet rs : claimed) {
            if (equalIgnoringHash(rs.spec().template(), d.spec().template())) {
                newRs = rs;
                break;
            }
        }
        List<ReplicaSet> old = new ArrayList<>(claimed);
        old.remove(newRs);
        int replicas = d.spec().replicasOrDefault();
        int[] bounds = surgeAndUnavailable(d, replicas);
        int maxSurge = bounds[0];
        int maxUnavailable = bounds[1];
        boolean recreate = d.spec().strategy() != null && "Recreate".equals(d.spec().strategy().type());
        boolean paused = Boolean.TRUE.equals(d.spec().paused());

        if (!paused) {
            if (recreate) {
                boolean oldRunning = false;
                for (ReplicaSet rs : old) {
                    if (spec(rs) > 0) {
                        scale(actions, rs, 0, d, maxSurge);
                        oldRunning = true;
                    } else if (ReplicaSetSync.zero(rs.status() == null ? null : rs.status().replicas()) > 0) {
                        oldRunning = true;
                    }
                }
                if (newRs == null) {
                    actions.add(new Action.Create<>(ApiResource.REPLICA_SETS, newReplicaSet(d, old, oldRunning ? 0 : replicas, maxSurge)));
                } else if (!oldRunning && spec(newRs) != replicas) {
                    scale(actions, newRs, replicas, d, maxSurge);
                }
            } else if (newRs == null) {
                int oldSpec = sumSpec(old);
                int newReplicas = oldSpec == 0 ? replicas : Math.max(0, Math.min(replicas + maxSurge - oldSpec, replicas));
                actions.add(new Action.Create<>(ApiResource.REPLICA_SETS, newReplicaSet(d, old, newReplicas, maxSurge)));
            } else {
                rollingUpdate(d, newRs, old, replicas, maxSurge, maxUnavailable, actions);
            }
            cleanup(d, old, actions);
        }
        DeploymentStatus status = status(d, newRs, claimed, replicas, maxUnavailable, now);
        if (!sameStatus(d.status(), status)) {
            actions.add(new Action.UpdateStatus<>(ApiResource.DEPLOYMENTS, d.withStatus(status)));
        }
        return new Plan(actions);
    }

    private static void rollingUpdate(Deployment d, ReplicaSet newRs, List<ReplicaSet> old, int replicas, int maxSurge,
                                      int maxUnavailable, List<Action> actions) {
        int newSpec = spec(newRs);
        if (activeReplicas(old) == 0) {
            if (newSpec != replicas) {
                scale(actions, newRs, replicas, d, maxSurge);
            }
            return;
        }
        // reconcileNewReplicaSet
        if (newSpec > replicas) {
            scale(actions, newRs, replicas, d, maxSurge);
            return;
        }
        if (newSpec < replicas) {
            int current = sumSpec(old) + newSpec;
            int maxTotal = replicas + maxSurge;
            if (current < maxTotal) {
                int up = Math.min(maxTotal - current, replicas - newSpec);
                scale(actions, newRs, newSpec + up, d, maxSurge);
                return;   // upstream returns after scaling up: the next sync sees the new pods
            }
        }
        // reconcileOldReplicaSets
        int allPods = sumSpec(old) + newSpec;
        int minAvailable = replicas - maxUnavailable;
        int newUnavailable = newSpec - available(newRs);
        int maxScaledDown = allPods - minAvailable - newUnavailable;
        if (maxScaledDown <= 0) {
            return;
        }
        // cleanupUnhealthyReplicas: old replicas that are not available go first.
        Map<ReplicaSet, Integer> target = new HashMap<>();
        int cleaned = 0;
        for (ReplicaSet rs : old) {
            if (cleaned >= maxScaledDown) {
                break;
            }
            int s = spec(rs);
            int unhealthy = s - available(rs);
            if (s == 0 || unhealthy <= 0) {
                continue;
            }
            int down = Math.min(maxScaledDown - cleaned, unhealthy);
            target.put(rs, s - down);
            cleaned += down;
        }
        // scaleDownOldReplicaSetsForRollingUpdate: then available ones, keeping minAvailable.
        int availableTotal = available(newRs);
        for (ReplicaSet rs : old) {
            availableTotal += available(rs);
        }
        int budget = Math.min(maxScaledDown - cleaned, availableTotal - minAvailable);
        for (ReplicaSet rs : old) {
            if (budget <= 0) {
                break;
            }
            int s = target.getOrDefault(rs, spec(rs));
            if (s == 0) {
                continue;
            }
            int down = Math.min(s, budget);
            target.put(rs, s - down);
            budget -= down;
        }
        for (ReplicaSet rs : old) {
            Integer t = target.get(rs);
            if (t != null && t != spec(rs)) {
                scale(actions, rs, t, d, maxSurge);
            }
        }
    }

    private static void cleanup(Deployment d, List<ReplicaSet> old, List<Action> actions) {
        int limit = d.spec().revisionHistoryLimit() == null ? 10 : d.spec().revisionHistoryLimit();
        List<ReplicaSet> idle = new ArrayList<>();
        for (ReplicaSet rs : old) {
            if (spec(rs) == 0 && ReplicaSetSync.zero(rs.status() == null ? null : rs.status().replicas()) == 0
                    && rs.metadata().deletionTimestamp() == null) {
                idle.add(rs);
            }
        }
        for (int i = 0; i < idle.size() - limit; i++) {
            actions.add(Action.Delete.of(ApiResource.REPLICA_SETS, idle.get(i)));
        }
    }

    private static void scale(List<Action> actions, ReplicaSet rs, int to, Deployment d, int maxSurge) {
        ObjectMeta m = rs.metadata()
                .withAnnotation(DESIRED_REPLICAS, Integer.toString(d.spec().replicasOrDefault()))
                .withAnnotation(MAX_REPLICAS, Integer.toString(d.spec().replicasOrDefault() + maxSurge));
        actions.add(new Action.Update<>(ApiResource.REPLICA_SETS, rs.withMetadata(m).withSpec(rs.spec().withReplicas(to))));
    }

    private static ReplicaSet newReplicaSet(Deployment d, List<ReplicaSet> old, int replicas, int maxSurge) {
        Integer collisions = d.status() == null ? null : d.status().collisionCount();
        PodTemplateSpec t = d.spec().template();
        String hash = TemplateHash.of(t, collisions);
        ObjectMeta tm = t.metadata() == null ? ObjectMeta.of(null, null) : t.metadata();
        PodTemplateSpec template = t.withMetadata(tm.withLabel(TemplateHash.LABEL, hash));
        LabelSelector sel = d.spec().selector();
        Map<String, String> matchLabels = new HashMap<>(sel.matchLabels());
        matchLabels.put(TemplateHash.LABEL, hash);
        LabelSelector selector = LabelSelector.of(matchLabels, sel.matchExpressions());
        long revision = 0;
        for (ReplicaSet rs : old) {
            revision = Math.max(revision, revision(rs));
        }
        ObjectMeta meta = ObjectMeta.of(d.namespace(), d.name() + "-" + hash)
                .withLabels(template.metadata().labels())
                .withAnnotation(REVISION, Long.toString(revision + 1))
                .withAnnotation(DESIRED_REPLICAS, Integer.toString(d.spec().replicasOrDefault()))
                .withAnnotation(MAX_REPLICAS, Integer.toString(d.spec().replicasOrDefault() + maxSurge))
                .withOwnerReferences(List.of(OwnerReference.controllerOf(d)));
        ReplicaSetSpec spec = new ReplicaSetSpec(replicas, d.spec().minReadySeconds(), selector, template, null);
        return ReplicaSet.of(meta, spec, null);
    }

    static long revision(ReplicaSet rs) {
        String r = rs.metadata().annotations().get(REVISION);
        try {
            return r == null ? 0 : Long.parseLong(r);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** maxSurge (rounded up) and maxUnavailable (rounded down); both 0 makes maxUnavailable 1. */
    static int[] surgeAndUnavailable(Deployment d, int replicas) {
        DeploymentStrategy s = d.spec().strategy();
        if (s != null && "Recreate".equals(s.type())) {
            return new int[] {0, replicas};
        }
        RollingUpdateDeployment ru = s == null ? null : s.rollingUpdate();
        IntOrString surge = ru == null || ru.maxSurge() == null ? IntOrString.of("25%") : ru.maxSurge();
        IntOrString unavailable = ru == null || ru.maxUnavailable() == null ? IntOrString.of("25%") : ru.maxUnavailable();
        int maxSurge = surge.scaledValue(replicas, true);
        int maxUnavailable = unavailable.scaledValue(replicas, false);
        if (maxSurge == 0 && maxUnavailable == 0) {
            maxUnavailable = 1;
        }
        return new int[] {maxSurge, Math.min(maxUnavailable, replicas)};
    }

    private static DeploymentStatus status(Deployment d, ReplicaSet newRs, List<ReplicaSet> all, int replicas,
                                           int maxUnavailable, Instant now) {
        int actual = 0;
        int ready = 0;
        int available = 0;
        int specTotal = 0;
        for (ReplicaSet rs : all) {
            actual += ReplicaSetSync.zero(rs.status() == null ? null : rs.status().replicas());
            ready += ReplicaSetSync.zero(rs.status() == null ? null : rs.status().readyReplicas());
            available += available(rs);
            specTotal += spec(rs);
        }
        int updated = newRs == null ? 0 : ReplicaSetSync.zero(newRs.status() == null ? null : newRs.status().replicas());
        int unavailable = Math.max(0, specTotal - available);
        DeploymentStatus old = d.status();
        List<Condition> oldConditions = old == null ? List.of() : old.conditions();
        List<Condition> conditions = new ArrayList<>();
        boolean isAvailable = available >= replicas - maxUnavailable;
        conditions.add(condition(oldConditions, "Available", isAvailable,
                isAvailable ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                isAvailable ? "Deployment has minimum availability." : "Deployment does not have minimum availability.", now));
        boolean complete = newRs != null && updated == replicas && available == replicas && actual == replicas;
        String rsName = newRs == null ? d.name() : newRs.name();
        conditions.add(condition(oldConditions, "Progressing", true,
                complete ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
                complete ? "ReplicaSet \"" + rsName + "\" has successfully progressed."
                        : "ReplicaSet \"" + rsName + "\" is progressing.", now));
        for (Condition c : oldConditions) {
            if (!c.type().equals("Available") && !c.type().equals("Progressing")) {
                conditions.add(c);
            }
        }
        return new DeploymentStatus(d.metadata().generation(), actual, updated, ready, available, unavailable,
                conditions, old == null ? null : old.collisionCount(), old == null ? null : old.extra());
    }

    private static Condition condition(List<Condition> old, String type, boolean status, String reason, String message, Instant now) {
        Condition prev = Condition.find(old, type);
        String s = status ? Condition.TRUE : Condition.FALSE;
        if (prev != null && s.equals(prev.status()) && reason.equals(prev.reason()) && message.equals(prev.message())) {
            return prev;
        }
        Instant transition = prev != null && s.equals(prev.status()) ? prev.lastTransitionTime() : now;
        return new Condition(type, s, reason, message, null, null, now, transition, null, null);
    }

    private static boolean sameStatus(DeploymentStatus a, DeploymentStatus b) {
        return a != null && Objects.equals(a.observedGeneration(), b.observedGeneration())
                && ReplicaSetSync.zero(a.replicas()) == ReplicaSetSync.zero(b.replicas())
                && ReplicaSetSync.zero(a.updatedReplicas()) == ReplicaSetSync.zero(b.updatedReplicas())
                && ReplicaSetSync.zero(a.readyReplicas()) == ReplicaSetSync.zero(b.readyReplicas())
                && ReplicaSetSync.zero(a.availableReplicas()) == ReplicaSetSync.zero(b.availableReplicas())
                && ReplicaSetSync.zero(a.unavailableReplicas()) == ReplicaSetSync.zero(b.unavailableReplicas())
                && Objects.equals(a.conditions(), b.conditions());
    }

    static boolean equalIgnoringHash(PodTemplateSpec rsTemplate, PodTemplateSpec dTemplate) {
        if (rsTemplate == null || dTemplate == null) {
            return false;
        }
        ObjectMeta a = rsTemplate.metadata() == null ? ObjectMeta.of(null, null) : rsTemplate.metadata();
        ObjectMeta b = dTemplate.metadata() == null ? ObjectMeta.of(null, null) : dTemplate.metadata();
        Map<String, String> la = new HashMap<>(a.labels());
        la.remove(TemplateHash.LABEL);
        Map<String, String> lb = new HashMap<>(b.labels());
        lb.remove(TemplateHash.LABEL);
        return la.equals(lb) && Objects.equals(a.withLabels(null), b.withLabels(null))
                && Objects.equals(rsTemplate.spec(), dTemplate.spec());
    }

    private static ReplicaSet withoutOwner(ReplicaSet rs, String uid) {
        List<OwnerReference> refs = new ArrayList<>();
        for (OwnerReference r : rs.metadata().ownerReferences()) {
            if (!Objects.equals(r.uid(), uid)) {
                refs.add(r);
            }
        }
        return rs.withMetadata(rs.metadata().withOwnerReferences(refs));
    }

    static int spec(ReplicaSet rs) {
        return rs == null ? 0 : rs.spec().replicasOrDefault();
    }

    static int available(ReplicaSet rs) {
        return rs == null || rs.status() == null ? 0 : ReplicaSetSync.zero(rs.status().availableReplicas());
    }

    private static int sumSpec(List<ReplicaSet> rss) {
        int n = 0;
        for (ReplicaSet rs : rss) {
            n += spec(rs);
        }
        return n;
    }

    private static int activeReplicas(List<ReplicaSet> rss) {
        return sumSpec(rss);
    }

    static final Comparator<ReplicaSet> OLDEST_FIRST = Comparator
            .comparing((ReplicaSet rs) -> rs.metadata().creationTimestamp() == null ? Instant.MAX : rs.metadata().creationTimestamp())
            .thenComparing(rs -> rs.metadata().name() == null ? "" : rs.metadata().name());

}
