package io.kplane.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kplane.apiserver.EtcdProcess;
import io.kplane.client.ApiResource;
import io.kplane.client.Eventually;
import io.kplane.client.KubeClient;
import io.kplane.client.ListOptions;
import io.kplane.model.Pod;
import io.kplane.model.Toleration;
import io.kplane.proxy.NetworkNamespace;
import io.kplane.server.ChildJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kplane up --store etcd=URL --proxy-netns NAME}: the cluster on an existing, real etcd
 * 3.4 (no kplane store members are started). A Deployment's pod runs behind a Service (with the
 * not-ready/unreachable tolerations of {@code --default-toleration-seconds}), the
 * objects are in etcd under {@code /registry/}, read back with real etcdctl, and the proxy has
 * applied the Service's DNAT to the pod in the named network namespace (real
 * {@code iptables-legacy-restore}; where namespaces cannot be made here, the proxy runs dry and
 * that check is left out). Then Ctrl-C (SIGINT to {@code up}) stops every component: no child
 * process outlives it.
 */
class UpOnEtcdTest {
    @TempDir Path dir;

    private static String run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(120, TimeUnit.SECONDS);
        return out;
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void upRunsOnAnExistingEtcdAndCtrlCStopsEveryComponent() throws Exception {
        assumeTrue(EtcdProcess.installed(), "etcd is not installed");
        boolean netns = NetworkNamespace.available("iptables-legacy-restore") && NetworkNamespace.available("ip")
                && ProcessHandle.current().info().user().orElse("").equals("root");
        try (EtcdProcess etcd = new EtcdProcess(); NetworkNamespace ns = netns ? NetworkNamespace.create("kplane-up") : null) {
            Path kc = dir.resolve(".kplane/kubeconfig");
            Path out = dir.resolve("up.out");
            List<String> args = new ArrayList<>(List.of("up", "--nodes", "1", "--store", "etcd=" + etcd.endpoint,
                    "--lease-duration", "4", "--heap", "128m", "--default-toleration-seconds", "42", "--kubeconfig", kc.toString()));
            if (ns != null) {
                args.addAll(List.of("--proxy-netns", ns.name()));
            }
            Process up = new ProcessBuilder(ChildJvm.kplaneCommand(List.of("-Xmx96m"), args))
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            List<ProcessHandle> children = List.of();
            try {
                Eventually.until("up: ready", Duration.ofMinutes(3), () -> {
                    try {
                        return Files.readString(out).contains("up: ready");
                    } catch (IOException e) {
                        return false;
                    }
                });
                String banner = Files.readString(out);
                assertThat(banner).contains("store etcd=" + etcd.endpoint).doesNotContain("kplane store");
                assertThat(Files.exists(dir.resolve(".kplane/store"))).as("no store members of our own").isFalse();

                Path yaml = dir.resolve("web.yaml");
                Files.writeString(yaml, """
                        apiVersion: apps/v1
                        kind: Deployment
                        metadata: {name: web, namespace: default}
                        spec:
                          replicas: 1
                          selector: {matchLabels: {app: web}}
                          template:
                            metadata: {labels: {app: web}}
                            spec:
                              containers:
                              - {name: web, image: nginx, ports: [{containerPort: 8080}]}
                        ---
                        apiVersion: v1
                        kind: Service
                        metadata: {name: web, namespace: default}
                        spec:
                          selector: {app: web}
                          ports: [{port: 80, targetPort: 8080}]
                        """);
                assertThat(run(List.of("kubectl", "--kubeconfig", kc.toString(), "apply", "-f", yaml.toString())))
                        .contains("deployment.apps/web created").contains("service/web created");
                KubeClient c = KubeClient.fromKubeconfig(kc);
                Eventually.until("the pod Running", Duration.ofMinutes(2), () -> c.list(ApiResource.PODS, "default",
                        ListOptions.labelSelector("app=web")).items().stream()
                        .anyMatch(p -> p.status() != null && "Running".equals(p.status().phase())));
                Pod pod = c.list(ApiResource.PODS, "default", ListOptions.labelSelector("app=web")).items().get(0);
                assertThat(pod.spec().tolerations()).as("the API server's DefaultTolerationSeconds, set through up")
                        .extracting(Toleration::key, Toleration::tolerationSeconds).containsExactly(
                                tuple("node.kubernetes.io/not-ready", 42L), tuple("node.kubernetes.io/unreachable", 42L));
                if (ns != null) {
                    assertThat(banner).contains("proxy in netns " + ns.name());
                    String podIp = c.list(ApiResource.PODS, "default", ListOptions.labelSelector("app=web")).items().get(0)
                            .status().podIP();
                    Eventually.until("the pod's DNAT in the namespace's nat table", Duration.ofMinutes(1), () -> {
                        try {
                            return ns.exec(List.of("iptables-legacy-save", "-t", "nat"), (byte[]) null).stdout()
                                    .contains("--to-destination " + podIp + ":8080");
                        } catch (IOException e) {
                            return false;
                        }
                    });
                }
                String keys = run(List.of("etcdctl", "--endpoints", etcd.endpoint, "get", "/registry/", "--prefix", "--keys-only"));
                assertThat(keys).contains("/registry/deployments/default/web").contains("/registry/replicasets/default/web-")
                        .contains("/registry/pods/default/web-").contains("/registry/leases/kube-system/kube-scheduler");

                children = up.descendants().toList();
                assertThat(children).as("apiserver, 2 controller-managers, 2 schedulers, kubelet, proxy").hasSizeGreaterThanOrEqualTo(7);
                new ProcessBuilder("kill", "-INT", Long.toString(up.pid())).start().waitFor();
                assertThat(up.waitFor(90, TimeUnit.SECONDS)).as("up exits on Ctrl-C").isTrue();
                for (ProcessHandle child : children) {
                    child.onExit().get(30, TimeUnit.SECONDS);
                    assertThat(child.isAlive()).as("child " + child.pid() + " stopped with up").isFalse();
                }
            } finally {
                for (ProcessHandle child : children) {
                    child.destroyForcibly();
                }
                up.destroyForcibly();
            }
        }
    }
}
