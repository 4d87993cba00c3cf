package io.kplane.controller;

import io.kplane.client.ApiResource;
import io.kplane.client.DeleteOptions;
import io.kplane.model.KubeObject;
import io.kplane.model.OwnerReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The garbage collector's decision as a pure function of the objects it watches
 * (kubernetes/pkg/controller/garbagecollector): the ownerReferences graph and what to do about it.
 *
 * <ul>
 *   <li><b>Orphan</b> — an owner being deleted with the {@code orphan} finalizer: its dependents
 *       lose their reference to it; when none is left the finalizer is removed.</li>
 *   <li><b>Foreground</b> — an owner being deleted with the {@code foregroundDeletion} finalizer:
 *       its dependents are deleted (in the foreground themselves when their reference has
 *       blockOwnerDeletion, so the deletion cascades depth-first); once no dependent with
 *       blockOwnerDeletion remains, the finalizer is removed and the server deletes the owner.</li>
 *   <li><b>Background</b> — a dependent none of whose owners exists any more: deleted. A dependent
 *       with some owners gone loses the dangling references. Absence in the graph is only a
 *       suspicion (the owner's informer may lag, or its kind is not watched): these come back as
 *       {@link Suspect}s that the runtime confirms with a live GET before it acts, as upstream does.</li>
 * </ul>
 */
public final class OwnerGraph {
    private OwnerGraph() {
    }

    public static final String ORPHAN_FINALIZER = "orphan";
    public static final String FOREGROUND_FINALIZER = "foregroundDeletion";

    /** An object with the resource it belongs to. */
    public record Item(ApiResource<? extends KubeObject> resource, KubeObject object) {
    }

    /** A dependent whose listed owners were not found in the graph. */
    public record Suspect(Item dependent, List<OwnerReference> missingOwners, boolean allOwnersMissing) {
    }

    /** Writes decided from the graph alone, and suspects to confirm. */
    public record Plan(List<Action> actions, List<Suspect> suspects) {
    }

    public static Plan plan(List<Item> items) {
        Map<String, Item> byUid = new HashMap<>();
        Map<String, List<Item>> dependents = new HashMap<>();
        for (Item it : items) {
            byUid.put(it.object().metadata().uid(), it);
            for (OwnerReference ref : it.object().metadata().ownerReferences()) {
                dependents.computeIfAbsent(ref.uid(), k -> new ArrayList<>()).add(it);
            }
        }
        List<Action> actions = new ArrayList<>();
        List<Suspect> suspects = new ArrayList<>();
        for (Item it : items) {
            KubeObject o = it.object();
            List<String> finalizers = o.metadata().finalizers();
            boolean deleting = o.metadata().deletionTimestamp() != null;
            List<Item> deps = dependents.getOrDefault(o.metadata().uid(), List.of());
            if (deleting && finalizers.contains(ORPHAN_FINALIZER)) {
                for (Item d : deps) {
                    actions.add(update(d, withoutOwner(d.object(), o.metadata().uid())));
                }
                if (deps.isEmpty()) {
                    actions.add(update(it, withoutFinalizer(o, ORPHAN_FINALIZER)));
                }
                continue;
            }
            if (deleting && finalizers.contains(FOREGROUND_FINALIZER)) {
                boolean blocked = false;
                for (Item d : deps) {
                    OwnerReference ref = refTo(d.object(), o.metadata().uid());
                    boolean blocking = ref != null && Boolean.TRUE.equals(ref.blockOwnerDeletion());
                    blocked |= blocking;
                    if (d.object().metadata().deletionTimestamp() == null) {
                        actions.add(new Action.Delete<>(d.resource(), d.object().namespace(), d.object().name(),
                                DeleteOptions.preconditionUid(d.object().metadata().uid())
                                        .withPropagation(blocking ? DeleteOptions.FOREGROUND : DeleteOptions.BACKGROUND)));
                    }
                }
                if (!blocked) {
                    actions.add(update(it, withoutFinalizer(o, FOREGROUND_FINALIZER)));
                }
            }
        }
        for (Item it : items) {
            KubeObject o = it.object();
            if (o.metadata().deletionTimestamp() != null || o.metadata().ownerReferences().isEmpty()) {
                continue;
            }
            List<OwnerReference> missing = new ArrayList<>();
            for (OwnerReference ref : o.metadata().ownerReferences()) {
                if (!byUid.containsKey(ref.uid())) {
                    missing.add(ref);
                }
            }
            if (!missing.isEmpty()) {
                suspects.add(new Suspect(it, missing, missing.size() == o.metadata().ownerReferences().size()));
            }
        }
        return new Plan(actions, suspects);
    }

    private static OwnerReference refTo(KubeObject o, String ownerUid) {
        for (OwnerReference r : o.metadata().ownerReferences()) {
            if (Objects.equals(r.uid(), ownerUid)) {
                return r;
            }
        }
        return null;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Action update(Item it, KubeObject next) {
        return new Action.Update((ApiResource) it.resource(), next);
    }

    /** The object without its references to the owner with this uid. */
    public static KubeObject withoutOwner(KubeObject o, String ownerUid) {
        List<OwnerReference> refs = new ArrayList<>();
        for (OwnerReference r : o.metadata().ownerReferences()) {
            if (!Objects.equals(r.uid(), ownerUid)) {
                refs.add(r);
            }
        }
        return o.withMetadata(o.metadata().withOwnerReferences(refs));
    }

    private static KubeObject withoutFinalizer(KubeObject o, String finalizer) {
        List<String> f = new ArrayList<>(o.metadata().finalizers());
        f.remove(finalizer);
        return o.withMetadata(o.metadata().withFinalizers(f));
    }
}
