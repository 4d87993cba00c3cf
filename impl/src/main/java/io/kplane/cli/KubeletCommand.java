package io.kplane.cli;

import io.kplane.client.KubeClient;
import io.kplane.kubelet.HollowNodePool;
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

/**
 * {@code kplane kubelet}: N hollow kubelets in one process, as kubemark's hollow nodes, sharing one
 * pod watch and a few threads ({@link HollowNodePool}), so thousands fit in one JVM.
 */
@Command(name = "kubelet", mixinStandardHelpOptions = true,
        description = {"Runs N hollow kubelets against the API server until SIGTERM/SIGINT: each registers a Node",
                "(<prefix><i>, pod CIDR the i-th /24 from 10.244.0.0, zones round-robin), renews its Lease in kube-node-lease,",
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

    @Option(names = "--dual-stack", description = "Give each node and pod an IPv6 address beside its IPv4 one"
            + " (node fd00::10:0:X:Y, pods from fd00:10:A:B::/64, paired with 10.0.X.Y and 10.A.B.0/24).")
    boolean dualStack;

    /** Threads the nodes' sync loops share (one pod informer and one probe pool serve them all). */
    static final int SYNC_THREADS = 8;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (nodes < 1 || firstIndex < 0 || firstIndex + nodes > KubeletConfig.MAX_HOLLOW_NODES) {
            spec.commandLine().getErr().println("error: node indexes must lie in 0.." + (KubeletConfig.MAX_HOLLOW_NODES - 1)
                    + " (--first-index " + firstIndex + ", --nodes " + nodes + ")");
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
        List<KubeletConfig> configs = new ArrayList<>();
        for (int i = firstIndex; i < firstIndex + nodes; i++) {
            String zone = zones.get(i % zones.size());
            KubeletConfig base = dualStack ? KubeletConfig.hollowDualStack(prefix, i, zone) : KubeletConfig.hollow(prefix, i, zone);
            configs.add(base.withLeaseDuration(java.time.Duration.ofSeconds(nodeLeaseSeconds)));
        }
        HollowNodePool pool = new HollowNodePool(client, configs, InstantSource.system(), SYNC_THREADS);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            pool.close();
            stopped.countDown();
        }, "kubelet-shutdown"));
        pool.start(java.time.Duration.ofMinutes(10));
        System.err.println("kubelet: " + nodes + " hollow node(s) " + prefix + firstIndex + ".." + prefix
                + (firstIndex + nodes - 1) + " on " + client.config().server());
        stopped.await();
        return 0;
    }
}
