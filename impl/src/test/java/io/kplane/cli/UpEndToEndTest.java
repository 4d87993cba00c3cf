package io.kplane.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.client.ApiResource;
import io.kplane.client.KubeClient;
import io.kplane.client.ListOptions;
import io.kplane.model.Lease;
import io.kplane.model.Pod;
import io.kplane.server.ChildJvm;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kplane up} end to end, as a user runs it: real child JVMs, real kubectl. A Deployment
 * reaches Running pods behind a Service with proxy rules; stopping the scheduler leader hands the
 * Lease to the standby, which schedules; with both schedulers stopped, {@code kplane diagnose}
 * names the scheduler; started again, the pending pods run. The same for the controller-manager:
 * failover after its leader is killed (within leaseDuration + retryPeriod), then with both stopped
 * a new Deployment gets no ReplicaSet, a new Service no EndpointSlice, and diagnose names it. With
 * the proxy stopped a new endpoint is missing from the rules and diagnose names the proxy, which
 * catches up once started; with one of the three store members stopped the cluster works on.
 */
class UpEndToEndTest {
    /** {@code --lease-duration 4}: up derives renewDeadline 2/3 and retryPeriod 2/15 of it. */
    static final long LEASE_MS = 4_000;
    static final long RETRY_MS = LEASE_MS * 2 / 15;
    static final long FAILOVER_SLACK_MS = 3_000;

    @TempDir Path dir;

    static void eventually(String what, Duration timeout, BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (cond.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // e.g. the API server still starting
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(200);
        }
    }

    private static void send(Process up, String line) throws IOException {
        OutputStream in = up.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    private static String run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(120, TimeUnit.SECONDS);
        return out;
    }

    private static long running(KubeClient c) {
        return c.list(ApiResource.PODS, "default", ListOptions.labelSelector("app=web")).items().stream()
                .filter(p -> p.status() != null && "Running".equals(p.status().phase())).count();
    }

    private static String schedulerHolder(KubeClient c) {
        return holder(c, "kube-scheduler");
    }

    private static String holder(KubeClient c, String lease) {
        Lease l = c.getOrNull(ApiResource.LEASES, "kube-system", lease);
        return l == null || l.spec() == null ? null : l.spec().holderIdentity();
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void aDeploymentRunsBehindAServiceSchedulerFailsOverAndDiagnoseNamesAStoppedScheduler() throws Exception {
        Path kc = dir.resolve(".kplane/kubeconfig");
        Path out = dir.resolve("up.out");
        Process up = new ProcessBuilder(ChildJvm.kplaneCommand(List.of("-Xmx96m"), List.of("up", "--nodes", "2",
                "--lease-duration", String.valueOf(LEASE_MS / 1000), "--node-lease-duration-seconds", "8", "--node-monitor-grace-period", "10",
                "--heap", "128m", "--kubeconfig", kc.toString())))
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            eventually("up: ready", Duration.ofMinutes(3), () -> {
                try {
                    return Files.readString(out).contains("up: ready");
                } catch (IOException e) {
                    return false;
                }
            });
            assertThat(Files.readString(out)).contains("kubectl --kubeconfig " + kc);
            Path yaml = dir.resolve("web.yaml");
            Files.writeString(yaml, """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata: {name: web, namespace: default}
                    spec:
                      replicas: 2
                      selector: {matchLabels: {app: web}}
                      template:
                        metadata: {labels: {app: web}}
                        spec:
                          containers:
                          - {name: web, image: nginx, ports: [{containerPort: 8080, name: http}]}
                    ---
                    apiVersion: v1
                    kind: Service
                    metadata: {name: web, namespace: default}
                    spec:
                      selector: {app: web}
                      ports: [{name: http, port: 80, targetPort: 8080}]
                    """);
            String kubectl = "kubectl";
            assertThat(run(List.of(kubectl, "--kubeconfig", kc.toString(), "apply", "-f", yaml.toString())))
                    .contains("deployment.apps/web created").contains("service/web created");
            KubeClient c = KubeClient.fromKubeconfig(kc);
            eventually("2 running pods", Duration.ofMinutes(2), () -> running(c) == 2);
            Path rules = kc.getParent().resolve("proxy-rules.txt");
            eventually("both pod IPs in the proxy rules and in kubectl's EndpointSlices", Duration.ofMinutes(1), () -> {
                try {
                    String r = Files.readString(rules);
                    String slices = run(List.of(kubectl, "--kubeconfig", kc.toString(), "get", "endpointslices", "-o", "wide"));
                    return c.list(ApiResource.PODS, "default", ListOptions.labelSelector("app=web")).items().stream()
                            .map(Pod::status).allMatch(s -> s.podIP() != null && r.contains("--to-destination " + s.podIP() + ":8080")
                                    && slices.contains(s.podIP()));
                } catch (Exception e) {
                    return false;
                }
            });

            // The demo: its own Deployment of 3 through every stage, with the latency distribution.
            Process demo = new ProcessBuilder(ChildJvm.kplaneCommand(List.of("-Xmx96m"), List.of("demo", "--kubeconfig", kc.toString(),
                    "--replicas", "3", "--timeout", "90"))).redirectErrorStream(true).start();
            String demoOut = new String(demo.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(demo.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(demo.exitValue()).as(demoOut).isZero();
            assertThat(demoOut).contains("in proxy rules").contains("pod startup latency (created -> running), 3 pods: p50 ")
                    .contains("created -> in proxy rules: p50 ");

            // Failover: stop the scheduler leader; the standby takes the Lease and schedules a new pod.
            eventually("a scheduler leader", Duration.ofMinutes(1), () -> schedulerHolder(c) != null && !schedulerHolder(c).isEmpty());
            String leader = schedulerHolder(c);
            String standby = leader.equals("scheduler-0") ? "scheduler-1" : "scheduler-0";
            send(up, "stop " + leader);
            eventually("the standby leads", Duration.ofMinutes(1), () -> standby.equals(schedulerHolder(c)));
            run(List.of(kubectl, "--kubeconfig", kc.toString(), "scale", "deployment", "web", "--replicas", "3"));
            eventually("3 running pods", Duration.ofMinutes(1), () -> running(c) == 3);

            // Both schedulers down: new pods stay Pending and diagnose names the scheduler.
            send(up, "stop " + standby);
            eventually("no live scheduler lease", Duration.ofMinutes(1), () -> {
                String h = schedulerHolder(c);
                return h == null || h.isEmpty() || Diagnosis.leaderProblem(new Diagnosis.Snapshot(java.time.Instant.now(), List.of(),
                        List.of(), List.of(), List.of(), c.list(ApiResource.LEASES, "kube-system", ListOptions.NONE).items(), List.of(),
                        List.of(), List.of(), null), Diagnosis.SCHED_LEASE) != null;
            });
            run(List.of(kubectl, "--kubeconfig", kc.toString(), "scale", "deployment", "web", "--replicas", "4"));
            eventually("diagnose names the scheduler", Duration.ofMinutes(1), () -> {
                try {
                    String d = run(ChildJvm.kplaneCommand(List.of("-Xmx96m"), List.of("diagnose", "--kubeconfig", kc.toString())));
                    return d.contains("[scheduler] pod/default/web-") && d.contains("the scheduler is down");
                } catch (Exception e) {
                    return false;
                }
            });
            send(up, "start " + leader);
            eventually("4 running pods after the scheduler returns", Duration.ofMinutes(2), () -> running(c) == 4);

            // Controller-manager: the leader crashes (SIGKILL, its Lease left as it was), the standby takes
            // over once the Lease expires, within leaseDuration + retryPeriod (scale to 5 works); both
            // stop, a new Deployment gets no ReplicaSet and diagnose names the controller-manager.
            String cmLeader = holder(c, "kube-controller-manager");
            String cmStandby = cmLeader.equals("controller-manager-0") ? "controller-manager-1" : "controller-manager-0";
            long killedAt = System.nanoTime();
            send(up, "kill " + cmLeader);
            eventually("the standby controller-manager leads", Duration.ofMinutes(1),
                    () -> cmStandby.equals(holder(c, "kube-controller-manager")));
            long failoverMs = (System.nanoTime() - killedAt) / 1_000_000;
            System.out.printf("kplane up: controller-manager failover after SIGKILL: %d ms (leaseDuration %d ms + retryPeriod %d ms)%n",
                    failoverMs, LEASE_MS, RETRY_MS);
            // The slack covers this poll (200 ms plus a GET) and a loaded machine's scheduling delays;
            // a standby that ignored the expiry or waited a second leaseDuration would still exceed it.
            assertThat(failoverMs).as("takeover within leaseDuration + retryPeriod (+ %d ms slack)", FAILOVER_SLACK_MS)
                    .isLessThanOrEqualTo(LEASE_MS + RETRY_MS + FAILOVER_SLACK_MS);
            run(List.of(kubectl, "--kubeconfig", kc.toString(), "scale", "deployment", "web", "--replicas", "5"));
            eventually("5 running pods", Duration.ofMinutes(1), () -> running(c) == 5);
            send(up, "stop " + cmStandby);
            assertThat(run(List.of(kubectl, "--kubeconfig", kc.toString(), "apply", "-f",
                    Files.writeString(dir.resolve("web2.yaml"), Files.readString(yaml).split("---")[0]
                            .replace("name: web,", "name: web2,").replace("app: web}", "app: web2}")).toString())))
                    .contains("deployment.apps/web2 created");
            // A new Service over the running web pods gets no EndpointSlice: diagnose blames the
            // EndpointSlice controller, which runs in the (stopped) controller-manager.
            assertThat(run(List.of(kubectl, "--kubeconfig", kc.toString(), "apply", "-f",
                    Files.writeString(dir.resolve("web-b.yaml"), Files.readString(yaml).split("---")[1]
                            .replace("name: web,", "name: web-b,")).toString())))
                    .contains("service/web-b created");
            eventually("diagnose names the controller-manager for the Deployment and for the Service", Duration.ofMinutes(1), () -> {
                try {
                    String d = run(ChildJvm.kplaneCommand(List.of("-Xmx96m"), List.of("diagnose", "--kubeconfig", kc.toString())));
                    return d.contains("[controller-manager] deployment/default/web2: no ReplicaSet: the controller-manager is down")
                            && d.contains("[controller-manager] service/default/web-b: 5 ready pod(s) but no ready endpoints: "
                                    + "the EndpointSlice controller (controller-manager) is down");
                } catch (Exception e) {
                    return false;
                }
            });
            send(up, "start " + cmLeader);
            eventually("web2 runs after the controller-manager returns", Duration.ofMinutes(2), () ->
                    c.list(ApiResource.PODS, "default", ListOptions.labelSelector("app=web2")).items().stream()
                            .filter(p -> p.status() != null && "Running".equals(p.status().phase())).count() == 2);
            eventually("web-b's EndpointSlices hold the 5 web pods after the controller-manager returns", Duration.ofMinutes(1), () ->
                    c.list(ApiResource.ENDPOINT_SLICES, "default", ListOptions.labelSelector("kubernetes.io/service-name=web-b"))
                            .items().stream().mapToLong(es -> es.endpoints().size()).sum() == 5);

            // The proxy stops: a new pod's endpoint is missing from its rules and diagnose names the proxy;
            // back, it catches up.
            send(up, "stop proxy");
            run(List.of(kubectl, "--kubeconfig", kc.toString(), "scale", "deployment", "web", "--replicas", "6"));
            eventually("6 running pods", Duration.ofMinutes(1), () -> running(c) == 6);
            eventually("diagnose names the proxy", Duration.ofMinutes(1), () -> {
                try {
                    String d = run(ChildJvm.kplaneCommand(List.of("-Xmx96m"), List.of("diagnose", "--kubeconfig", kc.toString())));
                    return d.contains("[proxy] endpointslice/default/web") && d.contains("is not in the proxy rules: the proxy is behind");
                } catch (Exception e) {
                    return false;
                }
            });
            send(up, "start proxy");
            eventually("every pod IP in the proxy rules again", Duration.ofMinutes(1), () -> {
                String r;
                try {
                    r = Files.readString(rules);
                } catch (IOException e) {
                    return false;
                }
                return c.list(ApiResource.PODS, "default", ListOptions.labelSelector("app=web")).items().stream()
                        .allMatch(p -> p.status().podIP() != null && r.contains("--to-destination " + p.status().podIP() + ":8080"));
            });

            // The kubelets stop: their node Leases expire, the node lifecycle controller marks the Nodes
            // NotReady, and diagnose names the kubelet; back, they renew and the Nodes are Ready again.
            send(up, "stop kubelet");
            eventually("diagnose names the kubelet", Duration.ofMinutes(1), () -> {
                try {
                    String d = run(ChildJvm.kplaneCommand(List.of("-Xmx96m"), List.of("diagnose", "--kubeconfig", kc.toString())));
                    return d.contains("[kubelet] node/hollow-node-0: NotReady: its kubelet stopped renewing its Lease");
                } catch (Exception e) {
                    return false;
                }
            });
            send(up, "start kubelet");
            eventually("every Node Ready again", Duration.ofMinutes(1), () -> c.list(ApiResource.NODES, null, ListOptions.NONE)
                    .items().stream().allMatch(n -> n.status() != null && n.status().conditions() != null && n.status().conditions()
                            .stream().anyMatch(x -> "Ready".equals(x.type()) && "True".equals(x.status()))));

            // One of the three store members stops: the store keeps its quorum and the cluster works on.
            send(up, "stop store-1");
            run(List.of(kubectl, "--kubeconfig", kc.toString(), "scale", "deployment", "web", "--replicas", "7"));
            eventually("7 running pods with a store member down", Duration.ofMinutes(2), () -> running(c) == 7);

            send(up, "quit");
            assertThat(up.waitFor(60, TimeUnit.SECONDS)).as("up exits on quit").isTrue();
            assertThat(Files.readString(out)).contains("up: stopped");
        } catch (AssertionError | Exception e) {
            // The cluster lives in a temporary directory that is gone after the test: show up's
            // output and the end of each component's log while they still exist.
            System.out.println("--- up output\n" + Files.readString(out));
            Path logs = kc.getParent().resolve("logs");
            if (Files.isDirectory(logs)) {
                try (var files = Files.list(logs)) {
                    for (Path log : files.sorted().toList()) {
                        List<String> lines = Files.readAllLines(log);
                        System.out.println("--- " + log.getFileName() + " (last 40 lines)");
                        lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(System.out::println);
                    }
                }
            }
            throw e;
        } finally {
            if (up.isAlive()) {
                up.destroy();
                if (!up.waitFor(30, TimeUnit.SECONDS)) {
                    up.destroyForcibly();
                }
            }
        }
    }
}
