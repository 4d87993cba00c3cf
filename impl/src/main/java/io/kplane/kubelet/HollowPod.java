package io.kplane.kubelet;

import io.kplane.model.Condition;
import io.kplane.model.Container;
import io.kplane.model.ContainerStatus;
import io.kplane.model.Pod;
import io.kplane.model.PodIP;
import io.kplane.model.PodStatus;
import io.kplane.model.QosClass;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One pod bound to a hollow kubelet: its simulated containers, its IP and the status the kubelet
 * reports for it. Pure and single-threaded (the kubelet's sync thread owns it; time is passed in).
 */
final class HollowPod {
    private final String uid;
    private final String restartPolicy;
    private final String podIp;
    private final String hostIp;
    /** The pod's and node's IPv6 addresses on a dual-stack node, else null. */
    private final String podIpV6;
    private final String hostIpV6;
    private final Instant startTime;
    private final List<HollowContainer> containers = new ArrayList<>();
    private final QosClass qos;
    private boolean stopping;

    HollowPod(Pod pod, String podIp, String hostIp, long nowNs, Instant now) {
        this(pod, podIp, null, hostIp, null, nowNs, now);
    }

    HollowPod(Pod pod, String podIp, String podIpV6, String hostIp, String hostIpV6, long nowNs, Instant now) {
        this.uid = pod.metadata().uid();
        this.restartPolicy = pod.spec().restartPolicy() == null ? "Always" : pod.spec().restartPolicy();
        this.podIp = podIp;
        this.hostIp = hostIp;
        this.podIpV6 = podIpV6;
        this.hostIpV6 = hostIpV6;
        // the kubelet's start time is when it first saw the pod, kept across its status writes
        Instant known = pod.statusOrEmpty().startTime();
        this.startTime = known != null ? known : now;
        this.qos = QosClass.compute(pod.spec());
        for (Container c : pod.spec().containers()) {
            containers.add(new HollowContainer(c, uid, nowNs, new RestartBackoff()));
        }
    }

    String uid() {
        return uid;
    }

    String podIp() {
        return podIp;
    }

    List<HollowContainer> containers() {
        return containers;
    }

    boolean stopping() {
        return stopping;
    }

    /** Starts containers whose start (or back-off) is due; returns true if any did. */
    boolean tick(long nowNs, Instant now) {
        boolean changed = false;
        if (stopping) {
            return false;
        }
        for (HollowContainer c : containers) {
            changed |= c.restartIfDue(nowNs, now);
        }
        return changed;
    }

    String restartPolicy() {
        return restartPolicy;
    }

    /** Graceful deletion: every container gets SIGTERM and, being hollow, exits at once. */
    void stop(long nowNs, Instant now) {
        stopping = true;
        for (HollowContainer c : containers) {
            c.stop(nowNs, now);
        }
    }

    /**
     * The status to report, given the one the server has ({@code current}: conditions that did not
     * change keep their transition times; the scheduler's PodScheduled condition is kept).
     */
    PodStatus status(PodStatus current, Instant now) {
        List<ContainerStatus> statuses = new ArrayList<>(containers.size());
        boolean allReady = !containers.isEmpty();
        boolean anyRunning = false;
        boolean allTerminated = true;
        boolean anyFailed = false;
        for (HollowContainer c : containers) {
            ContainerStatus s = c.status();
            statuses.add(s);
            allReady &= c.ready();
            anyRunning |= c.running();
            allTerminated &= c.terminated();
            if (c.terminated() && s.state().terminated() != null && s.state().terminated().exitCode() != null
                    && s.state().terminated().exitCode() != 0) {
                anyFailed = true;
            }
        }
        String phase;
        if (allTerminated) {
            phase = anyFailed ? "Failed" : "Succeeded";
        } else if (anyRunning || containers.stream().anyMatch(c -> c.restartCount() > 0)) {
            phase = "Running";
        } else {
            phase = "Pending";
        }
        boolean ready = allReady && !stopping;
        List<Condition> old = current == null ? List.of() : current.conditions();
        List<Condition> conditions = new ArrayList<>();
        conditions.add(condition(old, "PodReadyToStartContainers", !stopping, null, now));
        conditions.add(condition(old, "Initialized", true, null, now));
        conditions.add(condition(old, "Ready", ready, ready ? null : "ContainersNotReady", now));
        conditions.add(condition(old, "ContainersReady", ready, ready ? null : "ContainersNotReady", now));
        Condition scheduled = Condition.find(old, "PodScheduled");
        conditions.add(scheduled != null ? scheduled : Condition.of("PodScheduled", Condition.TRUE, null, null, startTime));
        PodStatus base = current == null ? PodStatus.EMPTY : current;
        return new PodStatus(phase, conditions, null, null, base.nominatedNodeName(), hostIp, ips(hostIp, hostIpV6),
                podIp, ips(podIp, podIpV6), startTime, qos.value(), base.initContainerStatuses(), statuses, base.extra());
    }

    /** {@code podIPs}/{@code hostIPs}: the primary (IPv4) address first, as the kubelet lists them. */
    private static List<PodIP> ips(String v4, String v6) {
        return v6 == null ? List.of(PodIP.of(v4)) : List.of(PodIP.of(v4), PodIP.of(v6));
    }

    private static Condition condition(List<Condition> old, String type, boolean value, String reason, Instant now) {
        String status = value ? Condition.TRUE : Condition.FALSE;
        Condition prev = Condition.find(old, type);
        Instant since = prev != null && status.equals(prev.status()) ? prev.lastTransitionTime() : now;
        return Condition.of(type, status, reason, null, since);
    }
}
