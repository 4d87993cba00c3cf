package io.kplane.scheduler;

import io.kplane.client.ApiException;
import io.kplane.client.ApiResource;
import io.kplane.client.DeleteOptions;
import io.kplane.client.EventHandler;
import io.kplane.client.Informer;
import io.kplane.client.KubeClient;
import io.kplane.election.LeaderCallbacks;
import io.kplane.election.LeaderElection;
import io.kplane.model.Condition;
import io.kplane.model.Event;
import io.kplane.model.EventSource;
import io.kplane.model.Node;
import io.kplane.model.ObjectMeta;
import io.kplane.model.ObjectReference;
import io.kplane.model.Pod;
import io.kplane.model.PodStatus;
import io.kplane.model.PriorityClass;
import io.kplane.scheduler.framework.NodeStatuses;
import io.kplane.time.NanoClock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's runtime shell around the pure {@link Scheduler}: informers for Pods, Nodes,
 * PriorityClasses and PodDisruptionBudgets feed the core's events; one loop thread owns the core; bindings go out through
 * {@code pods/binding} on a small writer pool and come back as {@link Scheduler#onBindResult}; a
 * pod that does not fit gets {@code PodScheduled=False} (reason Unschedulable, kube-scheduler's
 * "0/N nodes are available: …" message) and a FailedScheduling event; nominations and preemption
 * victims are written as upstream does. With leader election only the Lease holder schedules; a
 * leader that loses its Lease stops scheduling and reports it (kube-scheduler exits then), so a
 * standby, whose informers are already synced, takes over.
 */
public final class SchedulerRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SchedulerRuntime.class);
    public static final String DEFAULT_SCHEDULER = "default-scheduler";
    public static final String LEASE_NAMESPACE = "kube-system";
    public static final String LEASE_NAME = "kube-scheduler";

    /** Which pods are ours, and the optional election. */
    public record Config(String schedulerName, LeaderElection.Config election) {
        public Config {
            Objects.requireNonNull(schedulerName);
        }
    }

    private final KubeClient client;
    private final Config config;
    private final Runnable onLostLeadership;
    private final BlockingQueue<Runnable> events = new LinkedBlockingQueue<>();
    private final ExecutorService writers = Executors.newFixedThreadPool(4, r -> daemon(r, "scheduler-writer"));
    private final Informer<Pod> pods;
    private final Informer<Node> nodes;
    private final Informer<PriorityClass> priorityClasses;
    private final Informer<io.kplane.model.GenericObject> budgets;
    private final Thread loop;
    private final Scheduler core;
    private final Map<String, String> failureMessages = new HashMap<>();  // loop thread only
    private final AtomicLong bound = new AtomicLong();
    private final AtomicLong unschedulable = new AtomicLong();
    private LeaderElection election;
    private String lastFailure;                                            // loop thread only
    private volatile boolean leading;
    private volatile boolean running;

    public SchedulerRuntime(KubeClient client, Config config, Runnable onLostLeadership) {
        this.client = client;
        this.config = config;
        this.onLostLeadership = onLostLeadership;
        this.core = new Scheduler(NanoClock.system(), new SplittableRandom(), this::bind, new Actions(), Scheduler.Config.DEFAULT);
        core.setTrace(new CycleTrace() {
            @Override
            public void filtered(PodInfo pod, NodeStatuses statuses, List<NodeInfo> feasible) {
                lastFailure = feasible.isEmpty() ? FailureMessage.of(core.snapshot(), statuses, feasible) : null;
            }
        });
        core.setListener(new Scheduler.Listener() {
            @Override
            public void attempt(PodInfo pod, Scheduler.Result result, String node, long startNanos, long endNanos) {
                if (result == Scheduler.Result.UNSCHEDULABLE || result == Scheduler.Result.ERROR) {
                    unschedulable.incrementAndGet();
                    reportFailure(pod, lastFailure != null ? lastFailure : "scheduling failed: " + result);
                }
            }

            @Override
            public void bound(PodInfo pod, String node, int attempts, long firstAttemptNanos) {
                bound.incrementAndGet();
                failureMessages.remove(pod.uid());
            }
        });
        this.pods = new Informer<>(client, ApiResource.PODS);
        this.nodes = new Informer<>(client, ApiResource.NODES);
        this.priorityClasses = new Informer<>(client, ApiResource.PRIORITY_CLASSES);
        this.budgets = new Informer<>(client, ApiResource.POD_DISRUPTION_BUDGETS);
        this.loop = daemon(this::run, "scheduler-loop");
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    public long podsBound() {
        return bound.get();
    }

    public boolean leading() {
        return leading;
    }

    /** Starts the informers, waits for them to sync, then schedules (at once, or once elected). */
    public SchedulerRuntime start(Duration syncTimeout) throws InterruptedException {
        running = true;
        nodes.addHandler(new EventHandler<>() {
            @Override
            public void onAdd(Node n) {
                events.add(() -> core.onNodeAdd(FromModel.node(n)));
            }

            @Override
            public void onUpdate(Node old, Node n) {
                events.add(() -> core.onNodeUpdate(FromModel.node(old), FromModel.node(n)));
            }

            @Override
            public void onDelete(Node n) {
                events.add(() -> core.onNodeDelete(n.metadata().name()));
            }
        });
        pods.addHandler(new EventHandler<>() {
            @Override
            public void onAdd(Pod p) {
                if (relevant(p)) {
                    events.add(() -> core.onPodAdd(info(p)));
                }
            }

            @Override
            public void onUpdate(Pod old, Pod p) {
                if (!relevant(p)) {
                    events.add(() -> core.onPodDelete(info(p)));
                } else if (!relevant(old)) {
                    events.add(() -> core.onPodAdd(info(p)));
                } else {
                    events.add(() -> core.onPodUpdate(info(old), info(p)));
                }
            }

            @Override
            public void onDelete(Pod p) {
                events.add(() -> {
                    failureMessages.remove(p.metadata().uid());
                    core.onPodDelete(info(p));
                });
            }
        });
        // PodDisruptionBudgets: preemption prefers victims whose eviction keeps their budget.
        budgets.addHandler(new EventHandler<>() {
            @Override
            public void onAdd(io.kplane.model.GenericObject b) {
                events.add(() -> core.onDisruptionBudget(budgetKey(b), FromModel.disruption(b)));
            }

            @Override
            public void onUpdate(io.kplane.model.GenericObject old, io.kplane.model.GenericObject b) {
                onAdd(b);
            }

            @Override
            public void onDelete(io.kplane.model.GenericObject b) {
                events.add(() -> core.onDisruptionBudget(budgetKey(b), null));
            }
        });
        priorityClasses.start();
        budgets.start();
        nodes.start();
        pods.start();
        for (Informer<?> i : List.of(priorityClasses, budgets, nodes, pods)) {
            if (!i.waitForSync(syncTimeout)) {
                throw new IllegalStateException("scheduler: informer for " + i.resource() + " did not sync within " + syncTimeout);
            }
        }
        loop.start();
        if (config.election() == null) {
            leading = true;
        } else {
            election = new LeaderElection(client, config.election(), new LeaderCallbacks() {
                @Override
                public void startedLeading() {
                    LOG.info("scheduler {}: started leading", config.election().identity());
                    leading = true;
                }

                @Override
                public void stoppedLeading() {
                    boolean was = leading;
                    leading = false;
                    if (was && running) {
                        LOG.warn("scheduler {}: leader election lost", config.election().identity());
                        onLostLeadership.run();
                    }
                }
            }).start();
        }
        return this;
    }

    /**
     * Pods this scheduler keeps in its view: assigned pods that still hold resources, and pending
     * pods addressed to it. Finished pods free their node (upstream filters them out too).
     */
    private boolean relevant(Pod p) {
        String phase = p.statusOrEmpty().phase();
        if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
            return false;
        }
        boolean assigned = p.spec() != null && p.spec().nodeName() != null && !p.spec().nodeName().isEmpty();
        String name = p.spec() == null || p.spec().schedulerName() == null ? DEFAULT_SCHEDULER : p.spec().schedulerName();
        return assigned || config.schedulerName().equals(name);
    }

    private static String budgetKey(io.kplane.model.GenericObject b) {
        return b.metadata().namespace() + "/" + b.metadata().name();
    }

    private PodInfo info(Pod p) {
        return FromModel.pod(p, name -> priorityClasses.cache().get(null, name));
    }

    private void run() {
        List<Runnable> batch = new ArrayList<>();
        while (running) {
            try {
                Runnable first = events.poll(10, TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    events.drainTo(batch, 4096);
                    for (Runnable r : batch) {
                        r.run();
                    }
                    batch.clear();
                }
                if (leading) {
                    core.tick();
                    for (int i = 0; i < 64 && events.isEmpty() && core.scheduleOne(); i++) {
                        // schedule a burst, then look at new events again
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("scheduler loop: {}", e.toString(), e);
            }
        }
    }

    private void bind(PodInfo pod, String node) {
        writers.execute(() -> {
            Map<String, Object> body = Map.of("apiVersion", "v1", "kind", "Binding",
                    "metadata", Map.of("name", pod.name(), "namespace", pod.namespace(), "uid", pod.uid()),
                    "target", Map.of("apiVersion", "v1", "kind", "Node", "name", node));
            try {
                client.post(ApiResource.PODS, pod.namespace(), pod.name(), "binding", body);
                events.add(() -> core.onBindResult(pod.uid(), true, null));
            } catch (RuntimeException e) {
                LOG.warn("scheduler: binding {} to {} failed: {}", pod.key(), node, e.getMessage());
                events.add(() -> core.onBindResult(pod.uid(), false, e.getMessage()));
            }
        });
    }

    /** PodScheduled=False with the reasons, and a FailedScheduling event — once per distinct message. */
    private void reportFailure(PodInfo pod, String message) {
        if (message.equals(failureMessages.put(pod.uid(), message))) {
            return;
        }
        writers.execute(() -> {
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            try {
                Pod current = updatePodStatus(pod, p -> p.spec().nodeName() == null, status -> {
                    List<Condition> conditions = new ArrayList<>();
                    for (Condition c : status.conditions()) {
                        if (!"PodScheduled".equals(c.type())) {
                            conditions.add(c);
                        }
                    }
                    conditions.add(Condition.of("PodScheduled", Condition.FALSE, "Unschedulable", message, now));
                    return status.withConditions(conditions).withPhase("Pending");
                });
                if (current == null) {
                    return;
                }
                Event event = new Event(null, null,
                        ObjectMeta.of(pod.namespace(), pod.name() + "." + Long.toHexString(System.nanoTime())),
                        ObjectReference.to(current), "FailedScheduling", message,
                        new EventSource(config.schedulerName(), null, null), now, now, 1, "Warning", null, "Scheduling",
                        config.schedulerName(), config.election() == null ? config.schedulerName() : config.election().identity(), null);
                client.create(ApiResource.EVENTS, event);
            } catch (ApiException e) {
                LOG.debug("scheduler: could not report failure of {}: {}", pod.key(), e.getMessage());
            }
        });
    }

    /**
     * Changes the status of {@code pod} (the same uid) if it still passes {@code still}: read, change,
     * write, again on a 409. Several writers touch one pod's status at once (a failure report, a
     * nomination); without the retry one of them is lost — a lost nomination leaves the preemptor
     * without the room its victims made. Returns the pod as written, or null if it is gone or no
     * longer passes {@code still}.
     */
    private Pod updatePodStatus(PodInfo pod, java.util.function.Predicate<Pod> still,
                                java.util.function.UnaryOperator<PodStatus> change) {
        for (int attempt = 1; ; attempt++) {
            Pod current = client.getOrNull(ApiResource.PODS, pod.namespace(), pod.name());
            if (current == null || !pod.uid().equals(current.metadata().uid()) || !still.test(current)) {
                return null;
            }
            try {
                return client.updateStatus(ApiResource.PODS, current.withStatus(change.apply(current.statusOrEmpty())));
            } catch (ApiException e) {
                if (!e.isConflict() || attempt == STATUS_WRITE_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private static final int STATUS_WRITE_ATTEMPTS = 5;

    /** Writes the core asks for besides bindings: nominations and preemption victims. */
    private final class Actions implements ClusterActions {
        @Override
        public void deletePod(PodInfo victim) {
            writers.execute(() -> {
                try {
                    Pod current = updatePodStatus(victim, p -> true, status -> {
                        List<Condition> conditions = new ArrayList<>(status.conditions());
                        conditions.removeIf(c -> "DisruptionTarget".equals(c.type()));
                        conditions.add(Condition.of("DisruptionTarget", Condition.TRUE, "PreemptionByScheduler",
                                config.schedulerName() + ": preempting to accommodate a higher priority pod",
                                Instant.now().truncatedTo(ChronoUnit.SECONDS)));
                        return status.withConditions(conditions);
                    });
                    if (current == null) {
                        return;
                    }
                    client.delete(ApiResource.PODS, victim.namespace(), victim.name(), DeleteOptions.preconditionUid(victim.uid()));
                } catch (ApiException e) {
                    LOG.debug("scheduler: preempting {}: {}", victim.key(), e.getMessage());
                }
            });
        }

        @Override
        public void setNominatedNode(PodInfo pod, String nodeName) {
            writers.execute(() -> {
                try {
                    updatePodStatus(pod, p -> true, status -> status.withNominatedNodeName(nodeName));
                } catch (ApiException e) {
                    LOG.debug("scheduler: nominating {}: {}", pod.key(), e.getMessage());
                }
            });
        }
    }

    @Override
    public void close() {
        running = false;
        leading = false;
        if (election != null) {
            election.close();
        }
        loop.interrupt();
        pods.close();
        nodes.close();
        priorityClasses.close();
        budgets.close();
        writers.shutdownNow();
    }
}
