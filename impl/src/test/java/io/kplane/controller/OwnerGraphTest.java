package io.kplane.controller;

import static io.kplane.controller.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.client.ApiResource;
import io.kplane.client.DeleteOptions;
import io.kplane.model.OwnerReference;
import io.kplane.model.Pod;
import io.kplane.model.ReplicaSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class OwnerGraphTest {
    static OwnerGraph.Item item(ReplicaSet rs) {
        return new OwnerGraph.Item(ApiResource.REPLICA_SETS, rs);
    }

    static OwnerGraph.Item item(Pod p) {
        return new OwnerGraph.Item(ApiResource.PODS, p);
    }

    static ReplicaSet deleting(ReplicaSet rs, String finalizer) {
        return rs.withMetadata(rs.metadata().withDeletionTimestamp(T0).withFinalizers(List.of(finalizer)));
    }

    @Test
    void orphanRemovesTheOwnerReferenceFromDependentsThenTheFinalizer() {
        ReplicaSet rs = deleting(Fixtures.rs("web", 1, "rs1"), OwnerGraph.ORPHAN_FINALIZER);
        Pod p = Fixtures.pod("p", "p1", Fixtures.rs("web", 1, "rs1"), true, "n1");
        List<Action> actions = OwnerGraph.plan(List.of(item(rs), item(p))).actions();
        assertThat(actions).singleElement().satisfies(a -> {
            Pod updated = (Pod) ((Action.Update<?>) a).object();
            assertThat(updated.metadata().ownerReferences()).isEmpty();
        });
        List<Action> then = OwnerGraph.plan(List.of(item(rs), item(p.withMetadata(p.metadata().withOwnerReferences(List.of())))))
                .actions();
        assertThat(then).singleElement().satisfies(a ->
                assertThat(((ReplicaSet) ((Action.Update<?>) a).object()).metadata().finalizers()).isEmpty());
    }

    @Test
    void foregroundDeletesDependentsAndKeepsTheFinalizerWhileBlockingOnesRemain() {
        ReplicaSet owner = Fixtures.rs("web", 1, "rs1");
        ReplicaSet rs = deleting(owner, OwnerGraph.FOREGROUND_FINALIZER);
        Pod blocking = Fixtures.pod("b", "pb", owner, true, "n1");
        Pod loose = Fixtures.pod("l", "pl", null, true, "n1");
        loose = loose.withMetadata(loose.metadata().withOwnerReferences(List.of(
                new OwnerReference("apps/v1", "ReplicaSet", "web", "rs1", false, false, null))));
        OwnerGraph.Plan plan = OwnerGraph.plan(List.of(item(rs), item(blocking), item(loose)));
        assertThat(plan.actions()).hasSize(2).allMatch(a -> a instanceof Action.Delete<?>);
        Action.Delete<?> first = (Action.Delete<?>) plan.actions().get(0);
        assertThat(first.options().propagationPolicy()).isEqualTo(DeleteOptions.FOREGROUND);
        assertThat(first.options().uid()).isEqualTo("pb");
        assertThat(((Action.Delete<?>) plan.actions().get(1)).options().propagationPolicy()).isEqualTo(DeleteOptions.BACKGROUND);

        // a terminating blocking dependent still blocks; once only the loose one is left, the finalizer goes
        Pod going = blocking.withMetadata(blocking.metadata().withDeletionTimestamp(T0));
        assertThat(OwnerGraph.plan(List.of(item(rs), item(going))).actions()).isEmpty();
        assertThat(OwnerGraph.plan(List.of(item(rs), item(loose))).actions()).anySatisfy(a ->
                assertThat(a).isInstanceOf(Action.Update.class));
    }

    @Test
    void dependentsWithMissingOwnersAreSuspectsToConfirm() {
        Pod orphaned = Fixtures.pod("o", "po", Fixtures.rs("gone", 1, "rs-gone"), true, "n1");
        ReplicaSet present = Fixtures.rs("here", 1, "rs-here");
        Pod halfOwned = Fixtures.pod("h", "ph", present, true, "n1");
        halfOwned = halfOwned.withMetadata(halfOwned.metadata().withOwnerReferences(List.of(
                halfOwned.metadata().ownerReferences().get(0),
                new OwnerReference("apps/v1", "ReplicaSet", "gone", "rs-gone", false, false, null))));
        Pod fine = Fixtures.pod("f", "pf", present, true, "n1");
        OwnerGraph.Plan plan = OwnerGraph.plan(List.of(item(present), item(orphaned), item(halfOwned), item(fine)));
        assertThat(plan.actions()).isEmpty();
        assertThat(plan.suspects()).hasSize(2);
        assertThat(plan.suspects()).anySatisfy(s -> {
            assertThat(s.dependent().object().name()).isEqualTo("o");
            assertThat(s.allOwnersMissing()).isTrue();
        });
        assertThat(plan.suspects()).anySatisfy(s -> {
            assertThat(s.dependent().object().name()).isEqualTo("h");
            assertThat(s.allOwnersMissing()).isFalse();
        });
    }
}
