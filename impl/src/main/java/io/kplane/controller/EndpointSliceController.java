package io.kplane.controller;

import io.kplane.client.ApiException;
import io.kplane.client.Cache;
import io.kplane.client.EventHandler;
import io.kplane.model.EndpointSlice;
import io.kplane.model.KubeObject;
import io.kplane.model.Pod;
import io.kplane.model.Service;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runtime of the EndpointSlice (and legacy Endpoints) controller: Service, pod and slice events
 * to Service keys, and the {@link EndpointSliceSync} plan carried out. Slices are created with a
 * generated name, so a sync that ran before the informer showed a slice created by the previous
 * sync would create it again; like upstream's endpointSliceTracker, the controller remembers the
 * uids it created and waits for the cache to show them before syncing that Service again.
 */
public final class EndpointSliceController implements Controller {
    private final SharedInformers informers;
    private final Writer writer;
    private final int workers;
    private final Map<String, Set<String>> createdNotSeen = new ConcurrentHashMap<>();
    private volatile KeyWorkers running;

    public EndpointSliceController(SharedInformers informers, Writer writer, int workers) {
        this.informers = informers;
        this.writer = writer;
        this.workers = workers;
        informers.services.addHandler(EventHandler.onAny(s -> enqueue(Cache.keyOf(s))));
        informers.pods.addHandler(new EventHandler<>() {
            @Override
            public void onAdd(Pod p) {
                services(p);
            }

            @Override
            public void onUpdate(Pod old, Pod p) {
                if (!old.metadata().labels().equals(p.metadata().labels())) {
                    services(old);
                }
                services(p);
            }

            @Override
            public void onDelete(Pod p) {
                services(p);
            }
        });
        informers.endpointSlices.addHandler(EventHandler.onAny(s -> {
            String svc = s.metadata().labels().get(EndpointSliceSync.SERVICE_NAME_LABEL);
            if (svc != null && EndpointSliceSync.MANAGED_BY.equals(s.metadata().labels().get(EndpointSliceSync.MANAGED_BY_LABEL))) {
                enqueue(Cache.key(s.namespace(), svc));
            }
        }));
    }

    @Override
    public String name() {
        return "endpointslice";
    }

    private void services(Pod p) {
        for (Service s : informers.services.cache().byIndex(Cache.NAMESPACE, p.namespace())) {
            Map<String, String> sel = s.spec() == null ? Map.of() : s.spec().selector();
            if (!sel.isEmpty() && p.metadata().labels().entrySet().containsAll(sel.entrySet())) {
                enqueue(Cache.keyOf(s));
            }
        }
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
            createdNotSeen.clear();
            KeyWorkers w = new KeyWorkers(name(), workers, this::sync);
            running = w;
            w.start();
            informers.services.cache().keys().forEach(w::add);
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

    Duration sync(String key) {
        int slash = key.indexOf('/');
        String ns = key.substring(0, slash);
        String name = key.substring(slash + 1);
        List<EndpointSlice> slices = new ArrayList<>();
        for (EndpointSlice s : informers.endpointSlices.cache().byIndex(Cache.LABEL, EndpointSliceSync.SERVICE_NAME_LABEL + "=" + name)) {
            if (ns.equals(s.namespace()) && EndpointSliceSync.MANAGED_BY.equals(s.metadata().labels().get(EndpointSliceSync.MANAGED_BY_LABEL))) {
                slices.add(s);
            }
        }
        Set<String> pending = createdNotSeen.get(key);
        if (pending != null) {
            for (EndpointSlice s : slices) {
                pending.remove(s.metadata().uid());
            }
            if (!pending.isEmpty()) {
                return Duration.ofMillis(50);   // our last creations are not in the cache yet
            }
            createdNotSeen.remove(key);
        }
        Service svc = informers.services.cache().get(key);
        EndpointSliceSync.Plan plan = EndpointSliceSync.reconcile(svc, ns, name,
                informers.pods.cache().byIndex(Cache.NAMESPACE, ns), slices, informers.endpoints.cache().get(key));
        for (Action a : plan.actions()) {
            KubeObject stored;
            try {
                stored = writer.apply(a);
            } catch (ApiException e) {
                if (a instanceof Action.Delete<?> && e.isNotFound()) {
                    continue;
                }
                throw e;
            }
            if (a instanceof Action.Create<?> c && c.object() instanceof EndpointSlice && stored != null) {
                createdNotSeen.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(stored.metadata().uid());
            }
        }
        return null;
    }
}
