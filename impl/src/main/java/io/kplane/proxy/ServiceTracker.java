package io.kplane.proxy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * Change tracking from Services and EndpointSlices (kube-proxy's ServiceChangeTracker,
 * EndpointsChangeTracker and EndpointSliceCache in one single-threaded structure).
 *
 * <p>Events only record what changed; {@link #applyPending()} folds them into the sorted table of
 * service ports the renderers read, and reports which Services changed so a partial sync can
 * rewrite only their chains. Derived names are reused for unchanged endpoints, so a change to one
 * Service costs hashing only for what is new. Single writer: not thread-safe.
 */
public final class ServiceTracker {
    private final String nodeName;
    private final IpFamily family;
    private final Map<NamespacedName, List<ServicePortSpec>> services = new HashMap<>();
    private final Map<NamespacedName, Map<String, EndpointSliceSpec>> slicesByService = new HashMap<>();
    private final Map<NamespacedName, NamespacedName> sliceOwner = new HashMap<>();
    private final TreeMap<ServicePortName, ServicePortEntry> ports = new TreeMap<>();
    private final Map<NamespacedName, List<ServicePortName>> portsByService = new HashMap<>();
    private final Set<NamespacedName> pending = new HashSet<>();
    private final Map<NamespacedName, List<Long>> triggerTimes = new LinkedHashMap<>();
    private int totalEndpoints;

    public ServiceTracker(String nodeName) {
        this(nodeName, IpFamily.IPv4);
    }

    /** A tracker for one IP family's proxier: only EndpointSlices of that {@code addressType} count. */
    public ServiceTracker(String nodeName, IpFamily family) {
        this.nodeName = nodeName;
        this.family = family;
    }

    public IpFamily family() {
        return family;
    }

    /** Changes folded in by one {@link #applyPending()}: the Services touched, and their endpoint trigger times. */
    public record Changes(Set<NamespacedName> services, Map<NamespacedName, List<Long>> triggerTimes) {
        public boolean isEmpty() {
            return services.isEmpty();
        }
    }

    /** Adds or replaces a Service (its proxied ports); an empty list means not proxied (headless etc.). */
    public boolean upsertService(NamespacedName svc, List<ServicePortSpec> portSpecs) {
        List<ServicePortSpec> copy = List.copyOf(portSpecs);
        List<ServicePortSpec> old = services.put(svc, copy);
        if (copy.equals(old)) {
            return false;
        }
        pending.add(svc);
        return true;
    }

    public boolean deleteService(NamespacedName svc) {
        if (services.remove(svc) == null) {
            return false;
        }
        pending.add(svc);
        return true;
    }

    /**
     * Adds or replaces an EndpointSlice. {@code triggerTimeNanos} (or -1) is when the change that
     * produced it happened (the slice's last-change-trigger-time), for network programming latency.
     */
    public boolean upsertEndpointSlice(EndpointSliceSpec slice, long triggerTimeNanos) {
        NamespacedName key = new NamespacedName(slice.namespace(), slice.name());
        NamespacedName owner = slice.service();
        NamespacedName previousOwner = sliceOwner.put(key, owner);
        boolean changed = false;
        if (previousOwner != null && !previousOwner.equals(owner)) {
            removeSlice(previousOwner, slice.name());
            pending.add(previousOwner);
            changed = true;
        }
        EndpointSliceSpec old = slicesByService.computeIfAbsent(owner, k -> new HashMap<>()).put(slice.name(), slice);
        if (!slice.equals(old)) {
            changed = true;
        }
        if (changed) {
            pending.add(owner);
            if (triggerTimeNanos >= 0) {
                triggerTimes.computeIfAbsent(owner, k -> new ArrayList<>()).add(triggerTimeNanos);
            }
        }
        return changed;
    }

    public boolean deleteEndpointSlice(String namespace, String sliceName) {
        NamespacedName owner = sliceOwner.remove(new NamespacedName(namespace, sliceName));
        if (owner == null) {
            return false;
        }
        removeSlice(owner, sliceName);
        pending.add(owner);
        return true;
    }

    private void removeSlice(NamespacedName owner, String sliceName) {
        Map<String, EndpointSliceSpec> m = slicesByService.get(owner);
        if (m != null) {
            m.remove(sliceName);
            if (m.isEmpty()) {
                slicesByService.remove(owner);
            }
        }
    }

    /** Whether events arrived that {@link #applyPending()} has not folded in yet. */
    public boolean hasPending() {
        return !pending.isEmpty();
    }

    /** Folds pending events into the table and returns which Services changed. */
    public Changes applyPending() {
        Set<NamespacedName> changed = new HashSet<>(pending);
        for (NamespacedName svc : pending) {
            rebuild(svc);
        }
        pending.clear();
        Map<NamespacedName, List<Long>> times = new LinkedHashMap<>(triggerTimes);
        triggerTimes.clear();
        return new Changes(Collections.unmodifiableSet(changed), times);
    }

    private void rebuild(NamespacedName svc) {
        Map<String, EndpointInfo> reusable = new HashMap<>();
        List<ServicePortName> oldPorts = portsByService.remove(svc);
        if (oldPorts != null) {
            for (ServicePortName spn : oldPorts) {
                ServicePortEntry e = ports.remove(spn);
                if (e != null) {
                    totalEndpoints -= e.endpoints().size();
                    for (EndpointInfo ep : e.endpoints()) {
                        reusable.put(spn + "|" + ep.address(), ep);
                    }
                }
            }
        }
        List<ServicePortSpec> specs = services.get(svc);
        if (specs == null || specs.isEmpty()) {
            return;
        }
        Map<String, EndpointSliceSpec> slices = slicesByService.getOrDefault(svc, Map.of());
        List<ServicePortName> names = new ArrayList<>(specs.size());
        for (ServicePortSpec spec : specs) {
            ServicePortName spn = spec.name();
            List<EndpointInfo> eps = endpointsFor(spn, slices, reusable);
            ServicePortEntry entry = new ServicePortEntry(new ServicePortInfo(spec), eps);
            ports.put(spn, entry);
            names.add(spn);
            totalEndpoints += eps.size();
        }
        portsByService.put(svc, names);
    }

    private List<EndpointInfo> endpointsFor(ServicePortName spn, Map<String, EndpointSliceSpec> slices,
                                            Map<String, EndpointInfo> reusable) {
        TreeMap<String, EndpointInfo> byAddress = new TreeMap<>();
        for (EndpointSliceSpec slice : slices.values()) {
            if (IpFamily.fromApiName(slice.addressType() == null ? "IPv4" : slice.addressType()) != family) {
                continue;
            }
            for (EndpointSliceSpec.Port p : slice.ports()) {
                if (!p.name().equals(spn.port()) || p.protocol() != spn.protocol() || p.port() <= 0) {
                    continue;
                }
                for (EndpointSliceSpec.Endpoint e : slice.endpoints()) {
                    if (e.ip() == null || e.ip().isEmpty()) {
                        continue;
                    }
                    EndpointSpec spec = new EndpointSpec(e.ip(), p.port(), e.isReady(), e.isServing(),
                            e.isTerminating(), e.nodeName(), e.zoneHints(), e.nodeHints());
                    boolean local = nodeName != null && nodeName.equals(e.nodeName());
                    String address = spec.address();
                    EndpointInfo existing = byAddress.get(address);
                    // The same address in two slices: keep one, preferring a ready one (as upstream).
                    if (existing != null && (existing.ready() || !spec.ready())) {
                        continue;
                    }
                    EndpointInfo old = reusable.get(spn + "|" + address);
                    byAddress.put(address, old != null && old.sameAs(spec, local) ? old : new EndpointInfo(spn, spec, local));
                }
            }
        }
        return List.copyOf(byAddress.values());
    }

    /** The current service ports, sorted by name (the order the renderers write them in). */
    public NavigableMap<ServicePortName, ServicePortEntry> ports() {
        return Collections.unmodifiableNavigableMap(ports);
    }

    /** The current entries of one Service's ports (empty when it has none). */
    public List<ServicePortEntry> entriesOf(NamespacedName svc) {
        List<ServicePortName> names = portsByService.get(svc);
        if (names == null) {
            return List.of();
        }
        List<ServicePortEntry> out = new ArrayList<>(names.size());
        for (ServicePortName n : names) {
            out.add(ports.get(n));
        }
        return out;
    }

    /** Endpoints across all service ports (decides kube-proxy's large-cluster mode). */
    public int totalEndpoints() {
        return totalEndpoints;
    }

    public int serviceCount() {
        return services.size();
    }
}
