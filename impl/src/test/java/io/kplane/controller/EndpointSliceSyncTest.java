package io.kplane.controller;

import static io.kplane.controller.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.model.Endpoint;
import io.kplane.model.EndpointSlice;
import io.kplane.model.GenericObject;
import io.kplane.model.IntOrString;
import io.kplane.model.ObjectMeta;
import io.kplane.model.Pod;
import io.kplane.model.PodIP;
import io.kplane.model.Service;
import io.kplane.model.ServicePort;
import io.kplane.model.ServiceSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EndpointSliceSyncTest {
    static Service service(IntOrString target) {
        return Service.of(ObjectMeta.of("ns", "web").withUid("svc-uid"), new ServiceSpec(null, null, null, null, null,
                List.of(ServicePort.of("http", "TCP", 80, target)), Fixtures.WEB,
                null, null, null, null, null, null, null, null, null, null, null, null, null), null);
    }

    static List<Action> plan(Service svc, List<Pod> pods, List<EndpointSlice> slices, GenericObject ep) {
        return EndpointSliceSync.reconcile(svc, "ns", "web", pods, slices, ep).actions();
    }

    @SuppressWarnings("unchecked")
    static List<EndpointSlice> created(List<Action> actions) {
        List<EndpointSlice> out = new ArrayList<>();
        for (Action a : actions) {
            if (a instanceof Action.Create<?> c && c.object() instanceof EndpointSlice s) {
                out.add(s);
            }
        }
        return out;
    }

    @Test
    void readyServingAndTerminatingConditionsNodeNameAndNamedPorts() {
        Pod ready = pod("a", "ua", null, true, "n1");
        Pod notReady = pod("b", "ub", null, false, "n2");
        Pod terminating = pod("c", "uc", null, true, "n1");
        terminating = terminating.withMetadata(terminating.metadata().withDeletionTimestamp(Fixtures.T0));
        Pod noIp = pod("d", "ud", null, false, null);
        List<Action> actions = plan(service(IntOrString.of("http")), List.of(ready, notReady, terminating, noIp), List.of(), null);
        List<EndpointSlice> slices = created(actions);
        assertThat(slices).hasSize(1);
        EndpointSlice s = slices.get(0);
        assertThat(s.metadata().generateName()).isEqualTo("web-");
        assertThat(s.metadata().labels()).containsEntry("kubernetes.io/service-name", "web")
                .containsEntry("endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io");
        assertThat(s.metadata().controllerRef().uid()).isEqualTo("svc-uid");
        assertThat(s.addressType()).isEqualTo("IPv4");
        assertThat(s.ports()).singleElement().satisfies(p -> {
            assertThat(p.port()).as("named targetPort resolved from the container").isEqualTo(8080);
            assertThat(p.name()).isEqualTo("http");
        });
        assertThat(s.endpoints()).extracting(e -> e.targetRef().name()).containsExactly("a", "b", "c");
        Endpoint a = s.endpoints().get(0);
        Endpoint b = s.endpoints().get(1);
        Endpoint c = s.endpoints().get(2);
        assertThat(List.of(a.conditions().ready(), a.conditions().serving(), a.conditions().terminating())).containsExactly(true, true, false);
        assertThat(List.of(b.conditions().ready(), b.conditions().serving(), b.conditions().terminating())).containsExactly(false, false, false);
        assertThat(List.of(c.conditions().ready(), c.conditions().serving(), c.conditions().terminating())).containsExactly(false, true, true);
        assertThat(a.nodeName()).isEqualTo("n1");
        // the legacy Endpoints: ready under addresses, not-ready under notReadyAddresses, terminating left out
        GenericObject ep = actions.stream().filter(x -> x instanceof Action.Create<?> cr && cr.object() instanceof GenericObject)
                .map(x -> (GenericObject) ((Action.Create<?>) x).object()).findFirst().orElseThrow();
        Map<?, ?> subset = (Map<?, ?>) ((List<?>) ep.extra().get("subsets")).get(0);
        assertThat((List<?>) subset.get("addresses")).hasSize(1);
        assertThat((List<?>) subset.get("notReadyAddresses")).hasSize(1);
    }

    @Test
    void slicesHoldAtMostAHundredEndpointsAndAreReusedWhenUnchanged() {
        List<Pod> pods = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            pods.add(pod(String.format("p%03d", i), "u" + i, null, true, "n1"));
        }
        List<EndpointSlice> slices = created(plan(service(IntOrString.of(8080)), pods, List.of(), null));
        assertThat(slices).extracting(s -> s.endpoints().size()).containsExactly(100, 100, 50);
        // as stored: named, with uids
        List<EndpointSlice> stored = new ArrayList<>();
        for (int i = 0; i < slices.size(); i++) {
            EndpointSlice s = slices.get(i);
            stored.add(s.withMetadata(s.metadata().withName("web-" + i).withUid("s" + i).withResourceVersion("1")));
        }
        GenericObject ep = (GenericObject) plan(service(IntOrString.of(8080)), pods, List.of(), null).stream()
                .filter(a -> a instanceof Action.Create<?> c && c.object() instanceof GenericObject)
                .map(a -> ((Action.Create<?>) a).object()).findFirst().orElseThrow();
        assertThat(plan(service(IntOrString.of(8080)), pods, stored, ep)).as("nothing changed: no writes").isEmpty();

        // 120 pods go: one slice is updated, the others go
        List<Action> shrink = plan(service(IntOrString.of(8080)), pods.subList(0, 130), stored, ep);
        assertThat(shrink.stream().filter(a -> a instanceof Action.Delete<?>).count()).isEqualTo(1);
        assertThat(shrink.stream().filter(a -> a instanceof Action.Update<?> u && u.object() instanceof EndpointSlice).count()).isEqualTo(1);
        assertThat(created(shrink)).isEmpty();
    }

    @Test
    void aDeletedServiceTakesItsSlicesAndEndpointsAndASelectorlessOneIsLeftAlone() {
        EndpointSlice s = EndpointSlice.of(ObjectMeta.of("ns", "web-1").withUid("s1"), "IPv4", List.of(), List.of());
        GenericObject ep = new GenericObject("v1", "Endpoints", ObjectMeta.of("ns", "web").withUid("e1"), null);
        assertThat(plan(null, List.of(), List.of(s), ep)).hasSize(2).allMatch(a -> a instanceof Action.Delete<?>);
        Service noSelector = service(IntOrString.of(80));
        noSelector = noSelector.withSpec(noSelector.spec().withSelector(null));
        assertThat(plan(noSelector, List.of(pod("a", "a", null, true, "n1")), List.of(), null)).isEmpty();
    }

    /** A pod with one address of each family, IPv4 first, as a dual-stack kubelet reports it. */
    static Pod dualStackPod(String name, String v4, String v6) {
        Pod p = pod(name, "u-" + name, null, true, "n1");
        return p.withStatus(p.statusOrEmpty().withPodIP(v4).withPodIPs(List.of(PodIP.of(v4), PodIP.of(v6))));
    }

    static Service withFamilies(Service svc, String... families) {
        return svc.withSpec(svc.spec().withIpFamilies(List.of(families)));
    }

    @Test
    void aDualStackServiceGetsOneSliceOfEachFamilyWithThePodsAddressOfThatFamily() {
        Pod a = dualStackPod("a", "10.0.0.7", "fd00:10:244:1::7");
        Pod v4only = pod("b", "ub", null, true, "n1");
        Service svc = withFamilies(service(IntOrString.of(8080)), "IPv6", "IPv4");
        List<Action> actions = plan(svc, List.of(a, v4only), List.of(), null);
        List<EndpointSlice> slices = created(actions);
        assertThat(slices).extracting(EndpointSlice::addressType).containsExactly("IPv6", "IPv4");
        assertThat(slices.get(0).endpoints()).as("a pod without an IPv6 address is not in the IPv6 slice")
                .singleElement().satisfies(e -> assertThat(e.addresses()).containsExactly("fd00:10:244:1::7"));
        assertThat(slices.get(1).endpoints()).extracting(e -> e.targetRef().name()).containsExactly("a", "b");
        assertThat(slices.get(1).endpoints().get(0).addresses()).containsExactly("10.0.0.7");
        // the legacy Endpoints object lists the pods by their address of the primary family (IPv6 here)
        GenericObject ep = actions.stream().filter(x -> x instanceof Action.Create<?> cr && cr.object() instanceof GenericObject)
                .map(x -> (GenericObject) ((Action.Create<?>) x).object()).findFirst().orElseThrow();
        Map<?, ?> subset = (Map<?, ?>) ((List<?>) ep.extra().get("subsets")).get(0);
        assertThat((List<?>) subset.get("addresses")).singleElement()
                .satisfies(addr -> assertThat(((Map<?, ?>) addr).get("ip")).isEqualTo("fd00:10:244:1::7"));
    }

    @Test
    void aSingleStackServiceOverDualStackPodsListsOnlyItsFamily() {
        Pod a = dualStackPod("a", "10.0.0.7", "fd00:10:244:1::7");
        Service v4 = service(IntOrString.of(8080)).withSpec(service(IntOrString.of(8080)).spec().withClusterIP("10.96.0.10"));
        assertThat(created(plan(v4, List.of(a), List.of(), null))).singleElement().satisfies(s -> {
            assertThat(s.addressType()).isEqualTo("IPv4");
            assertThat(s.endpoints().get(0).addresses()).containsExactly("10.0.0.7");
        });
        Service v6 = withFamilies(service(IntOrString.of(8080)), "IPv6");
        assertThat(created(plan(v6, List.of(a), List.of(), null))).singleElement()
                .satisfies(s -> assertThat(s.addressType()).isEqualTo("IPv6"));
    }

    @Test
    void aSliceOfAFamilyTheServiceNoLongerHasIsDeletedNotRetyped() {
        Pod a = dualStackPod("a", "10.0.0.7", "fd00:10:244:1::7");
        Service dual = withFamilies(service(IntOrString.of(8080)), "IPv4", "IPv6");
        List<EndpointSlice> first = new ArrayList<>();
        int n = 0;
        for (EndpointSlice s : created(plan(dual, List.of(a), List.of(), null))) {
            first.add(s.withMetadata(s.metadata().withName("web-" + n).withUid("s" + n++)));
        }
        assertThat(plan(dual, List.of(a), first, null)).as("unchanged: no slice writes")
                .noneMatch(x -> x instanceof Action.Update<?> u && u.object() instanceof EndpointSlice
                        || x instanceof Action.Create<?> c && c.object() instanceof EndpointSlice);
        List<Action> toV4 = plan(withFamilies(dual, "IPv4"), List.of(a), first, null);
        assertThat(first.get(1).addressType()).isEqualTo("IPv6");
        assertThat(toV4).filteredOn(x -> x instanceof Action.Delete<?>).singleElement()
                .satisfies(d -> assertThat(((Action.Delete<?>) d).name()).isEqualTo("web-1"));
        assertThat(created(toV4)).isEmpty();
    }
}
