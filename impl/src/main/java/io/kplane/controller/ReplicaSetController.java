package io.kplane.controller;

import io.kplane.client.ApiException;
import io.kplane.client.ApiResource;
import io.kplane.client.Cache;
import io.kplane.client.EventHandler;
import io.kplane.model.KubeObject;
import io.kplane.model.OwnerReference;
import io.kplane.model.Pod;
import io.kplane.model.ReplicaSet;
import io.kplane.time.NanoClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Runtime of the ReplicaSet controller: informer events to keys, expectations, and the
 * {@link ReplicaSetSync} plan carried out — creations in slow-start batches (1, 2, 4, …, stopping
 * after a batch with a failure), deletions, adoption, status.
 */
public final class ReplicaSetController implements Controller {
    private final SharedInformers informers;
    private final Writer writer;
    private final int workers;
    private final Clock clock;
    /** Ages the creation/deletion expectations (monotonic, unlike {@link #clock}'s timestamps). */
    private final NanoClock nanoClock;
    private final Expectations expectations = new Expectations();
    private volatile KeyWorkers running;

    public ReplicaSetController(SharedInformers informers, Writer writer, int workers, Clock clock) {
        this(informers, writer, workers, clock, NanoClock.system());
    }

    /** As above; {@code nanoClock} ages expectations. */
    public ReplicaSetController(SharedInformers informers, Writer writer, int workers, Clock clock,
                                NanoClock nanoClock) {
        this.nanoClock = nanoClock;
        this.informers = informers;
        this.writer = writer;
        this.workers = workers;
        this.clock = clock;
        informers.replicaSets.addHandler(EventHandler.onAny(rs -> enqueue(Cache.keyOf(rs))));
        informers.pods.addHandler(new EventHandler<>() {
            @Override
            public void onAdd(Pod p) {
                String owner = ownerKey(p);
                if (owner != null) {
                    expectations.creationObserved(owner);
                    enqueue(owner);
                } else {
                    enqueueMatching(p);
                }
            }

            @Override
            public void onUpdate(Pod old, Pod p) {
                String owner = ownerKey(p);
                String oldOwner = ownerKey(old);
                if (p.metadata().deletionTimestamp() != null && old.metadata().deletionTimestamp() == null && owner != null) {
                    expectations.deletionObserved(owner, p.metadata().uid());
                }
                if (oldOwner != null && !oldOwner.equals(owner)) {
                    enqueue(oldOwner);
                }
                if (owner != null) {
                    enqueue(owner);
                } else {
                    enqueueMatching(p);
                }
            }

            @Override
            public void onDelete(Pod p) {
                String owner = ownerKey(p);
                if (owner != null) {
                    expectations.deletionObserved(owner, p.metadata().uid());
                    enqueue(owner);
                }
            }
        });
    }

    @Override
    public String name() {
        return "replicaset";
    }

    static String ownerKey(KubeObject o) {
        OwnerReference ref = o.metadata().controllerRef();
        return ref != null && ReplicaSet.KIND.equals(ref.kind()) ? Cache.key(o.namespace(), ref.name()) : null;
    }

    private void enqueue(String key) {
        KeyWorkers w = running;
        if (w != null) {
            w.add(key);
        }
    }

    private void enqueueMatching(Pod p) {
        for (ReplicaSet rs : informers.replicaSets.cache().byIndex(Cache.NAMESPACE, p.namespace())) {
            if (rs.spec().selector() != null && rs.spec().selector().matches(p.metadata().labels())) {
                enqueue(Cache.keyOf(rs));
            }
        }
    }

    @Override
    public synchronized void start() {
        if (running == null) {
            KeyWorkers w = new KeyWorkers(name(), workers, this::sync);
            running = w;
            w.start();
            informers.replicaSets.cache().keys().forEach(w::add);
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

    /** Exposed for tests: outstanding creations the controller waits to observe. */
    Expectations expectations() {
        return expectations;
    }

    Duration sync(String key) {
        ReplicaSet rs = informers.replicaSets.cache().get(key);
        if (rs == null) {
            expectations.delete(key);
            return null;
        }
        long nanos = nanoClock.nanoTime();
        Instant now = clock.instant();
        List<Pod> pods = informers.pods.cache().byIndex(Cache.NAMESPACE, rs.namespace());
        ReplicaSetSync.Plan plan = ReplicaSetSync.reconcile(rs, pods, expectations.satisfied(key, nanos), now);
        for (Pod p : plan.ownership()) {
            writer.apply(new Action.Update<>(ApiResource.PODS, p));
        }
        RuntimeException failure = null;
        if (!plan.create().isEmpty()) {
            List<Pod> create = plan.create();
            expectations.expect(key, create.size(), Set.of(), nanos);
            RuntimeException[] first = new RuntimeException[1];
            int ok = SlowStart.run(create.size(), SlowStart.INITIAL_BATCH, i -> {
                try {
                    writer.apply(new Action.Create<>(ApiResource.PODS, create.get(i)));
                    return true;
                } catch (RuntimeException e) {
                    if (first[0] == null) {
                        first[0] = e;
                    }
                    return false;
                }
            });
            for (int i = ok; i < create.size(); i++) {
                expectations.creationObserved(key);   // failed or skipped: will never be seen
            }
            failure = first[0];
        } else if (!plan.delete().isEmpty()) {
            Set<String> uids = new HashSet<>();
            plan.delete().forEach(p -> uids.add(p.metadata().uid()));
            expectations.expect(key, 0, uids, nanos);
            for (Pod p : plan.delete()) {
                try {
                    writer.apply(Action.Delete.of(ApiResource.PODS, p));
                } catch (ApiException e) {
                    expectations.deletionObserved(key, p.metadata().uid());
                    if (!e.isNotFound() && failure == null) {
                        failure = e;
                    }
                } catch (RuntimeException e) {
                    expectations.deletionObserved(key, p.metadata().uid());
                    if (failure == null) {
                        failure = e;
                    }
                }
            }
        }
        if (plan.status() != null) {
            writer.apply(new Action.UpdateStatus<>(ApiResource.REPLICA_SETS, plan.status()));
        }
        if (failure != null) {
            throw failure;
        }
        return plan.requeueAt() == null ? null : Duration.between(now, plan.requeueAt()).plusMillis(10);
    }
}
