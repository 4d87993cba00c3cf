/**
 * The controllers, run together by {@link io.kplane.controller.ControllerManager}
 * ({@code kplane controller-manager --kubeconfig FILE [--leader-elect]}).
 *
 * <p>Each controller is a pure reconcile core with time passed in, wrapped in a thin runtime
 * shell (shared informers → a client-go style work queue → the core → writes through a
 * {@link io.kplane.controller.Writer} that re-checks leadership before every write):
 * <ul>
 *   <li>{@link io.kplane.controller.ReplicaSetSync}: creates and deletes Pods to match replicas,
 *       adopts and releases by selector and ownerReferences, with the expectations mechanism
 *       ({@link io.kplane.controller.Expectations}: no double creation while watches lag), a burst
 *       limit of 500 per sync and slow-start batches 1, 2, 4, … ({@link io.kplane.controller.SlowStart}),
 *       upstream's deletion ranking, and status.</li>
 *   <li>{@link io.kplane.controller.DeploymentSync}: ReplicaSets by {@code pod-template-hash},
 *       rolling update with maxSurge/maxUnavailable, Recreate, scale, history cleanup, status with
 *       the Available and Progressing conditions.</li>
 *   <li>{@link io.kplane.controller.EndpointSliceSync}: per Service with a selector, slices of at
 *       most 100 endpoints with ready/serving/terminating and nodeName, named target ports, and
 *       the legacy Endpoints object.</li>
 *   <li>{@link io.kplane.controller.NodeLifecycle}: a node whose Lease in {@code kube-node-lease}
 *       has not been renewed for the grace period (50 s by default) is marked Ready=Unknown and
 *       tainted not-ready/unreachable (NoExecute and NoSchedule); its pods are evicted after their
 *       tolerationSeconds (at once when no toleration matches; the API server gives new pods
 *       300 s not-ready/unreachable tolerations); taints go when it recovers.</li>
 *   <li>{@link io.kplane.controller.OwnerGraph}: the garbage collector's ownerReferences graph,
 *       with background, foreground ({@code foregroundDeletion}, blockOwnerDeletion) and orphan
 *       propagation.</li>
 *   <li>{@link io.kplane.controller.DisruptionBudgetStatus}: a PodDisruptionBudget's status
 *       (expectedPods, desiredHealthy, currentHealthy, disruptionsAllowed, disruptedPods, the
 *       DisruptionAllowed condition), which the API server's {@code pods/eviction} consults.</li>
 * </ul>
 * Every instance runs its informers; only the holder of the Lease
 * {@code kube-system/kube-controller-manager} runs the controllers.
 *
 * <p>Not done: proportional scaling across several active ReplicaSets and
 * progressDeadlineSeconds; our template hash is not the value upstream computes; ReplicaSet
 * batches run one after the other; EndpointSlices (one set per IP family of the Service) carry
 * no zones or hints; the
 * garbage collector watches six resources and rescans on each pass; node eviction has no rate
 * limit and deletes pods directly rather than through the eviction API; the disruption
 * controller knows ReplicaSets and Deployments as controllers only (no StatefulSets or scale
 * subresources of other kinds) and counts two ReplicaSets of one Deployment (mid-rollout) twice
 * when it needs the scale (maxUnavailable or a percentage).
 */
package io.kplane.controller;
