/**
 * The scheduler's pure core: a scheduling queue, a framework with the upstream extension points,
 * an incrementally updated node-info snapshot, the default plugins with kube-scheduler's semantics
 * and weights, and preemption.
 *
 * <p>The core is a deterministic function of its inputs: cluster events ({@link
 * io.kplane.scheduler.Scheduler#onPodAdd}, ...), time from a {@link io.kplane.time.NanoClock}
 * and randomness from an injected seeded {@link java.util.random.RandomGenerator}. It runs on one
 * thread; bindings leave through {@link io.kplane.scheduler.Binder} and their completions come
 * back as events, so a runtime (informers, API binding, Lease election) plugs in unchanged.
 *
 * <p>The hot path works on precomputed views ({@link io.kplane.scheduler.PodInfo}, {@link
 * io.kplane.scheduler.NodeInfo}): resources as long milli-values, label maps, taints, parsed
 * selectors.
 *
 * <p>{@code kplane scheduler simulate --objects FILE.yaml [-o json]} runs {@link
 * io.kplane.scheduler.Simulation}: the pending Pods of a kubectl YAML file are scheduled in file
 * order onto its Nodes (with its bound Pods, PriorityClasses, PodDisruptionBudgets and Services),
 * and each attempt prints every node's filter verdict (plugin, reason), each scoring plugin's
 * normalized score per feasible node with the weighted total, the chosen node and preemption
 * victims, seen through a {@link io.kplane.scheduler.CycleTrace}. Every node is evaluated
 * (percentageOfNodesToScore 100); as upstream, a single feasible node is not scored.
 *
 * <p>{@link io.kplane.scheduler.SchedulerRuntime} is the runtime shell
 * ({@code kplane scheduler run --kubeconfig FILE [--leader-elect]}): informers for Pods, Nodes,
 * PriorityClasses and PodDisruptionBudgets (policy/v1, for preemption's victim choice) feed the core on one loop thread; bindings go out through
 * {@code pods/binding}; a pod that fits nowhere gets {@code PodScheduled=False} with
 * kube-scheduler's "0/N nodes are available: …" message and a FailedScheduling event; nominations
 * and preemption victims (with the {@code DisruptionTarget} condition) are written as upstream
 * does; with leader election only the holder of {@code kube-system/kube-scheduler} schedules.
 *
 * <p>{@code kplane bench scheduler --e2e} measures the runtime end to end through the API server
 * (see {@code io.kplane.bench.scheduler.SchedulerArea}).
 *
 * <p>Not done: volume plugins, extenders, multiple profiles.
 */
package io.kplane.scheduler;
