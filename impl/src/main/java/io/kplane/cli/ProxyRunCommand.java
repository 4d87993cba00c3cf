package io.kplane.cli;

import io.kplane.client.ApiResource;
import io.kplane.client.KubeClient;
import io.kplane.model.Node;
import io.kplane.proxy.IpFamily;
import io.kplane.proxy.NetworkNamespace;
import io.kplane.proxy.ProxierFamilies;
import io.kplane.proxy.ProxyConfig;
import io.kplane.proxy.runtime.ProxyRuntime;
import io.kplane.proxy.runtime.ProxySyncLoop;
import io.kplane.proxy.RulesApplier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kplane proxy run}: the proxy as a running component against the API server. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Watches Services and EndpointSlices and keeps the proxy rules in sync until SIGTERM/SIGINT.",
                "Dry-run (default): the rules are only rendered and written to --rules-file;",
                "with --netns NAME they are applied with iptables-legacy-restore / nft in that network namespace.",
                "Dual-stack, as kube-proxy: the primary IP family is the node IP's (the first --node-ip, else the Node's",
                "first address, else IPv4) and a second proxier programs the other family whenever the host can",
                "(dry-run: always; --netns: when ip6tables-legacy / nft ip6 work there): ip6tables-restore input,",
                "or the 'ip6 kube-proxy' nftables table, from the IPv6 cluster IPs and addressType IPv6 EndpointSlices.",
                "The primary family's rules go to --rules-file, the other's beside it (rules.txt -> rules.ipv6.txt).",
                "--ip-families pins the families instead."})
public final class ProxyRunCommand implements Callable<Integer> {
    @Option(names = "--kubeconfig", required = true, paramLabel = "FILE", description = "kubeconfig of the API server.")
    Path kubeconfig;

    @Option(names = "--node", defaultValue = "hollow-node-0", description = "This node's name (default: ${DEFAULT-VALUE}).")
    String node;

    @Option(names = "--backend", defaultValue = "IPTABLES", description = "IPTABLES or NFTABLES (default: ${DEFAULT-VALUE}).")
    ProxySyncLoop.Backend backend;

    @Option(names = "--node-ip", paramLabel = "IP[,IP]", split = ",",
            description = "This node's IP, at most one per family; the first one's family is the primary"
                    + " (default: from its Node object: first InternalIP, else ExternalIP, of each family).")
    List<String> nodeIPs = new ArrayList<>();

    @Option(names = "--cluster-cidr", paramLabel = "CIDR[,CIDR]", split = ",",
            description = "The pods' CIDR, at most one per family, for telling cluster-internal traffic from outside traffic"
                    + " (default: none: masquerade only what must be).")
    List<String> clusterCIDRs = new ArrayList<>();

    @Option(names = "--ip-families", paramLabel = "auto|FAMILY[,FAMILY]", defaultValue = ProxierFamilies.AUTO,
            description = "The IP families to program: auto (kube-proxy's rule, see above), or IPv4 and/or IPv6, primary first"
                    + " (default: ${DEFAULT-VALUE}).")
    String ipFamilies;

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
        try {
            // The flags alone first: a bad one is reported before anything is contacted.
            ProxierFamilies.resolve(ipFamilies, ProxyConfig.defaults(node), nodeIPs, clusterCIDRs, null, family -> false);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return 2;
        }
        KubeClient client = KubeClient.fromKubeconfig(kubeconfig);
        NetworkNamespace ns = netns == null ? null : NetworkNamespace.existing(netns);
        Function<IpFamily, RulesApplier> appliers = ns == null ? null
                : family -> backend == ProxySyncLoop.Backend.IPTABLES ? RulesApplier.iptablesInNamespace(ns, family)
                        : RulesApplier.nftablesInNamespace(ns, family);
        if (rulesFile != null && rulesFile.toAbsolutePath().getParent() != null) {
            Files.createDirectories(rulesFile.toAbsolutePath().getParent());
        }
        Node nodeObject = null;
        try {
            nodeObject = client.getOrNull(ApiResource.NODES, null, node);
        } catch (RuntimeException e) {
            System.err.println("proxy: cannot read Node " + node + " (" + e.getMessage() + "); no node IP or zone from it");
        }
        List<ProxyConfig> configs;
        try {
            configs = ProxierFamilies.resolve(ipFamilies, ProxyConfig.defaults(node).withNodeZone(nodeZone), nodeIPs, clusterCIDRs,
                    nodeObject, family -> ns == null || supported(ns, family));
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return 2;
        }
        ProxyRuntime proxy = new ProxyRuntime(client, configs, backend, appliers, rulesFile,
                minSync, Duration.ofSeconds(30)).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            proxy.close();
            stopped.countDown();
        }, "proxy-shutdown"));
        for (ProxyConfig c : configs) {
            System.err.println("proxy: node " + node + " " + c.family().apiName() + (c == configs.get(0) ? " (primary)" : "")
                    + ": IP " + c.nodeIP() + ", cluster CIDR " + c.clusterCIDR() + ", zone " + c.nodeZone() + ", " + backend
                    + (netns == null ? " dry-run" : " in netns " + netns)
                    + (rulesFile == null ? "" : ", rules in " + (c == configs.get(0) ? rulesFile : ProxyRuntime.rulesFileFor(rulesFile, c.family())))
                    + " on " + client.config().server());
        }
        stopped.await();
        return 0;
    }

    /**
     * Whether the namespace can take {@code family}'s rules: its save tool (iptables) or table
     * listing (nftables) works there — as kube-proxy checks the secondary family before running it.
     */
    private boolean supported(NetworkNamespace ns, IpFamily family) {
        List<String> probe = backend == ProxySyncLoop.Backend.IPTABLES
                ? List.of(family == IpFamily.IPv4 ? "iptables-legacy-save" : "ip6tables-legacy-save", "-t", "nat")
                : List.of("nft", "list", "tables", family.nft());
        try {
            boolean ok = ns.exec(probe, (byte[]) null).ok();
            if (!ok) {
                System.err.println("proxy: " + String.join(" ", probe) + " fails in netns " + ns.name() + ": not programming "
                        + family.apiName());
            }
            return ok;
        } catch (Exception e) {
            System.err.println("proxy: cannot run " + probe.get(0) + " (" + e.getMessage() + "): not programming " + family.apiName());
            return false;
        }
    }
}
