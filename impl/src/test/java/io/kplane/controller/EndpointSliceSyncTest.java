package io.kplane.controller;

import static io.kplane.controller.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.model.Endpoint;
import io.kplane.model.EndpointSlice;
import io.kplane.model.GenericObject;
import io.kplane.model.IntOrString;
import io.kplane.model.ObjectMeta;
import io.kplane.model.Pod;
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
}
