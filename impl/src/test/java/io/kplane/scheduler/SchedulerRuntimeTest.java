package io.kplane.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.client.ApiResource;
import io.kplane.client.Eventually;
import io.kplane.client.KubeClient;
import io.kplane.client.ListOptions;
import io.kplane.client.RealApiServer;
import io.kplane.election.LeaderElection;
import io.kplane.model.Condition;
import io.kplane.model.Container;
import io.kplane.model.Event;
import io.kplane.model.Node;
import io.kplane.model.NodeSpec;
import io.kplane.model.NodeStatus;
import io.kplane.model.ObjectMeta;
import io.kplane.model.Pod;
import io.kplane.model.PodSpec;
import io.kplane.model.Quantity;
import io.kplane.model.ResourceRequirements;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scheduler runtime against the real API server: binding, failure reporting, leader failover. */
class SchedulerRuntimeTest {
    static final Duration DEADLINE = Duration.ofSeconds(60);
    @TempDir
    static Path dir;
    static RealApiServer api;
    static KubeClient client;

    @BeforeAll
    static void start() throws Exception {
        api = new RealApiServer(dir);
        client = api.client();
        for (int i = 0; i < 3; i++) {
            Map<String, Quantity> alloc = Map.of("cpu", Quantity.parse("2"), "memory", Quantity.parse("4Gi"), "pods", Quantity.parse("110"));
            NodeStatus status = new NodeStatus(alloc, alloc, null,
                    List.of(Condition.of("Ready", Condition.TRUE, "KubeletReady", null, null)), null, null, null, null);
            client.create(ApiResource.NODES, Node.of(ObjectMeta.of(null, "n" + i).withLabel("kubernetes.io/hostname", "n" + i),
                    new NodeSpec(null, null, null, null, null, null), status));
        }
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    static <T> T await(String what, Supplier<T> read, Predicate<T> done) throws InterruptedException {
        return Eventually.await(what, read, done);
    }

    static Pod pod(String name, String cpu) {
        Container c = Container.of("app", "nginx").withResources(new ResourceRequirements(
                Map.of("cpu", Quantity.parse(cpu)), null, null));
        return Pod.of(ObjectMeta.of("default", name), PodSpec.of(List.of(c)));
    }

    static Pod get(String name) {
        return client.getOrNull(ApiResource.PODS, "default", name);
    }

    static LeaderElection.Config election(String id) {
        return new LeaderElection.Config("kube-system", "kube-scheduler", id,
                Duration.ofSeconds(8), Duration.ofSeconds(6), Duration.ofSeconds(1));
    }

    @Test
    void bindsPodsReportsUnschedulableOnesAndFailsOverToTheStandby() throws Exception {
        AtomicInteger lost = new AtomicInteger();
        SchedulerRuntime a = new SchedulerRuntime(client, new SchedulerRuntime.Config("default-scheduler", election("a")),
                lost::incrementAndGet).start(DEADLINE);
        SchedulerRuntime b = new SchedulerRuntime(client, new SchedulerRuntime.Config("default-scheduler", election("b")),
                lost::incrementAndGet).start(DEADLINE);
        try {
            SchedulerRuntime leader = await("a leader", () -> a.leading() ? a : b.leading() ? b : null, x -> true);
            SchedulerRuntime standby = leader == a ? b : a;

            for (int i = 0; i < 3; i++) {
                client.create(ApiResource.PODS, pod("p" + i, "1500m"));
            }
            for (int i = 0; i < 3; i++) {
                String name = "p" + i;
                await(name + " bound", () -> get(name), p -> p.spec().nodeName() != null);
            }
            List<String> nodes = List.of(get("p0").spec().nodeName(), get("p1").spec().nodeName(), get("p2").spec().nodeName());
            assertThat(nodes).as("1.5 of 2 CPUs each: one pod per node").doesNotHaveDuplicates();
            assertThat(standby.podsBound()).as("only the leader binds").isZero();

            client.create(ApiResource.PODS, pod("too-big", "1"));
            Pod failed = await("PodScheduled=False", () -> get("too-big"), p -> {
                Condition c = Condition.find(p.statusOrEmpty().conditions(), "PodScheduled");
                return c != null && Condition.FALSE.equals(c.status());
            });
            Condition c = Condition.find(failed.status().conditions(), "PodScheduled");
            assertThat(c.reason()).isEqualTo("Unschedulable");
            assertThat(c.message()).isEqualTo("0/3 nodes are available: 3 Insufficient cpu.");
            List<Event> events = await("FailedScheduling event", () -> client.list(ApiResource.EVENTS, "default", ListOptions.NONE).items(),
                    l -> l.stream().anyMatch(e -> "FailedScheduling".equals(e.reason()) && "too-big".equals(e.involvedObject().name())));
            assertThat(events).anySatisfy(e -> assertThat(e.type()).isEqualTo("Warning"));

            // the leader goes away: the standby takes over within leaseDuration + retryPeriod and schedules
            leader.close();
            await("standby leading", () -> standby.leading(), x -> x);
            client.delete(ApiResource.PODS, "default", "p0", io.kplane.client.DeleteOptions.DEFAULT.withGracePeriodSeconds(0L));
            await("too-big bound after room was made", () -> get("too-big"), p -> p.spec().nodeName() != null);
            // counted once the binding's answer reaches the scheduler loop, which may be after the test saw it
            await("standby counted its binding", () -> standby.podsBound(), n -> n == 1);
            assertThat(lost.get()).as("a clean close is not a lost election").isZero();
        } finally {
            a.close();
            b.close();
        }
    }
}
