package io.kplane.controller;

import static io.kplane.controller.Fixtures.T0;
import static io.kplane.controller.Fixtures.deployment;
import static io.kplane.controller.Fixtures.status;
import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.model.Condition;
import io.kplane.model.Deployment;
import io.kplane.model.DeploymentStrategy;
import io.kplane.model.IntOrString;
import io.kplane.model.ReplicaSet;
import io.kplane.model.RollingUpdateDeployment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeploymentSyncTest {

    /** A tiny world: ReplicaSets by name; the "ReplicaSet controller" makes every spec'd pod available at once. */
    static final class World {
        final Map<String, ReplicaSet> rss = new LinkedHashMap<>();
        Deployment d;
        int uid;
        int seconds;

        World(Deployment d) {
            this.d = d;
        }

        List<Action> sync() {
            seconds++;
            DeploymentSync.Plan plan = DeploymentSync.reconcile(d, new ArrayList<>(rss.values()), T0.plusSeconds(seconds));
            for (Action a : plan.actions()) {
                if (a instanceof Action.Create<?> c && c.object() instanceof ReplicaSet rs) {
                    rss.put(rs.name(), rs.withMetadata(rs.metadata().withUid("rs" + ++uid).withCreationTimestamp(T0.plusSeconds(seconds))));
                } else if (a instanceof Action.Update<?> u && u.object() instanceof ReplicaSet rs) {
                    rss.put(rs.name(), rs);
                } else if (a instanceof Action.UpdateStatus<?> s && s.object() instanceof Deployment dep) {
                    d = dep;
                } else if (a instanceof Action.Delete<?> del) {
                    rss.remove(del.name());
                }
            }
            return plan.actions();
        }

        /** Pods follow spec: scale-downs at once, scale-ups become available on the next step. */
        void podsCatchUp() {
            rss.replaceAll((n, rs) -> {
                int want = rs.spec().replicasOrDefault();
                return rs.withStatus(status(want, want, want));
            });
        }

        int total() {
            return rss.values().stream().mapToInt(rs -> rs.spec().replicasOrDefault()).sum();
        }

        int available() {
            return rss.values().stream().mapToInt(DeploymentSync::available).sum();
        }
    }

    static Deployment rolling(Deployment d, String surge, String unavailable) {
        return d.withSpec(d.spec().withStrategy(new DeploymentStrategy("RollingUpdate",
                new RollingUpdateDeployment(value(unavailable), value(surge), null), null)));
    }

    static IntOrString value(String v) {
        return v.endsWith("%") ? IntOrString.of(v) : IntOrString.of(Integer.parseInt(v));
    }

    @Test
    void createsTheFirstReplicaSetNamedByTemplateHashWithTheHashInSelectorAndLabels() {
        World w = new World(deployment(3, "img:1"));
        w.sync();
        assertThat(w.rss).hasSize(1);
        ReplicaSet rs = w.rss.values().iterator().next();
        String hash = TemplateHash.of(w.d.spec().template(), null);
        assertThat(rs.name()).isEqualTo("web-" + hash);
        assertThat(rs.spec().replicas()).isEqualTo(3);
        assertThat(rs.spec().selector().matchLabels()).containsEntry(TemplateHash.LABEL, hash).containsEntry("app", "web");
        assertThat(rs.spec().template().metadata().labels()).containsEntry(TemplateHash.LABEL, hash);
        assertThat(rs.metadata().annotations()).containsEntry(DeploymentSync.REVISION, "1");
        assertThat(rs.metadata().controllerRef().uid()).isEqualTo("d-uid");
        w.podsCatchUp();
        w.sync();
        assertThat(w.d.status().replicas()).isEqualTo(3);
        assertThat(w.d.status().updatedReplicas()).isEqualTo(3);
        assertThat(w.d.status().availableReplicas()).isEqualTo(3);
        assertThat(Condition.find(w.d.status().conditions(), "Available").statusTrue()).isTrue();
        assertThat(Condition.find(w.d.status().conditions(), "Progressing").reason()).isEqualTo("NewReplicaSetAvailable");
        assertThat(w.sync()).as("converged: nothing more to write").isEmpty();
    }

    @Test
    void aRollingUpdateStaysWithinMaxSurgeAndMaxUnavailableUntilAllReplicasAreNew() {
        World w = new World(rolling(deployment(10, "img:1"), "3", "2"));
        w.sync();
        w.podsCatchUp();
        w.sync();
        w.d = w.d.withSpec(w.d.spec().withTemplate(Fixtures.template(Fixtures.WEB, "img:2")));
        int steps = 0;
        boolean sawBoth = false;
        while (steps++ < 100) {
            w.sync();
            assertThat(w.total()).as("total ≤ replicas + maxSurge").isLessThanOrEqualTo(13);
            assertThat(w.available()).as("available ≥ replicas - maxUnavailable").isGreaterThanOrEqualTo(8);
            sawBoth |= w.rss.values().stream().filter(rs -> rs.spec().replicasOrDefault() > 0).count() == 2;
            w.podsCatchUp();
            if (w.rss.size() == 2 && w.rss.values().stream().allMatch(rs -> rs.spec().replicasOrDefault() == 0
                    || rs.spec().template().spec().containers().get(0).image().equals("img:2") && rs.spec().replicasOrDefault() == 10)) {
                break;
            }
        }
        assertThat(sawBoth).as("old and new ran side by side").isTrue();
        assertThat(steps).isLessThan(100);
        ReplicaSet newRs = w.rss.values().stream().filter(rs -> rs.spec().replicasOrDefault() == 10).findFirst().orElseThrow();
        assertThat(newRs.metadata().annotations()).containsEntry(DeploymentSync.REVISION, "2");
        w.sync();
        w.podsCatchUp();
        w.sync();
        assertThat(w.d.status().updatedReplicas()).isEqualTo(10);
        assertThat(w.d.status().unavailableReplicas()).isZero();
    }

    @Test
    void percentagesRoundSurgeUpAndUnavailableDown() {
        Deployment d = rolling(deployment(10, "x"), "25%", "25%");
        assertThat(DeploymentSync.surgeAndUnavailable(d, 10)).containsExactly(3, 2);
        assertThat(DeploymentSync.surgeAndUnavailable(rolling(deployment(1, "x"), "0%", "0%"), 1)).containsExactly(0, 1);
        assertThat(DeploymentSync.surgeAndUnavailable(deployment(4, "x"), 4)).as("defaults 25%/25%").containsExactly(1, 1);
    }

    @Test
    void scalingChangesTheCurrentReplicaSet() {
        World w = new World(deployment(3, "img:1"));
        w.sync();
        w.podsCatchUp();
        w.d = w.d.withSpec(w.d.spec().withReplicas(7));
        w.sync();
        assertThat(w.rss.values().iterator().next().spec().replicas()).isEqualTo(7);
        w.d = w.d.withSpec(w.d.spec().withReplicas(2));
        w.podsCatchUp();
        w.sync();
        assertThat(w.rss.values().iterator().next().spec().replicas()).isEqualTo(2);
        assertThat(w.rss.values().iterator().next().metadata().annotations()).containsEntry(DeploymentSync.DESIRED_REPLICAS, "2");
    }

    @Test
    void recreateScalesOldToZeroBeforeTheNewOneStarts() {
        Deployment d = deployment(3, "img:1");
        d = d.withSpec(d.spec().withStrategy(new DeploymentStrategy("Recreate", null, null)));
        World w = new World(d);
        w.sync();
        w.podsCatchUp();
        w.d = w.d.withSpec(w.d.spec().withTemplate(Fixtures.template(Fixtures.WEB, "img:2")));
        w.sync();
        assertThat(w.rss).hasSize(2);
        assertThat(w.total()).as("old scaled to 0, new created at 0 while old pods remain").isZero();
        w.podsCatchUp();
        w.sync();
        assertThat(w.total()).isEqualTo(3);
    }

    @Test
    void oldIdleReplicaSetsBeyondTheHistoryLimitAreDeleted() {
        Deployment d = deployment(1, "img:0");
        d = d.withSpec(d.spec().withRevisionHistoryLimit(1));
        World w = new World(d);
        for (int v = 0; v < 4; v++) {
            w.d = w.d.withSpec(w.d.spec().withTemplate(Fixtures.template(Fixtures.WEB, "img:" + v)));
            for (int i = 0; i < 6; i++) {
                w.sync();
                w.podsCatchUp();
            }
        }
        assertThat(w.rss).as("the current one and one old").hasSize(2);
    }

    @Test
    void aPausedDeploymentOnlyGetsItsStatus() {
        Deployment d = deployment(3, "img:1");
        d = d.withSpec(d.spec().withPaused(true));
        List<Action> actions = DeploymentSync.reconcile(d, List.of(), T0).actions();
        assertThat(actions).hasSize(1).allMatch(a -> a instanceof Action.UpdateStatus<?>);
    }

    @Test
    void theTemplateHashIsStableAndChangesWithTheTemplateOrCollisionCount() {
        var t = Fixtures.template(Fixtures.WEB, "img:1");
        assertThat(TemplateHash.of(t, null)).isEqualTo(TemplateHash.of(Fixtures.template(Map.of("app", "web"), "img:1"), null))
                .matches("[bcdfghjklmnpqrstvwxz2456789]+");
        assertThat(TemplateHash.of(t, null)).isNotEqualTo(TemplateHash.of(Fixtures.template(Fixtures.WEB, "img:2"), null));
        assertThat(TemplateHash.of(t, null)).isNotEqualTo(TemplateHash.of(t, 1));
    }
}
