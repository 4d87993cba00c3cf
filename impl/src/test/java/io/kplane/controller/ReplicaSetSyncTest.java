package io.kplane.controller;

import static io.kplane.controller.Fixtures.T0;
import static io.kplane.controller.Fixtures.pod;
import static io.kplane.controller.Fixtures.rs;
import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.model.Condition;
import io.kplane.model.Pod;
import io.kplane.model.ReplicaSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicaSetSyncTest {

    @Test
    void createsMissingPodsFromTheTemplateOwnedByTheReplicaSet() {
        ReplicaSet r = rs("web-abc", 3, "rs1");
        List<Pod> pods = List.of(pod("web-abc-1", "p1", r, true, "n1"));
        ReplicaSetSync.Plan plan = ReplicaSetSync.reconcile(r, pods, true, T0);
        assertThat(plan.create()).hasSize(2);
        Pod p = plan.create().get(0);
        assertThat(p.metadata().generateName()).isEqualTo("web-abc-");
        assertThat(p.metadata().namespace()).isEqualTo("ns");
        assertThat(p.metadata().labels()).containsEntry("app", "web");
        assertThat(p.metadata().controllerRef().uid()).isEqualTo("rs1");
        assertThat(p.metadata().controllerRef().blockOwnerDeletion()).isTrue();
        assertThat(p.metadata().controllerRef().kind()).isEqualTo("ReplicaSet");
        assertThat(p.spec().containers().get(0).image()).isEqualTo("img:1");
        assertThat(plan.status().status().replicas()).isEqualTo(1);
        assertThat(plan.status().status().readyReplicas()).isEqualTo(1);
    }

    @Test
    void unobservedCreationsBlockFurtherCreationsButNotStatus() {
        ReplicaSet r = rs("web-abc", 3, "rs1");
        ReplicaSetSync.Plan plan = ReplicaSetSync.reconcile(r, List.of(), false, T0);
        assertThat(plan.create()).as("expectations not satisfied").isEmpty();
        assertThat(plan.delete()).isEmpty();
        assertThat(plan.status()).isNotNull();
    }

    @Test
    void createsAtMostTheBurstPerSync() {
        ReplicaSet r = rs("big", 2000, "rs1");
        assertThat(ReplicaSetSync.reconcile(r, List.of(), true, T0).create()).hasSize(ReplicaSetSync.BURST_REPLICAS);
    }

    @Test
    void deletesSurplusPodsUnscheduledAndNotReadyFirst() {
        ReplicaSet r = rs("web", 2, "rs1");
        List<Pod> pods = new ArrayList<>();
        pods.add(pod("ready-running", "a", r, true, "n1"));
        pods.add(pod("unscheduled", "b", r, false, null));
        pods.add(pod("notready-running", "c", r, false, "n1"));
        pods.add(pod("ready-running-2", "d", r, true, "n2"));
        ReplicaSetSync.Plan plan = ReplicaSetSync.reconcile(r, pods, true, T0);
        assertThat(plan.delete()).extracting(Pod::name).containsExactly("unscheduled", "notready-running");
        assertThat(plan.create()).isEmpty();
    }

    @Test
    void terminatingAndFinishedPodsDoNotCount() {
        ReplicaSet r = rs("web", 2, "rs1");
        Pod terminating = pod("t", "t", r, true, "n1");
        terminating = terminating.withMetadata(terminating.metadata().withDeletionTimestamp(T0));
        Pod done = pod("d", "d", r, false, "n1");
        done = done.withStatus(done.status().withPhase("Succeeded"));
        ReplicaSetSync.Plan plan = ReplicaSetSync.reconcile(r, List.of(terminating, done), true, T0);
        assertThat(plan.create()).hasSize(2);
    }

    @Test
    void adoptsMatchingOrphansReleasesNonMatchingPodsAndIgnoresOtherOwners() {
        ReplicaSet r = rs("web", 2, "rs1");
        ReplicaSet other = rs("other", 1, "rs2");
        Pod orphan = pod("orphan", "o", null, true, "n1");
        Pod relabelled = pod("relabelled", "x", r, true, "n1");
        relabelled = relabelled.withMetadata(relabelled.metadata().withLabels(java.util.Map.of("app", "debug")));
        Pod foreign = pod("foreign", "f", other, true, "n1");
        ReplicaSetSync.Plan plan = ReplicaSetSync.reconcile(r, List.of(orphan, relabelled, foreign), true, T0);
        assertThat(plan.ownership()).hasSize(2);
        Pod adopted = plan.ownership().stream().filter(p -> p.name().equals("orphan")).findFirst().orElseThrow();
        assertThat(adopted.metadata().controllerRef().uid()).isEqualTo("rs1");
        Pod released = plan.ownership().stream().filter(p -> p.name().equals("relabelled")).findFirst().orElseThrow();
        assertThat(released.metadata().ownerReferences()).isEmpty();
        assertThat(plan.create()).as("the adopted orphan counts; the foreign pod does not").hasSize(1);
    }

    @Test
    void availabilityWaitsForMinReadySecondsAndAsksToBeRequeuedThen() {
        ReplicaSet r = rs("web", 1, "rs1");
        r = r.withSpec(r.spec().withMinReadySeconds(10));
        Pod p = pod("p", "p", r, true, "n1");
        ReplicaSetSync.Plan plan = ReplicaSetSync.reconcile(r, List.of(p), true, T0.plusSeconds(4));
        assertThat(plan.status().status().readyReplicas()).isEqualTo(1);
        assertThat(plan.status().status().availableReplicas()).isZero();
        assertThat(plan.requeueAt()).isEqualTo(T0.plusSeconds(10));
        ReplicaSet after = plan.status();
        assertThat(ReplicaSetSync.reconcile(after, List.of(p), true, T0.plusSeconds(10)).status().status().availableReplicas()).isEqualTo(1);
    }

    @Test
    void anUnchangedStatusIsNotWritten() {
        ReplicaSet r = rs("web", 1, "rs1");
        Pod p = pod("p", "p", r, true, "n1");
        ReplicaSet synced = ReplicaSetSync.reconcile(r, List.of(p), true, T0).status();
        ReplicaSetSync.Plan again = ReplicaSetSync.reconcile(synced, List.of(p), true, T0);
        assertThat(again.status()).isNull();
        assertThat(again.create()).isEmpty();
        assertThat(again.delete()).isEmpty();
        assertThat(Condition.find(p.status().conditions(), "Ready").statusTrue()).isTrue();
    }
}
