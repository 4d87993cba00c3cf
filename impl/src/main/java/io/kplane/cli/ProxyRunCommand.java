package io.kplane.cli;

import io.kplane.client.ApiResource;
import io.kplane.client.KubeClient;
import io.kplane.proxy.NetworkNamespace;
import io.kplane.proxy.NodeIdentity;
import io.kplane.proxy.ProxyConfig;
import io.kplane.proxy.runtime.ProxyRuntime;
import io.kplane.proxy.runtime.ProxySyncLoop;
import io.kplane.proxy.RulesApplier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kplane proxy run}: the proxy as a running component against the API server. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Watches Services and EndpointSlices and keeps the proxy rules in sync until SIGTERM/SIGINT.",
                "Dry-run (default): the rules are only rendered and written to --rules-file;",
                "with --netns NAME they are applied with iptables-legacy-restore / nft in that network namespace."})
public final class ProxyRunCommand implements Callable<Integer> {
    @Option(names = "--kubeconfig", required = true, paramLabel = "FILE", description = "kubeconfig of the API server.")
    Path kubeconfig;

    @Option(names = "--node", defaultValue = "hollow-node-0", description = "This node's name (default: ${DEFAULT-VALUE}).")
    String node;

    @Option(names = "--backend", defaultValue = "IPTABLES", description = "IPTABLES or NFTABLES (default: ${DEFAULT-VALUE}).")
    ProxySyncLoop.Backend backend;

    @Option(names = "--node-ip", paramLabel = "IP", description = "This node's IP (default: from its Node object: first InternalIP, else ExternalIP).")
    String nodeIP;

    @Option(names = "--node-zone", paramLabel = "ZONE", description = "This node's zone for topology hints (default: its Node's topology.kubernetes.io/zone label).")
    String nodeZone;

    @Option(names = "--netns", paramLabel = "NAME", description = "Apply the rules in this existing network namespace.")
    String netns;

    @Option(names = "--rules-file", paramLabel = "FILE", description = "Write the current rules here after every sync.")
    Path rulesFile;

    @Option(names = "--min-sync-period", defaultValue = "PT0.2S", description = "Minimum time between syncs (ISO-8601, default: ${DEFAULT-VALUE}).")
    Duration minSync;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!Files.isReadable(kubeconfig)) {
            spec.commandLine().getErr().println("error: cannot read kubeconfig " + kubeconfig);
            return 2;
        }
        KubeClient client = KubeClient.fromKubeconfig(kubeconfig);
        RulesApplier applier = null;
        if (netns != null) {
            NetworkNamespace ns = NetworkNamespace.existing(netns);
            applier = backend == ProxySyncLoop.Backend.IPTABLES ? RulesApplier.iptablesInNamespace(ns)
                    : RulesApplier.nftablesInNamespace(ns);
        }
        if (rulesFile != null && rulesFile.toAbsolutePath().getParent() != null) {
            Files.createDirectories(rulesFile.toAbsolutePath().getParent());
        }
        ProxyConfig config = ProxyConfig.defaults(node).withNodeIP(nodeIP).withNodeZone(nodeZone);
        try {
            config = NodeIdentity.apply(config, client.getOrNull(ApiResource.NODES, null, node));
        } catch (RuntimeException e) {
            System.err.println("proxy: cannot read Node " + node + " (" + e.getMessage() + "); no node IP or zone from it");
        }
        ProxyRuntime proxy = new ProxyRuntime(client, config, backend, applier, rulesFile,
                minSync, Duration.ofSeconds(30)).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            proxy.close();
            stopped.countDown();
        }, "proxy-shutdown"));
        System.err.println("proxy: node " + node + " (IP " + config.nodeIP() + ", zone " + config.nodeZone() + "), " + backend + (netns == null ? " dry-run" : " in netns " + netns)
                + (rulesFile == null ? "" : ", rules in " + rulesFile) + " on " + client.config().server());
        stopped.await();
        return 0;
    }
}
