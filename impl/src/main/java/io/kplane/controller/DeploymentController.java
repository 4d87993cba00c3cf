package io.kplane.controller;

import io.kplane.client.ApiException;
import io.kplane.client.ApiResource;
import io.kplane.client.Cache;
import io.kplane.client.EventHandler;
import io.kplane.model.Deployment;
import io.kplane.model.DeploymentStatus;
import io.kplane.model.OwnerReference;
import io.kplane.model.ReplicaSet;
import java.time.Clock;
import java.time.Duration;

/**
 * Runtime of the Deployment controller: Deployment and ReplicaSet events to Deployment keys, and
 * the {@link DeploymentSync} plan carried out in order (stopping at the first failure; the key is
 * retried with backoff). A ReplicaSet name taken by an object with another template (a hash
 * collision) bumps {@code status.collisionCount}, as upstream does.
 */
public final class DeploymentController implements Controller {
    private final SharedInformers informers;
    private final Writer writer;
    private final int workers;
    private final Clock clock;
    private volatile KeyWorkers running;

    public DeploymentController(SharedInformers informers, Writer writer, int workers, Clock clock) {
        this.informers = informers;
        this.writer = writer;
        this.workers = workers;
        this.clock = clock;
        informers.deployments.addHandler(EventHandler.onAny(d -> enqueue(Cache.keyOf(d))));
        informers.replicaSets.addHandler(new EventHandler<>() {
            @Override
            public void onAdd(ReplicaSet rs) {
                owners(rs);
            }

            @Override
            public void onUpdate(ReplicaSet old, ReplicaSet rs) {
                owners(old);
                owners(rs);
            }

            @Override
            public void onDelete(ReplicaSet rs) {
                owners(rs);
            }
        });
    }

    @Override
    public String name() {
        return "deployment";
    }

    private void owners(ReplicaSet rs) {
        OwnerReference ref = rs.metadata().controllerRef();
        if (ref != null) {
            if (Deployment.KIND.equals(ref.kind())) {
                enqueue(Cache.key(rs.namespace(), ref.name()));
            }
            return;
        }
        for (Deployment d : informers.deployments.cache().byIndex(Cache.NAMESPACE, rs.namespace())) {
            if (d.spec().selector() != null && d.spec().selector().matches(rs.metadata().labels())) {
                enqueue(Cache.keyOf(d));
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
            KeyWorkers w = new KeyWorkers(name(), workers, this::sync);
            running = w;
            w.start();
            informers.deployments.cache().keys().forEach(w::add);
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
        Deployment d = informers.deployments.cache().get(key);
        if (d == null) {
            return null;
        }
        DeploymentSync.Plan plan = DeploymentSync.reconcile(d, informers.replicaSets.cache().byIndex(Cache.NAMESPACE, d.namespace()),
                clock.instant());
        for (Action a : plan.actions()) {
            try {
                writer.apply(a);
            } catch (ApiException e) {
                if (a instanceof Action.Create<?> c && e.isAlreadyExists() && c.object() instanceof ReplicaSet wanted) {
                    ReplicaSet existing = writer.client().getOrNull(ApiResource.REPLICA_SETS, wanted.namespace(), wanted.name());
                    if (existing != null && !DeploymentSync.equalIgnoringHash(existing.spec().template(), d.spec().template())) {
                        DeploymentStatus s = d.status() == null
                                ? new DeploymentStatus(null, null, null, null, null, null, null, 1, null)
                                : d.status().withCollisionCount(ReplicaSetSync.zero(d.status().collisionCount()) + 1);
                        writer.apply(new Action.UpdateStatus<>(ApiResource.DEPLOYMENTS, d.withStatus(s)));
                    }
                    return Duration.ofMillis(100);   // the cache has yet to show it (or the hash moved)
                }
                if (a instanceof Action.Delete<?> && e.isNotFound()) {
                    continue;
                }
                throw e;
            }
        }
        return null;
    }
}
