package io.kplane.scheduler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The scheduler's view of the cluster (upstream {@code internal/cache}): nodes with the pods on
 * them, including <em>assumed</em> pods — pods the scheduler placed whose binding is not yet
 * confirmed. Assumed pods count immediately; a failed binding forgets them. Single writer (the
 * scheduler thread); scheduling cycles read a {@link Snapshot}.
 */
public final class SchedulerCache {

    private static final class PodState {
        PodInfo pod;
        boolean assumed;
        boolean bindingFinished;

        PodState(PodInfo pod, boolean assumed) {
            this.pod = pod;
            this.assumed = assumed;
        }
    }

    private final LinkedHashMap<String, NodeInfo> nodes = new LinkedHashMap<>();
    private final LinkedHashSet<String> presentNodes = new LinkedHashSet<>();
    private final HashMap<String, PodState> pods = new HashMap<>();
    private final LinkedHashSet<String> dirty = new LinkedHashSet<>();
    private final HashMap<String, Map<String, String>> namespaceLabels = new HashMap<>();
    private final HashMap<String, Disruption> disruptions = new HashMap<>();
    private final HashMap<String, Map.Entry<String, Selector>> services = new HashMap<>();
    private boolean nodeSetChanged;
    private boolean metaChanged;
    private long generation;

    // ---- nodes ----

    public void addNode(NodeInfo.NodeSpec spec) {
        NodeInfo n = nodes.get(spec.name());
        if (n == null) {
            n = new NodeInfo(spec);
            nodes.put(spec.name(), n);
        } else {
            n.setNode(spec);
        }
        if (presentNodes.add(spec.name())) {
            nodeSetChanged = true;
        }
        touch(n);
    }

    public void updateNode(NodeInfo.NodeSpec spec) {
        addNode(spec);
        nodeSetChanged = true; // labels (zones) or images may have changed
    }

    /** Removes a node; its pods stay accounted until they are deleted (upstream keeps a ghost node). */
    public void removeNode(String name) {
        if (presentNodes.remove(name)) {
            nodeSetChanged = true;
            NodeInfo n = nodes.get(name);
            if (n != null && n.podCount() == 0) {
                nodes.remove(name);
            }
            dirty.add(name);
        }
    }

    public NodeInfo.NodeSpec node(String name) {
        NodeInfo n = nodes.get(name);
        return n == null || !presentNodes.contains(name) ? null : n.node();
    }

    public int nodeCount() {
        return presentNodes.size();
    }

    // ---- pods ----

    /** The scheduler decided: count the pod on {@code pod.nodeName()} before the binding is confirmed. */
    public void assumePod(PodInfo pod) {
        if (pods.containsKey(pod.uid())) {
            throw new IllegalStateException("pod " + pod.key() + " is already in the cache");
        }
        pods.put(pod.uid(), new PodState(pod, true));
        addToNode(pod);
    }

    /** Binding call returned; the pod stays assumed until the informer confirms it. */
    public void finishBinding(String uid) {
        PodState s = pods.get(uid);
        if (s != null && s.assumed) {
            s.bindingFinished = true;
        }
    }

    /** Binding failed: drop the assumed pod. */
    public void forgetPod(String uid) {
        PodState s = pods.get(uid);
        if (s == null || !s.assumed) {
            return;
        }
        pods.remove(uid);
        removeFromNode(s.pod);
    }

    /** A pod bound to a node was observed (confirms an assumed pod, or adds one bound elsewhere). */
    public void addPod(PodInfo pod) {
        PodState s = pods.get(pod.uid());
        if (s != null) {
            if (!pod.nodeName().equals(s.pod.nodeName())) {
                removeFromNode(s.pod);
                addToNode(pod);
            } else if (pod != s.pod) {
                replaceOnNode(s.pod, pod);
            }
            s.pod = pod;
            s.assumed = false;
            return;
        }
        pods.put(pod.uid(), new PodState(pod, false));
        addToNode(pod);
    }

    public void updatePod(PodInfo pod) {
        addPod(pod);
    }

    public void removePod(String uid) {
        PodState s = pods.remove(uid);
        if (s != null) {
            removeFromNode(s.pod);
        }
    }

    public boolean isAssumed(String uid) {
        PodState s = pods.get(uid);
        return s != null && s.assumed;
    }

    public PodInfo pod(String uid) {
        PodState s = pods.get(uid);
        return s == null ? null : s.pod;
    }

    public int podCount() {
        return pods.size();
    }

    private void addToNode(PodInfo pod) {
        NodeInfo n = nodes.computeIfAbsent(pod.nodeName(),
                name -> new NodeInfo(NodeInfo.NodeSpec.of(name, Map.of(), Resources.ZERO)));
        n.addPod(pod);
        touch(n);
    }

    private void removeFromNode(PodInfo pod) {
        NodeInfo n = nodes.get(pod.nodeName());
        if (n == null) {
            return;
        }
        n.removePod(pod);
        touch(n);
        if (n.podCount() == 0 && !presentNodes.contains(n.name())) {
            nodes.remove(n.name());
        }
    }

    private void replaceOnNode(PodInfo old, PodInfo now) {
        NodeInfo n = nodes.get(old.nodeName());
        n.removePod(old);
        n.addPod(now);
        touch(n);
    }

    private void touch(NodeInfo n) {
        n.generation = ++generation;
        dirty.add(n.name());
    }

    // ---- other objects the plugins read ----

    public void setNamespaceLabels(String namespace, Map<String, String> labels) {
        namespaceLabels.put(namespace, Map.copyOf(labels));
        metaChanged = true;
    }

    public void removeNamespace(String namespace) {
        namespaceLabels.remove(namespace);
        metaChanged = true;
    }

    public void putDisruption(String key, Disruption d) {
        disruptions.put(key, d);
        metaChanged = true;
    }

    public void removeDisruption(String key) {
        disruptions.remove(key);
        metaChanged = true;
    }

    public void putService(String key, String namespace, Selector selector) {
        services.put(key, Map.entry(namespace, selector));
        metaChanged = true;
    }

    public void removeService(String key) {
        services.remove(key);
        metaChanged = true;
    }

    // ---- snapshot ----

    /** Brings {@code snap} up to date, copying only the nodes that changed since its last update. */
    public void updateSnapshot(Snapshot snap) {
        boolean affinityChanged = false;
        for (String name : dirty) {
            NodeInfo live = nodes.get(name);
            NodeInfo old = snap.byName.get(name);
            if (live == null || !presentNodes.contains(name)) {
                if (old != null) {
                    snap.byName.remove(name);
                    affinityChanged = true;
                }
                continue;
            }
            if (old != null && old.generation == live.generation) {
                continue;
            }
            NodeInfo copy = live.copy();
            snap.byName.put(name, copy);
            snap.changes.add(name);
            if (old == null || !old.podsWithAffinity().isEmpty() || !copy.podsWithAffinity().isEmpty()) {
                affinityChanged = true;
            }
            if (old != null && !nodeSetChanged) {
                Integer idx = snap.position.get(name);
                if (idx != null) {
                    snap.list.set(idx, copy);
                    snap.record(idx, copy);
                    snap.count(old.node(), -1);
                    snap.count(copy.node(), 1);
                }
            }
        }
        boolean rebuildAll = nodeSetChanged;
        // clear() wipes the whole table, which keeps the size of the largest burst (e.g. 5000 nodes
        // at start-up); a few entries per cycle are cheaper to unlink one by one.
        if (dirty.size() <= 64) {
            for (java.util.Iterator<String> it = dirty.iterator(); it.hasNext(); ) {
                it.next();
                it.remove();
            }
        } else {
            dirty.clear();
        }
        if (snap.changes.size() > 1_000_000) {
            rebuildAll = true;
        }
        if (rebuildAll) {
            snap.epoch++;
            snap.changes.clear();
            rebuildOrder(snap);
            rebuildImages(snap);
            snap.recordAll();
            snap.unschedulableNodes = 0;
            snap.hardTaintedNodes = 0;
            for (NodeInfo n : snap.list) {
                snap.count(n.node(), 1);
            }
            nodeSetChanged = false;
            affinityChanged = true;
        }
        if (affinityChanged) {
            snap.withAffinity.clear();
            snap.withRequiredAntiAffinity.clear();
            for (NodeInfo n : snap.list) {
                if (!n.podsWithAffinity().isEmpty()) {
                    snap.withAffinity.add(n);
                }
                if (!n.podsWithRequiredAntiAffinity().isEmpty()) {
                    snap.withRequiredAntiAffinity.add(n);
                }
            }
        }
        if (metaChanged || snap.generation < 0) {
            // Namespace labels feed affinity matching: incremental consumers must start over.
            snap.epoch++;
            snap.changes.clear();
            snap.namespaceLabels = Map.copyOf(namespaceLabels);
            snap.disruptions = List.copyOf(disruptions.values());
            HashMap<String, List<Selector>> svc = new HashMap<>();
            for (Map.Entry<String, Selector> e : services.values()) {
                svc.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
            }
            snap.serviceSelectors = svc;
            metaChanged = false;
        }
        snap.generation = generation;
    }

    /** Interleaves nodes across zones round-robin, as upstream's node tree does. */
    private void rebuildOrder(Snapshot snap) {
        LinkedHashMap<String, ArrayList<NodeInfo>> byZone = new LinkedHashMap<>();
        for (String name : presentNodes) {
            NodeInfo n = snap.byName.get(name);
            if (n == null) {
                n = nodes.get(name).copy();
                snap.byName.put(name, n);
            }
            byZone.computeIfAbsent(zoneKey(n.labels()), k -> new ArrayList<>()).add(n);
        }
        snap.byName.keySet().retainAll(presentNodes);
        snap.list.clear();
        snap.position.clear();
        List<ArrayList<NodeInfo>> zones = new ArrayList<>(byZone.values());
        int[] next = new int[zones.size()];
        int remaining = presentNodes.size();
        while (remaining > 0) {
            for (int z = 0; z < zones.size(); z++) {
                if (next[z] < zones.get(z).size()) {
                    NodeInfo n = zones.get(z).get(next[z]++);
                    snap.position.put(n.name(), snap.list.size());
                    snap.list.add(n);
                    remaining--;
                }
            }
        }
    }

    private void rebuildImages(Snapshot snap) {
        snap.imageNodeCounts.clear();
        for (NodeInfo n : snap.list) {
            for (String image : n.node().images().keySet()) {
                snap.imageNodeCounts.merge(image, 1, Integer::sum);
            }
        }
    }

    static String zoneKey(Map<String, String> labels) {
        String region = labels.getOrDefault(Labels.REGION, "");
        String zone = labels.getOrDefault(Labels.ZONE, "");
        return region + ":\u0000:" + zone;
    }
}
