package io.kplane.cli;

import io.kplane.client.ApiResource;
import io.kplane.client.KubeClient;
import io.kplane.client.ListOptions;
import io.kplane.server.ChildJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kplane up}: the whole cluster on this machine, each component a child JVM — the store's
 * members ({@code kplane store}, etcd API on loopback; the API server is their etcd client), API server,
 * two controller-managers and two schedulers under Lease election, N hollow kubelets, the proxy —
 * with a command loop on stdin to stop and start any of them (fault injection).
 */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Starts a local cluster (a 3-member kplane store, API server, 2 controller-managers and 2 schedulers under leader election,",
                "N hollow kubelets, the proxy) as child processes, writes a kubeconfig for real kubectl and runs until",
                "Ctrl-C, EOF on stdin or `quit`. Commands on stdin: status | stop NAME | kill NAME | start NAME | quit",
                "(NAME: store-1..N, apiserver, controller-manager-0/1, scheduler-0/1, kubelet, proxy;",
                "stop is a clean shutdown (SIGTERM: a leader releases its Lease), kill a crash (SIGKILL: the Lease must expire))."})
public final class UpCommand implements Callable<Integer> {
    @Option(names = "--nodes", defaultValue = "3", description = "Hollow nodes (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--store", defaultValue = "kplane=3", description = "kplane=N: an N-member kplane store, one process per"
            + " member, data under the kubeconfig's directory (fresh at every start); embedded: the API server's in-process"
            + " store; etcd=URL[,URL]: an existing etcd (default: ${DEFAULT-VALUE}).")
    String store;

    @Option(names = "--kubeconfig", defaultValue = ".kplane/kubeconfig", paramLabel = "FILE",
            description = "Where to write the kubeconfig (default: ${DEFAULT-VALUE}); logs go next to it.")
    Path kubeconfig;

    @Option(names = "--proxy-netns", paramLabel = "NAME", description = "Apply proxy rules in this network namespace (default: dry-run).")
    String proxyNetns;

    @Option(names = "--service-cluster-ip-range", paramLabel = "CIDR[,CIDR]", description = "The API server's service CIDR(s);"
            + " two of different IP families make a dual-stack cluster (default: the API server's, 10.96.0.0/12).")
    String serviceClusterIpRange;

    @Option(names = "--lease-duration", defaultValue = "15", description = "Leader-election leaseDuration in seconds;"
            + " renewDeadline is 2/3 of it, retryPeriod 2/15, as upstream's 15/10/2 (default: ${DEFAULT-VALUE}).")
    int leaseSeconds;

    @Option(names = "--node-monitor-grace-period", defaultValue = "50", description = "Seconds (default: ${DEFAULT-VALUE}).")
    int graceSeconds;

    @Option(names = "--default-toleration-seconds", defaultValue = "300", description = "The API server's"
            + " --default-not-ready-toleration-seconds and --default-unreachable-toleration-seconds: how long an ordinary"
            + " pod stays on a NotReady/unreachable node before it is evicted (default: ${DEFAULT-VALUE}).")
    long tolerationSeconds;

    @Option(names = "--node-lease-duration-seconds", defaultValue = "40",
            description = "The hollow kubelets' node Lease duration, renewed every quarter of it (default: ${DEFAULT-VALUE}).")
    int nodeLeaseSeconds;

    @Option(names = "--heap", defaultValue = "160m", description = "-Xmx of each component (default: ${DEFAULT-VALUE}).")
    String heap;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        if (nodes < 1 || nodes > 256) {
            spec.commandLine().getErr().println("error: --nodes must lie in 1..256");
            return 2;
        }
        if (tolerationSeconds < 0) {
            spec.commandLine().getErr().println("error: --default-toleration-seconds must not be negative");
            return 2;
        }
        if (leaseSeconds < 3) {
            spec.commandLine().getErr().println("error: --lease-duration must be at least 3 s");
            return 2;
        }
        Path kc = kubeconfig.toAbsolutePath();
        Path dir = kc.getParent();
        Files.createDirectories(dir);
        Files.deleteIfExists(kc);
        Path rules = dir.resolve("proxy-rules.txt");
        Files.deleteIfExists(rules);
        LocalComponents c = new LocalComponents(dir, out);
        List<String> jvm = List.of("-Xmx" + heap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
        String k = kc.toString();
        int port = ChildJvm.freePort();
        List<Integer> storeClientPorts;
        try {
            storeClientPorts = defineStoreMembers(c, dir.resolve("store"), jvm);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return 2;
        }
        String apiStore = storeClientPorts.isEmpty() ? store : "etcd=" + String.join(",",
                storeClientPorts.stream().map(p -> "http://127.0.0.1:" + p).toList());
        List<String> apiserver = new ArrayList<>(List.of("apiserver", "--store", apiStore, "--listen", "127.0.0.1:" + port, "--kubeconfig", k,
                "--default-not-ready-toleration-seconds", String.valueOf(tolerationSeconds),
                "--default-unreachable-toleration-seconds", String.valueOf(tolerationSeconds)));
        if (serviceClusterIpRange != null) {
            apiserver.addAll(List.of("--service-cluster-ip-range", serviceClusterIpRange));
        }
        c.define("apiserver", jvm, apiserver);
        long renewMs = leaseSeconds * 2000L / 3;
        long retryMs = Math.max(200, leaseSeconds * 2000L / 15);
        List<String> election = List.of("--leader-elect", "--leader-elect-lease-duration", leaseSeconds + "s",
                "--leader-elect-renew-deadline", renewMs + "ms", "--leader-elect-retry-period", retryMs + "ms");
        for (int i = 0; i < 2; i++) {
            List<String> a = new ArrayList<>(List.of("controller-manager", "--kubeconfig", k, "--identity", "controller-manager-" + i,
                    "--node-monitor-grace-period", graceSeconds + "s"));
            a.addAll(election);
            c.define("controller-manager-" + i, jvm, a);
        }
        for (int i = 0; i < 2; i++) {
            List<String> a = new ArrayList<>(List.of("scheduler", "run", "--kubeconfig", k, "--identity", "scheduler-" + i));
            a.addAll(election);
            c.define("scheduler-" + i, jvm, a);
        }
        List<String> kubelet = new ArrayList<>(List.of("kubelet", "--kubeconfig", k, "--nodes", String.valueOf(nodes),
                "--node-lease-duration-seconds", String.valueOf(nodeLeaseSeconds)));
        if (serviceClusterIpRange != null && serviceClusterIpRange.contains(",")) {
            // A dual-stack cluster: pods get an address of each family, so the EndpointSlice
            // controller can write the IPv6 slices that the proxy's IPv6 rules need.
            kubelet.add("--dual-stack");
        }
        c.define("kubelet", jvm, kubelet);
        List<String> proxy = new ArrayList<>(List.of("proxy", "run", "--kubeconfig", k, "--rules-file", rules.toString()));
        if (proxyNetns != null) {
            proxy.addAll(List.of("--netns", proxyNetns));
        }
        c.define("proxy", jvm, proxy);

        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                c.stopAll();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "up-shutdown"));

        for (int i = 1; i <= storeClientPorts.size(); i++) {
            c.start("store-" + i);
        }
        if (!storeClientPorts.isEmpty() && !awaitStore(storeClientPorts, Duration.ofSeconds(120))) {
            out.println("up: the store did not become healthy; see " + c.log("store-1"));
            c.stopAll();
            return 1;
        }
        c.start("apiserver");
        if (!awaitApiServer(c, kc, Duration.ofSeconds(120))) {
            out.println("up: the API server did not come up; see " + c.log("apiserver"));
            c.stopAll();
            return 1;
        }
        for (String name : c.names()) {
            c.start(name);
        }
        out.println("up: cluster running (" + (storeClientPorts.isEmpty() ? "store " + store : storeClientPorts.size()
                + "-member kplane store on 127.0.0.1:" + storeClientPorts) + ", API server https://127.0.0.1:" + port + ", "
                + nodes + " hollow node(s), proxy "
                + (proxyNetns == null ? "dry-run, rules in " + rules : "in netns " + proxyNetns) + ")");
        out.println("up: kubeconfig " + kc);
        out.println("up:   kubectl --kubeconfig " + kc + " get nodes,pods -A");
        out.println("up:   export KUBECONFIG=" + kc);
        out.println("up: logs in " + dir.resolve("logs") + "; commands: status | stop NAME | kill NAME | start NAME | quit");
        out.println("up: ready");
        out.flush();

        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] w = line.trim().split("\\s+");
            if (w.length == 0 || w[0].isEmpty()) {
                continue;
            }
            String err = null;
            switch (w[0]) {
                case "quit", "exit" -> {
                    c.stopAll();
                    out.println("up: stopped");
                    return 0;
                }
                case "status" -> {
                    for (String n : c.names()) {
                        out.println(n + " " + (c.alive(n) ? "running pid " + c.pid(n) : "stopped"));
                    }
                }
                case "stop", "kill", "start" -> {
                    if (w.length != 2) {
                        err = "usage: " + w[0] + " NAME";
                    } else {
                        err = switch (w[0]) {
                            case "stop" -> c.stop(w[1]);
                            case "kill" -> c.kill(w[1]);
                            default -> c.start(w[1]);
                        };
                        if (err == null) {
                            out.println("up: " + switch (w[0]) {
                                case "stop" -> "stopped ";
                                case "kill" -> "killed ";
                                default -> "started ";
                            } + w[1]);
                        }
                    }
                }
                default -> err = "unknown command " + w[0] + " (status | stop NAME | kill NAME | start NAME | quit)";
            }
            if (err != null) {
                out.println("up: error: " + err);
            }
            out.flush();
        }
        // EOF on stdin (e.g. `kplane up < /dev/null &`): keep running until a signal.
        Thread.currentThread().join();
        return 0;
    }

    /**
     * {@code --store kplane=N}: defines the members {@code store-1..N} (fresh data dirs under
     * {@code storeDir}) and returns their client ports; nothing for {@code embedded} or {@code etcd=}.
     */
    private List<Integer> defineStoreMembers(LocalComponents c, Path storeDir, List<String> jvm) throws IOException {
        if (!store.startsWith("kplane")) {
            return List.of();
        }
        int members;
        try {
            members = store.equals("kplane") ? 3 : Integer.parseInt(store.substring("kplane=".length()));
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("--store kplane=N needs a member count, not '" + store + "'");
        }
        if (members < 1 || members > 7) {
            throw new IllegalArgumentException("--store kplane=N: N must lie in 1..7, got " + members);
        }
        if (Files.exists(storeDir)) {
            try (var files = Files.walk(storeDir)) {
                for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
        List<Integer> clientPorts = new ArrayList<>();
        StringBuilder initial = new StringBuilder();
        for (int i = 1; i <= members; i++) {
            initial.append(i > 1 ? "," : "").append("store-").append(i).append("=127.0.0.1:").append(ChildJvm.freePort());
            clientPorts.add(ChildJvm.freePort());
        }
        for (int i = 1; i <= members; i++) {
            c.define("store-" + i, jvm, List.of("store", "--name", "store-" + i,
                    "--data-dir", storeDir.resolve("store-" + i).toString(), "--initial-cluster", initial.toString(),
                    "--listen-client", "127.0.0.1:" + clientPorts.get(i - 1)));
        }
        return clientPorts;
    }

    /** Until every member answers {@code /health} on its client port with 200 (a leader is known). */
    private static boolean awaitStore(List<Integer> clientPorts, Duration timeout) throws InterruptedException {
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int port : clientPorts) {
            while (true) {
                try {
                    var r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/health"))
                            .timeout(Duration.ofSeconds(3)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        break;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Thread.sleep(200);
            }
        }
        return true;
    }

    private static boolean awaitApiServer(LocalComponents c, Path kc, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!c.alive("apiserver")) {
                return false;
            }
            if (Files.exists(kc)) {
                try (KubeClient client = KubeClient.fromKubeconfig(kc)) {
                    client.list(ApiResource.NAMESPACES, null, ListOptions.NONE);
                    return true;
                } catch (Exception notYet) {
                    // the kubeconfig is written just before serving starts
                }
            }
            Thread.sleep(200);
        }
        return false;
    }
}
