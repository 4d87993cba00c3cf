package io.kplane.scheduler;

import io.kplane.scheduler.framework.ClusterEvent;
import io.kplane.scheduler.framework.EventRegistration;
import io.kplane.scheduler.framework.QueueingHint;
import io.kplane.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Function;

/**
 * Upstream's priority queue: an activeQ ordered by priority then enqueue time (PrioritySort), a
 * backoffQ with per-pod exponential backoff (1 s doubling to 10 s), a pool of unschedulable pods
 * that only cluster events (filtered by the rejecting plugins' registrations and queueing hints)
 * or a 5-minute timeout move, gated pods held by PreEnqueue plugins, and the nominator (pods
 * nominated to nodes by preemption). As in Kubernetes ≥ 1.33, when activeQ is empty the head of
 * backoffQ may be popped early.
 */
public final class SchedulingQueue {

    public static final long INITIAL_BACKOFF_NANOS = 1_000_000_000L;
    public static final long MAX_BACKOFF_NANOS = 10_000_000_000L;
    public static final long UNSCHEDULABLE_TIMEOUT_NANOS = 300_000_000_000L;

    /** PrioritySort: higher priority first, then earlier timestamp. */
    static final Comparator<QueuedPodInfo> PRIORITY_SORT = (a, b) -> {
        int c = Integer.compare(b.pod.priority(), a.pod.priority());
        return c != 0 ? c : Long.compare(a.timestamp, b.timestamp);
    };

    private final PriorityQueue<QueuedPodInfo> activeQ = new PriorityQueue<>(PRIORITY_SORT);
    private final PriorityQueue<QueuedPodInfo> backoffQ = new PriorityQueue<>(
            Comparator.comparingLong((QueuedPodInfo q) -> q.backoffExpiry).thenComparing(PRIORITY_SORT));
    private final LinkedHashMap<String, QueuedPodInfo> unschedulable = new LinkedHashMap<>();
    private final HashMap<String, QueuedPodInfo> byUid = new HashMap<>();
    private final Function<PodInfo, Status> preEnqueue;
    private Map<String, List<EventRegistration>> registrations;
    private final boolean popFromBackoffQ;
    private final HashMap<String, ArrayList<PodInfo>> nominatedByNode = new HashMap<>();
    private final HashMap<String, String> nominatedNodeOf = new HashMap<>();
    /** Nodes whose nominations changed, in order, for incremental readers ({@link NominatedIndex}). */
    private final ArrayList<String> nominationLog = new ArrayList<>();
    /** Bumped when the log is cut short; readers then start over. */
    private long nominationLogEpoch;
    private long schedulingCycle;

    /**
     * @param preEnqueue runs the PreEnqueue plugins; a non-success status gates the pod
     * @param registrations plugin name to the events it registered
     */
    public SchedulingQueue(Function<PodInfo, Status> preEnqueue, Map<String, List<EventRegistration>> registrations,
            boolean popFromBackoffQ) {
        this.preEnqueue = preEnqueue;
        this.registrations = registrations;
        this.popFromBackoffQ = popFromBackoffQ;
    }

    /** Set once the framework (which owns the plugins) exists. */
    public void setRegistrations(Map<String, List<EventRegistration>> registrations) {
        this.registrations = registrations;
    }

    // ---- adding, updating, deleting ----

    /** A new unscheduled pod. */
    public void add(PodInfo pod, long now) {
        if (byUid.containsKey(pod.uid())) {
            update(pod, now);
            return;
        }
        QueuedPodInfo q = new QueuedPodInfo(pod, now);
        byUid.put(pod.uid(), q);
        if (pod.nominatedNodeName() != null) {
            addNominated(pod, pod.nominatedNodeName());
        }
        moveToActiveOrGate(q);
    }

    private void moveToActiveOrGate(QueuedPodInfo q) {
        Status s = preEnqueue.apply(q.pod);
        if (!s.isSuccess()) {
            q.location = QueuedPodInfo.Location.GATED;
            q.gatingPlugin = s.plugin();
            unschedulable.put(q.pod.uid(), q);
            return;
        }
        q.gatingPlugin = null;
        q.location = QueuedPodInfo.Location.ACTIVE;
        activeQ.add(q);
    }

    /** An unscheduled pod changed (labels, gates, tolerations, ...). */
    public void update(PodInfo pod, long now) {
        update(null, pod, now);
    }

    /**
     * An update of a pending pod; {@code apiOld} is the object before it as the watch saw it (null
     * when unknown). A nomination made in memory by preemption survives an update in which neither
     * the old nor the new object carries one (upstream's {@code UpdateNominatedPod}): the status
     * write that records it may not have arrived yet, or another status write came first.
     */
    public void update(PodInfo apiOld, PodInfo pod, long now) {
        QueuedPodInfo q = byUid.get(pod.uid());
        if (q == null) {
            add(pod, now);
            return;
        }
        PodInfo old = q.pod;
        switch (q.location) {
            case ACTIVE -> {
                activeQ.remove(q);
                q.pod = pod;
                activeQ.add(q);
            }
            case BACKOFF -> {
                backoffQ.remove(q);
                q.pod = pod;
                backoffQ.add(q);
            }
            case GATED -> {
                unschedulable.remove(pod.uid());
                q.pod = pod;
                moveToActiveOrGate(q);
            }
            case UNSCHEDULABLE -> {
                q.pod = pod;
                if (old != pod) {
                    // An update to the pod itself may make it schedulable.
                    unschedulable.remove(pod.uid());
                    requeue(q, now);
                }
            }
            case IN_FLIGHT -> q.pod = pod;
        }
        String inMemory = nominatedNodeOf.get(pod.uid());
        if (inMemory != null && apiOld != null && apiOld.nominatedNodeName() == null && pod.nominatedNodeName() == null) {
            q.pod = pod.withNominatedNodeName(inMemory);
            addNominated(q.pod, inMemory);
        } else if (!java.util.Objects.equals(old.nominatedNodeName(), pod.nominatedNodeName())) {
            deleteNominated(pod.uid());
            if (pod.nominatedNodeName() != null) {
                addNominated(pod, pod.nominatedNodeName());
            }
        }
    }

    /** The pod was deleted or got bound by someone else. */
    public void delete(String uid) {
        QueuedPodInfo q = byUid.remove(uid);
        deleteNominated(uid);
        if (q == null) {
            return;
        }
        switch (q.location) {
            case ACTIVE -> activeQ.remove(q);
            case BACKOFF -> backoffQ.remove(q);
            case UNSCHEDULABLE, GATED -> unschedulable.remove(uid);
            case IN_FLIGHT -> { }
        }
    }

    // ---- popping ----

    /** Moves pods whose backoff expired to activeQ; returns how many. */
    public int flushBackoffCompleted(long now) {
        int n = 0;
        while (!backoffQ.isEmpty() && backoffQ.peek().backoffExpiry <= now) {
            QueuedPodInfo q = backoffQ.poll();
            q.location = QueuedPodInfo.Location.ACTIVE;
            activeQ.add(q);
            n++;
        }
        return n;
    }

    /** Moves pods parked as unschedulable for longer than the timeout (upstream: 5 minutes). */
    public int flushUnschedulableLeftover(long now) {
        List<QueuedPodInfo> moved = new ArrayList<>();
        for (QueuedPodInfo q : unschedulable.values()) {
            if (q.location == QueuedPodInfo.Location.UNSCHEDULABLE && now - q.timestamp >= UNSCHEDULABLE_TIMEOUT_NANOS) {
                moved.add(q);
            }
        }
        for (QueuedPodInfo q : moved) {
            unschedulable.remove(q.pod.uid());
            requeue(q, now);
        }
        return moved.size();
    }

    /** The next pod to schedule, or null when there is none right now. Non-blocking. */
    public QueuedPodInfo pop(long now) {
        flushBackoffCompleted(now);
        QueuedPodInfo q = activeQ.poll();
        if (q == null && popFromBackoffQ) {
            q = backoffQ.poll();
        }
        if (q == null) {
            return null;
        }
        q.location = QueuedPodInfo.Location.IN_FLIGHT;
        q.attempts++;
        if (q.initialAttemptTimestamp < 0) {
            q.initialAttemptTimestamp = now;
        }
        q.unschedulablePlugins.clear();
        schedulingCycle++;
        return q;
    }

    /** Number of scheduling cycles started (upstream {@code SchedulingCycle}). */
    public long schedulingCycle() {
        return schedulingCycle;
    }

    /** The in-flight pod was scheduled: it leaves the queue. */
    public void done(String uid) {
        QueuedPodInfo q = byUid.get(uid);
        if (q != null && q.location == QueuedPodInfo.Location.IN_FLIGHT) {
            byUid.remove(uid);
        }
    }

    /**
     * The in-flight pod failed. Pods rejected by plugins go to the unschedulable pool; pods that hit
     * an error, or that no plugin rejected, go to backoff. (The core handles events only between
     * scheduling cycles, so no event can slip in during one — upstream's in-flight event tracking
     * has nothing to track here.)
     */
    public void addUnschedulable(QueuedPodInfo q, boolean error, long now) {
        if (byUid.get(q.pod.uid()) != q) {
            return; // deleted meanwhile
        }
        q.timestamp = now;
        q.backoffExpiry = now + backoffDuration(q.attempts);
        if (error || q.unschedulablePlugins.isEmpty()) {
            q.location = QueuedPodInfo.Location.BACKOFF;
            backoffQ.add(q);
        } else {
            q.location = QueuedPodInfo.Location.UNSCHEDULABLE;
            unschedulable.put(q.pod.uid(), q);
        }
    }

    static long backoffDuration(int attempts) {
        long d = INITIAL_BACKOFF_NANOS;
        for (int i = 1; i < attempts; i++) {
            d *= 2;
            if (d >= MAX_BACKOFF_NANOS) {
                return MAX_BACKOFF_NANOS;
            }
        }
        return d;
    }

    // ---- events ----

    /**
     * A cluster event happened: move the unschedulable pods it may help to activeQ (or backoffQ
     * while backing off), asking the plugins that rejected each pod.
     */
    public int onEvent(ClusterEvent event, Object oldObj, Object newObj, long now) {
        if (unschedulable.isEmpty()) {
            return 0;
        }
        List<QueuedPodInfo> moved = new ArrayList<>();
        for (Iterator<QueuedPodInfo> it = unschedulable.values().iterator(); it.hasNext(); ) {
            QueuedPodInfo q = it.next();
            if (q.location == QueuedPodInfo.Location.GATED) {
                continue;
            }
            if (worthRequeuing(q, event, oldObj, newObj)) {
                it.remove();
                moved.add(q);
            }
        }
        for (QueuedPodInfo q : moved) {
            requeue(q, now);
        }
        return moved.size();
    }

    private boolean worthRequeuing(QueuedPodInfo q, ClusterEvent event, Object oldObj, Object newObj) {
        if (event.resource() == ClusterEvent.Resource.WILDCARD || q.unschedulablePlugins.isEmpty()) {
            return true;
        }
        for (String plugin : q.unschedulablePlugins) {
            List<EventRegistration> regs = registrations.get(plugin);
            if (regs == null) {
                continue;
            }
            for (EventRegistration r : regs) {
                if (r.event().covers(event) && r.hint().hint(q.pod, oldObj, newObj) == QueueingHint.QUEUE) {
                    return true;
                }
            }
        }
        return false;
    }

    private void requeue(QueuedPodInfo q, long now) {
        if (q.backoffExpiry > now) {
            q.location = QueuedPodInfo.Location.BACKOFF;
            backoffQ.add(q);
        } else {
            q.location = QueuedPodInfo.Location.ACTIVE;
            activeQ.add(q);
        }
    }

    // ---- nominator ----

    public void addNominated(PodInfo pod, String node) {
        deleteNominated(pod.uid());
        nominatedNodeOf.put(pod.uid(), node);
        nominatedByNode.computeIfAbsent(node, k -> new ArrayList<>()).add(pod);
        logNomination(node);
    }

    private void logNomination(String node) {
        if (nominationLog.size() >= 1_000_000) {
            nominationLog.clear();
            nominationLogEpoch++;
        }
        nominationLog.add(node);
    }

    public void deleteNominated(String uid) {
        String node = nominatedNodeOf.remove(uid);
        if (node == null) {
            return;
        }
        ArrayList<PodInfo> l = nominatedByNode.get(node);
        l.removeIf(p -> p.uid().equals(uid));
        if (l.isEmpty()) {
            nominatedByNode.remove(node);
        }
        logNomination(node);
    }

    /** Nodes that have nominated pods. */
    public java.util.Set<String> nominatedNodes() {
        return nominatedByNode.keySet();
    }

    /** Changes the nomination log since it was last cut short; see {@link #nominationLogEntry}. */
    public long nominationLogEpoch() {
        return nominationLogEpoch;
    }

    public int nominationLogSize() {
        return nominationLog.size();
    }

    /** The node whose nominations changed at log position {@code i}. */
    public String nominationLogEntry(int i) {
        return nominationLog.get(i);
    }

    /** Pods nominated to run on {@code node} (possibly empty). */
    public List<PodInfo> nominatedPods(String node) {
        ArrayList<PodInfo> l = nominatedByNode.get(node);
        return l == null ? List.of() : l;
    }

    public boolean hasNominations() {
        return !nominatedByNode.isEmpty();
    }

    public String nominatedNode(String uid) {
        return nominatedNodeOf.get(uid);
    }

    // ---- introspection ----

    public int activeCount() { return activeQ.size(); }
    public int backoffCount() { return backoffQ.size(); }
    public int unschedulableCount() { return unschedulable.size(); }
    public int size() { return byUid.size(); }
    public QueuedPodInfo get(String uid) { return byUid.get(uid); }

    /** Earliest backoff expiry among backing-off pods, or Long.MAX_VALUE. */
    public long nextBackoffExpiry() {
        QueuedPodInfo q = backoffQ.peek();
        return q == null ? Long.MAX_VALUE : q.backoffExpiry;
    }
}
