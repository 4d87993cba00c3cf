package io.kplane.controller;

import io.kplane.client.ApiException;
import io.kplane.client.ApiResource;
import io.kplane.client.DeleteOptions;
import io.kplane.client.EventHandler;
import io.kplane.client.Informer;
import io.kplane.model.KubeObject;
import io.kplane.model.OwnerReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runtime of the garbage collector: after any change to a watched resource (and every period), an
 * {@link OwnerGraph} pass over the caches; the orphan/foreground writes are sent, and each
 * suspected orphan is confirmed with a live GET of its owners (by kind, name and uid) before it is
 * deleted in the background or stripped of dangling references. Owners of kinds this
 * controller-manager does not know are never presumed gone.
 */
public final class GarbageCollector implements Controller {
    private static final Map<String, ApiResource<? extends KubeObject>> BY_KIND = Map.of(
            "Pod", ApiResource.PODS, "ReplicaSet", ApiResource.REPLICA_SETS, "Deployment", ApiResource.DEPLOYMENTS,
            "Service", ApiResource.SERVICES, "EndpointSlice", ApiResource.ENDPOINT_SLICES, "Node", ApiResource.NODES,
            "Endpoints", ApiResource.ENDPOINTS, "Lease", ApiResource.LEASES, "Namespace", ApiResource.NAMESPACES);

    private final SharedInformers informers;
    private final Writer writer;
    private final Duration period;
    private PassLoop loop;

    public GarbageCollector(SharedInformers informers, Writer writer, Duration period) {
        this.informers = informers;
        this.writer = writer;
        this.period = period;
        for (Informer<?> i : watched()) {
            i.addHandler(EventHandler.onAny(o -> poke()));
        }
    }

    private List<Informer<? extends KubeObject>> watched() {
        return List.of(informers.pods, informers.replicaSets, informers.deployments, informers.services,
                informers.endpointSlices, informers.endpoints);
    }

    private synchronized void poke() {
        if (loop != null) {
            loop.poke();
        }
    }

    @Override
    public String name() {
        return "garbagecollector";
    }

    @Override
    public synchronized void start() {
        if (loop == null) {
            loop = new PassLoop("garbagecollector", period, this::pass);
            loop.start();
        }
    }

    @Override
    public synchronized void stop() {
        if (loop != null) {
            loop.stop();
            loop = null;
        }
    }

    private Duration pass() {
        List<OwnerGraph.Item> items = new ArrayList<>();
        for (Informer<? extends KubeObject> i : watched()) {
            for (KubeObject o : i.cache().list()) {
                items.add(new OwnerGraph.Item(i.resource(), o));
            }
        }
        OwnerGraph.Plan plan = OwnerGraph.plan(items);
        for (Action a : plan.actions()) {
            try {
                writer.apply(a);
            } catch (ApiException e) {
                // stale or already gone: the next pass decides again
            }
        }
        for (OwnerGraph.Suspect s : plan.suspects()) {
            confirmAndCollect(s);
        }
        return null;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void confirmAndCollect(OwnerGraph.Suspect s) {
        KubeObject dependent = s.dependent().object();
        List<OwnerReference> gone = new ArrayList<>();
        for (OwnerReference ref : s.missingOwners()) {
            ApiResource<? extends KubeObject> r = BY_KIND.get(ref.kind());
            if (r == null) {
                continue;
            }
            KubeObject owner;
            try {
                owner = writer.client().getOrNull(r, r.namespaced() ? dependent.namespace() : null, ref.name());
            } catch (RuntimeException e) {
                return;   // cannot confirm: leave it
            }
            if (owner == null || !Objects.equals(owner.metadata().uid(), ref.uid())) {
                gone.add(ref);
            }
        }
        if (gone.isEmpty()) {
            return;
        }
        ApiResource resource = s.dependent().resource();
        try {
            if (gone.size() == dependent.metadata().ownerReferences().size()) {
                writer.apply(new Action.Delete<>(resource, dependent.namespace(), dependent.name(),
                        DeleteOptions.preconditionUid(dependent.metadata().uid()).withPropagation(DeleteOptions.BACKGROUND)));
            } else {
                KubeObject next = dependent;
                for (OwnerReference ref : gone) {
                    next = OwnerGraph.withoutOwner(next, ref.uid());
                }
                writer.apply(new Action.Update(resource, next));
            }
        } catch (ApiException e) {
            // gone already or changed: the next pass decides again
        }
    }
}
