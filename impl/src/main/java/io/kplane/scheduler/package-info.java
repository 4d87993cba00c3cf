/**
 * The scheduler's pure core: a scheduling queue, a framework with the upstream extension points,
 * an incrementally updated node-info snapshot, the default plugins with kube-scheduler's semantics
 * and weights, and preemption.
 *
 * <p>The core is a deterministic function of its inputs: cluster events ({@link
 * io.kplane.scheduler.Scheduler#onPodAdd}, ...), time from a {@link io.kplane.scheduler.Clock}
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
 */
package io.kplane.scheduler;
