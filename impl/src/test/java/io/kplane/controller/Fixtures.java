package io.kplane.controller;

import io.kplane.model.Condition;
import io.kplane.model.Container;
import io.kplane.model.ContainerPort;
import io.kplane.model.Deployment;
import io.kplane.model.DeploymentSpec;
import io.kplane.model.KubeObject;
import io.kplane.model.LabelSelector;
import io.kplane.model.ObjectMeta;
import io.kplane.model.OwnerReference;
import io.kplane.model.Pod;
import io.kplane.model.PodSpec;
import io.kplane.model.PodStatus;
import io.kplane.model.PodTemplateSpec;
import io.kplane.model.ReplicaSet;
import io.kplane.model.ReplicaSetSpec;
import io.kplane.model.ReplicaSetStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Small builders for the controller tests. */
final class Fixtures {
    private Fixtures() {
    }

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Map<String, String> WEB = Map.of("app", "web");

    static PodTemplateSpec template(Map<String, String> labels, String image) {
        Container c = Container.of("c", image).withPorts(List.of(ContainerPort.of("http", 8080)));
        return new PodTemplateSpec(ObjectMeta.of(null, null).withLabels(labels), PodSpec.of(List.of(c)), null);
    }

    static ReplicaSet rs(String name, int replicas, String uid) {
        return ReplicaSet.of(ObjectMeta.of("ns", name).withUid(uid).withGeneration(1L).withResourceVersion("1").withLabels(WEB),
                new ReplicaSetSpec(replicas, null, LabelSelector.of(WEB), template(WEB, "img:1"), null), null);
    }

    static Pod pod(String name, String uid, KubeObject owner, boolean ready, String node) {
        ObjectMeta m = ObjectMeta.of("ns", name).withUid(uid).withLabels(WEB).withResourceVersion("1").withCreationTimestamp(T0);
        if (owner != null) {
            m = m.withOwnerReferences(List.of(OwnerReference.controllerOf(owner)));
        }
        List<Condition> conds = List.of(Condition.of("Ready", ready ? "True" : "False", null, null, T0));
        PodStatus st = PodStatus.EMPTY.withPhase(node == null ? "Pending" : "Running").withConditions(conds)
                .withPodIP(node == null ? null : "10.0.0." + (Math.abs(name.hashCode()) % 250 + 1));
        return Pod.of(m, template(WEB, "img:1").spec().withNodeName(node), st);
    }

    static Deployment deployment(int replicas, String image) {
        return Deployment.of(ObjectMeta.of("ns", "web").withUid("d-uid").withGeneration(1L).withResourceVersion("1"),
                new DeploymentSpec(replicas, LabelSelector.of(WEB), template(WEB, image), null, null, null, null, null, null),
                null);
    }

    static ReplicaSetStatus status(int replicas, int ready, int available) {
        return new ReplicaSetStatus(replicas, replicas, ready, available, 1L, null, null);
    }
}
