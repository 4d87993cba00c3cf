package io.kplane.cli;

import io.kplane.client.KubeClient;
import io.kplane.kubelet.HollowKubelet;
import io.kplane.kubelet.KubeletConfig;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kplane kubelet}: N hollow kubelets in one process, as kubemark's hollow nodes. */
@Command(name = "kubelet", mixinStandardHelpOptions = true,
        description = {"Runs N hollow kubelets against the API server until SIGTERM/SIGINT: each registers a Node",
                "(<prefix><i>, pod CIDR 10.244.<i>.0/24, zones round-robin), renews its Lease in kube-node-lease,",
                "runs the pods bound to it as simulated containers with real HTTP/TCP probes."})
public final class KubeletCommand implements Callable<Integer> {

    @Option(names = "--kubeconfig", required = true, paramLabel = "FILE", description = "kubeconfig of the API server.")
    Path kubeconfig;

    @Option(names = "--nodes", defaultValue = "1", description = "How many hollow nodes (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--first-index", defaultValue = "0", description = "Index of the first node (default: ${DEFAULT-VALUE}).")
    int firstIndex;

    @Option(names = "--node-prefix", defaultValue = "hollow-node-", description = "Node name prefix (default: ${DEFAULT-VALUE}).")
    String prefix;

    @Option(names = "--zones", defaultValue = "zone-a,zone-b,zone-c", split = ",",
            description = "Zones, assigned round-robin (default: ${DEFAULT-VALUE}).")
    List<String> zones;

    @Option(names = "--node-lease-duration-seconds", defaultValue = "40",
            description = "Duration of each node's Lease, renewed every quarter of it, as the kubelet's flag (default: ${DEFAULT-VALUE}).")
    int nodeLeaseSeconds;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (nodes < 1 || firstIndex < 0 || firstIndex + nodes > 256) {
            spec.commandLine().getErr().println("error: node indexes must lie in 0..255 (--first-index " + firstIndex
                    + ", --nodes " + nodes + ")");
            return 2;
        }
        if (nodeLeaseSeconds < 1) {
            spec.commandLine().getErr().println("error: --node-lease-duration-seconds must be at least 1, got " + nodeLeaseSeconds);
            return 2;
        }
        KubeClient client = KubeconfigClient.open(kubeconfig, spec.commandLine().getErr());
        if (client == null) {
            return 2;
        }
        List<HollowKubelet> kubelets = new ArrayList<>();
        for (int i = firstIndex; i < firstIndex + nodes; i++) {
            KubeletConfig c = KubeletConfig.hollow(prefix, i, zones.get(i % zones.size()))
                    .withLeaseDuration(java.time.Duration.ofSeconds(nodeLeaseSeconds));
            kubelets.add(new HollowKubelet(client, c, InstantSource.system()).start());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kubelets.forEach(HollowKubelet::stop);
            stopped.countDown();
        }, "kubelet-shutdown"));
        System.err.println("kubelet: " + nodes + " hollow node(s) " + prefix + firstIndex + ".." + prefix
                + (firstIndex + nodes - 1) + " on " + client.config().server());
        stopped.await();
        return 0;
    }
}
