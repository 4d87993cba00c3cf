package io.kplane.controller;

import io.kplane.client.ApiResource;
import io.kplane.model.Container;
import io.kplane.model.ContainerPort;
import io.kplane.model.Endpoint;
import io.kplane.model.EndpointConditions;
import io.kplane.model.EndpointPort;
import io.kplane.model.EndpointSlice;
import io.kplane.model.GenericObject;
import io.kplane.model.IntOrString;
import io.kplane.model.ObjectMeta;
import io.kplane.model.ObjectReference;
import io.kplane.model.OwnerReference;
import io.kplane.model.Pod;
import io.kplane.model.Service;
import io.kplane.model.ServicePort;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The EndpointSlice controller's reconcile step (and the legacy Endpoints controller's) as a pure
 * function: for a Service with a selector, the slices and the Endpoints object that list its pods.
 *
 * <ul>
 *   <li>Pods count when they match the selector, have an IP and are not Succeeded/Failed;
 *       terminating pods stay listed with {@code terminating: true}.</li>
 *   <li>Address types as upstream ({@link AddressFamilies}): one set of slices per IP family of
 *       the Service, each listing the pods' addresses of that family ({@code status.podIPs}), so a
 *       dual-stack Service over dual-stack pods gets IPv4 and IPv6 slices.</li>
 *   <li>Conditions as upstream: {@code ready} = pod Ready and not terminating (always true with
 *       publishNotReadyAddresses), {@code serving} = pod Ready (ignoring termination),
 *       {@code terminating} = deletionTimestamp set; {@code nodeName} and a {@code targetRef} to
 *       the pod are filled in.</li>
 *   <li>Ports: each Service port's targetPort — a number, or a container port name looked up in
 *       each pod (pods that resolve names differently land in different slices, as upstream).</li>
 *   <li>At most {@link #MAX_ENDPOINTS_PER_SLICE} endpoints per slice, endpoints ordered by pod
 *       name; desired slices reuse existing slices with the same address type and ports (updated
 *       only when their endpoints differ), new ones are created with generateName
 *       {@code <service>-}, leftovers deleted. Slices carry {@code kubernetes.io/service-name} and
 *       {@code endpointslice.kubernetes.io/managed-by} and are owned by the Service.</li>
 *   <li>The Endpoints object of the same name lists ready pods under {@code addresses} and
 *       not-ready, non-terminating ones under {@code notReadyAddresses}, one subset per port set,
 *       each pod by its address of the Service's primary family.</li>
 * </ul>
 */
public final class EndpointSliceSync {
    private EndpointSliceSync() {
    }

    public static final int MAX_ENDPOINTS_PER_SLICE = 100;
    public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    public static final String MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";
    public static final String MANAGED_BY = "endpointslice-controller.k8s.io";

    /** Writes for this service's slices and Endpoints. */
    public record Plan(List<Action> actions) {
    }

    /**
     * @param service          the Service, or null when it was deleted
     * @param serviceNamespace its namespace
     * @param serviceName      its name
     * @param podsInNamespace  every pod of the namespace
     * @param existingSlices   the slices labelled with this service's name and managed by this controller
     * @param existingEndpoints the Endpoints object of the same name, or null
     */
    public static Plan reconcile(Service service, String serviceNamespace, String serviceName, List<Pod> podsInNamespace,
                                 List<EndpointSlice> existingSlices, GenericObject existingEndpoints) {
        List<Action> actions = new ArrayList<>();
        List<EndpointSlice> existing = new ArrayList<>(existingSlices);
        existing.sort(Comparator.comparing(EndpointSlice::name));
        if (service == null) {
            existing.forEach(s -> actions.add(Action.Delete.of(ApiResource.ENDPOINT_SLICES, s)));
            if (existingEndpoints != null) {
                actions.add(Action.Delete.of(ApiResource.ENDPOINTS, existingEndpoints));
            }
            return new Plan(actions);
        }
        Map<String, String> selector = service.spec() == null ? Map.of() : service.spec().selector();
        if (selector.isEmpty() || "ExternalName".equals(service.spec().typeOrDefault())) {
            return new Plan(actions);   // not managed: endpoints of selector-less services are written by users
        }
        boolean publishNotReady = Boolean.TRUE.equals(service.spec().publishNotReadyAddresses());
        // Group the pods' endpoints by their resolved port list (insertion order: first pod name).
        List<Pod> pods = new ArrayList<>();
        for (Pod p : podsInNamespace) {
            if (!hasAnyAddress(p) || PodState.isTerminal(p)) {
                continue;
            }
            if (p.metadata().labels().entrySet().containsAll(selector.entrySet())) {
                pods.add(p);
            }
        }
        pods.sort(Comparator.comparing(Pod::name));
        Map<List<EndpointPort>, List<Pod>> groups = new LinkedHashMap<>();
        for (Pod p : pods) {
            groups.computeIfAbsent(ports(service, p), k -> new ArrayList<>()).add(p);
        }
        // One set of slices per address type of the Service; a pod is listed in a type's slices only
        // with its address of that family (upstream reconciles each address type on its own).
        List<EndpointSlice> desired = new ArrayList<>();
        for (String addressType : AddressFamilies.addressTypes(service.spec())) {
            for (Map.Entry<List<EndpointPort>, List<Pod>> g : groups.entrySet()) {
                List<Endpoint> all = new ArrayList<>();
                for (Pod p : g.getValue()) {
                    List<String> addresses = AddressFamilies.podAddresses(p, addressType);
                    if (!addresses.isEmpty()) {
                        all.add(endpoint(p, addresses, publishNotReady));
                    }
                }
                for (int from = 0; from < all.size(); from += MAX_ENDPOINTS_PER_SLICE) {
                    desired.add(EndpointSlice.of(null, addressType,
                            all.subList(from, Math.min(all.size(), from + MAX_ENDPOINTS_PER_SLICE)), g.getKey()));
                }
            }
        }
        // Reuse existing slices with the same address type and ports, in name order. The address type
        // is immutable in the API, so a slice of a type the Service no longer has is deleted, never changed.
        List<EndpointSlice> unused = new ArrayList<>(existing);
        for (EndpointSlice want : desired) {
            EndpointSlice match = null;
            for (EndpointSlice s : unused) {
                if (want.addressType().equals(s.addressType()) && s.ports().equals(want.ports())) {
                    match = s;
                    break;
                }
            }
            if (match != null) {
                unused.remove(match);
                ObjectMeta m = sliceMeta(service, match.metadata());
                if (!match.endpoints().equals(want.endpoints()) || !Objects.equals(match.metadata().labels(), m.labels())) {
                    actions.add(new Action.Update<>(ApiResource.ENDPOINT_SLICES,
                            match.withMetadata(m).withEndpoints(want.endpoints())));
                }
            } else {
                ObjectMeta m = sliceMeta(service, ObjectMeta.of(service.namespace(), null).withGenerateName(service.name() + "-"));
                actions.add(new Action.Create<>(ApiResource.ENDPOINT_SLICES, want.withMetadata(m)));
            }
        }
        unused.forEach(s -> actions.add(Action.Delete.of(ApiResource.ENDPOINT_SLICES, s)));
        endpointsObject(service, groups, publishNotReady, existingEndpoints, actions);
        return new Plan(actions);
    }

    private static ObjectMeta sliceMeta(Service svc, ObjectMeta base) {
        Map<String, String> labels = new LinkedHashMap<>(svc.metadata().labels());
        labels.put(SERVICE_NAME_LABEL, svc.name());
        labels.put(MANAGED_BY_LABEL, MANAGED_BY);
        return base.withLabels(labels).withOwnerReferences(List.of(OwnerReference.controllerOf(svc)));
    }

    private static boolean hasAnyAddress(Pod p) {
        return !AddressFamilies.podAddresses(p, AddressFamilies.IPV4).isEmpty()
                || !AddressFamilies.podAddresses(p, AddressFamilies.IPV6).isEmpty();
    }

    private static Endpoint endpoint(Pod p, List<String> addresses, boolean publishNotReady) {
        boolean terminating = PodState.isTerminating(p);
        boolean podReady = PodState.isReady(p);
        EndpointConditions c = new EndpointConditions(publishNotReady || podReady && !terminating,
                publishNotReady || podReady, terminating, null);
        ObjectReference ref = new ObjectReference("Pod", p.namespace(), p.name(), p.metadata().uid(), null, null, null, null);
        return new Endpoint(addresses, c, null, ref,
                p.spec() == null ? null : p.spec().nodeName(), null, null);
    }

    /** The service's ports as this pod resolves them; ports whose named target the pod lacks are left out. */
    static List<EndpointPort> ports(Service svc, Pod p) {
        List<EndpointPort> out = new ArrayList<>();
        for (ServicePort sp : svc.spec().ports()) {
            IntOrString target = sp.targetPort();
            Integer port;
            if (target == null) {
                port = sp.port();
            } else if (target.isInt()) {
                port = target.intValue();
            } else {
                port = namedPort(p, target.stringValue(), sp.protocolOrDefault());
            }
            if (port != null) {
                out.add(new EndpointPort(sp.name() == null ? "" : sp.name(), sp.protocolOrDefault(), port, sp.appProtocol(), null));
            }
        }
        return out;
    }

    private static Integer namedPort(Pod p, String name, String protocol) {
        if (p.spec() == null) {
            return null;
        }
        for (Container c : p.spec().containers()) {
            for (ContainerPort cp : c.ports()) {
                if (name.equals(cp.name()) && protocol.equals(cp.protocolOrDefault())) {
                    return cp.containerPort();
                }
            }
        }
        return null;
    }

    /**
     * The one address the legacy Endpoints object lists for a pod: of the Service's primary family
     * (its first {@code ipFamilies} entry or its cluster IP's family), or the pod's primary IP for a
     * headless Service without families — upstream's {@code podToEndpointAddressForService}. Null
     * when the pod has no address of that family.
     */
    private static String legacyAddress(Service svc, Pod p) {
        List<String> types = AddressFamilies.addressTypes(svc.spec());
        if (types.size() > 1 && svc.spec().ipFamilies().isEmpty()) {
            String primary = p.statusOrEmpty().podIP();
            return primary == null || primary.isEmpty() ? null : primary;
        }
        List<String> addresses = AddressFamilies.podAddresses(p, types.get(0));
        return addresses.isEmpty() ? null : addresses.get(0);
    }

    private static void endpointsObject(Service svc, Map<List<EndpointPort>, List<Pod>> groups, boolean publishNotReady,
                                        GenericObject existing, List<Action> actions) {
        List<Object> subsets = new ArrayList<>();
        for (Map.Entry<List<EndpointPort>, List<Pod>> g : groups.entrySet()) {
            List<Object> ready = new ArrayList<>();
            List<Object> notReady = new ArrayList<>();
            Map<Pod, String> address = new LinkedHashMap<>();
            for (Pod p : g.getValue()) {
                String ip = legacyAddress(svc, p);
                if (ip != null) {
                    address.put(p, ip);
                }
            }
            List<Pod> members = new ArrayList<>(address.keySet());
            members.sort(Comparator.comparing((Pod p) -> address.get(p)).thenComparing(Pod::name));
            for (Pod p : members) {
                boolean terminating = PodState.isTerminating(p);
                if (terminating && !publishNotReady) {
                    continue;
                }
                Map<String, Object> addr = new LinkedHashMap<>();
                addr.put("ip", address.get(p));
                if (p.spec() != null && p.spec().nodeName() != null) {
                    addr.put("nodeName", p.spec().nodeName());
                }
                Map<String, Object> ref = new LinkedHashMap<>();
                ref.put("kind", "Pod");
                ref.put("namespace", p.namespace());
                ref.put("name", p.name());
                ref.put("uid", p.metadata().uid());
                addr.put("targetRef", ref);
                (publishNotReady || PodState.isReady(p) ? ready : notReady).add(addr);
            }
            if (ready.isEmpty() && notReady.isEmpty() || g.getKey().isEmpty()) {
                continue;
            }
            Map<String, Object> subset = new LinkedHashMap<>();
            if (!ready.isEmpty()) {
                subset.put("addresses", ready);
            }
            if (!notReady.isEmpty()) {
                subset.put("notReadyAddresses", notReady);
            }
            List<Object> ports = new ArrayList<>();
            for (EndpointPort ep : g.getKey()) {
                Map<String, Object> port = new LinkedHashMap<>();
                if (ep.name() != null && !ep.name().isEmpty()) {
                    port.put("name", ep.name());
                }
                port.put("port", ep.port());
                port.put("protocol", ep.protocol());
                ports.add(port);
            }
            subset.put("ports", ports);
            subsets.add(subset);
        }
        Map<String, String> labels = new LinkedHashMap<>(svc.metadata().labels());
        labels.put("endpointslice.kubernetes.io/skip-mirror", "true");
        Map<String, Object> extra = subsets.isEmpty() ? Map.of() : Map.of("subsets", subsets);
        if (existing == null) {
            ObjectMeta m = ObjectMeta.of(svc.namespace(), svc.name()).withLabels(labels);
            actions.add(new Action.Create<>(ApiResource.ENDPOINTS, new GenericObject("v1", "Endpoints", m, extra)));
            return;
        }
        Object current = existing.extra().get("subsets");
        boolean same = subsets.isEmpty() ? current == null || current instanceof List<?> l && l.isEmpty()
                : io.kplane.model.Json.write(subsets).equals(io.kplane.model.Json.write(current));
        if (!same || !Objects.equals(existing.metadata().labels(), labels)) {
            Map<String, Object> kept = new LinkedHashMap<>(existing.extra());
            kept.remove("subsets");
            kept.putAll(extra);
            actions.add(new Action.Update<>(ApiResource.ENDPOINTS,
                    new GenericObject(existing.apiVersion(), existing.kind(), existing.metadata().withLabels(labels), kept)));
        }
    }
}
