/**
 * Hollow kubelets, as kubemark's: a {@link io.kplane.kubelet.HollowKubelet} registers a Node,
 * renews its Lease in {@code kube-node-lease} every 10 s, reports node conditions, and runs the pods
 * bound to it as simulated containers (Running with a pod IP from the node's /24 at once). Probes
 * are real: readiness, liveness and startup probes of type HTTP GET and TCP socket run against the
 * pod's address (the probe's {@code host}, else the pod IP) with Kubernetes' thresholds, periods and
 * delays; a liveness or startup failure restarts the container with CrashLoopBackOff delays (10 s
 * doubling to 5 minutes); readiness feeds the pod's Ready condition and so EndpointSlices. Graceful
 * deletion stops the containers and finishes with a delete of grace period 0. With
 * {@code --dual-stack} ({@link io.kplane.kubelet.KubeletConfig#hollowDualStack}) a node also has an
 * IPv6 /64 and node IP, and each pod reports both addresses, IPv4 first, in {@code podIPs}.
 *
 * <p>The per-pod state ({@link io.kplane.kubelet.HollowPod}, {@code HollowContainer},
 * {@code ProbeTracker}, {@code RestartBackoff}) is pure and owned by one sync thread; time is
 * passed in. {@code kplane kubelet --nodes N} runs N of them in one process as a
 * {@link io.kplane.kubelet.HollowNodePool}: one pod watch and a few sync threads for all of them
 * (each kubelet still on one thread), so thousands fit in one JVM ({@code HollowNodePoolTest}
 * runs 1,000 against the real API server; node indexes go up to 3,071).
 */
package io.kplane.kubelet;
