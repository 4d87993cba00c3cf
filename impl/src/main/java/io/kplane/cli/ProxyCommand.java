package io.kplane.cli;

import io.kplane.model.CodecException;
import io.kplane.model.Json;
import io.kplane.model.KubeObject;
import io.kplane.proxy.iptables.IptablesRenderer;
import io.kplane.proxy.iptables.IptablesRules;
import io.kplane.proxy.iptables.IptablesRuleset;
import io.kplane.proxy.ipvs.IpvsRenderer;
import io.kplane.proxy.ipvs.IpvsRuleset;
import io.kplane.proxy.KubeObjectTranslation;
import io.kplane.proxy.NetworkNamespace;
import io.kplane.proxy.nftables.NftablesRenderer;
import io.kplane.proxy.nftables.NftablesRuleset;
import io.kplane.proxy.ProxyConfig;
import io.kplane.proxy.ServiceTracker;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kplane proxy}: kube-proxy's rule generation, offline. */
@Command(name = "proxy", mixinStandardHelpOptions = true,
        description = "kube-proxy rule generation (iptables, nftables, IPVS) from Services and EndpointSlices.",
        subcommands = {ProxyCommand.Render.class, ProxyRunCommand.class})
public final class ProxyCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The backends kube-proxy offers. */
    public enum Backend { iptables, nftables, ipvs }

    @Command(name = "render", mixinStandardHelpOptions = true,
            description = {"Render the rules kube-proxy would program for the Services and EndpointSlices in FILE",
                "(YAML or JSON; a List such as `kubectl get svc,endpointslices -A -o yaml` output works).",
                "With --apply the rules are loaded into the named network namespace; the host's own",
                "rules are touched only with an explicit --host."})
    static final class Render implements Callable<Integer> {
        @Option(names = "--services", required = true, paramLabel = "FILE", description = "Services and EndpointSlices (YAML/JSON); - for stdin.")
        String services;

        @Option(names = "--backend", defaultValue = "iptables", description = "iptables, nftables or ipvs (default: ${DEFAULT-VALUE}).")
        Backend backend;

        @Option(names = "--node", description = "This node's name: endpoints on it are local (default: the host name).")
        String node;

        @Option(names = "--node-ip", description = "This node's IP (LoadBalancerSourceRanges; IPVS NodePort virtual servers).")
        String nodeIP;

        @Option(names = "--node-zone", description = "This node's topology.kubernetes.io/zone (endpoints' zone hints, trafficDistribution: PreferClose).")
        String nodeZone;

        @Option(names = "--nodeport-addresses-all", description = "nftables: accept NodePorts on every local address, not only --node-ip (upstream's --nodeport-addresses=0.0.0.0/0).")
        boolean nodePortsOnAll;

        @Option(names = "--cluster-cidr", description = "Pod CIDR: traffic from outside it to cluster IPs is masqueraded.")
        String clusterCIDR;

        @Option(names = "--masquerade-all", description = "Masquerade all traffic to cluster IPs.")
        boolean masqueradeAll;

        @Option(names = "--ipvs-scheduler", defaultValue = "rr", description = "IPVS scheduler (default: ${DEFAULT-VALUE}).")
        String ipvsScheduler;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the rules to FILE instead of stdout.")
        Path output;

        @Option(names = "--apply", description = "Load the rules (needs --netns NAME, or --host).")
        boolean apply;

        @Option(names = "--netns", paramLabel = "NAME", description = "Network namespace to apply in (ip netns add NAME).")
        String netns;

        @Option(names = "--host", description = "Apply in the host's own network namespace (changes this machine's firewall!).")
        boolean host;

        @Option(names = "--iptables", defaultValue = "legacy", description = "iptables variant for --apply: legacy, nft or system (default: ${DEFAULT-VALUE}).")
        String iptablesVariant;

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintStream err = System.err;
            if (apply && netns == null && !host) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--apply needs --netns NAME (or --host to change this machine's own rules)");
            }
            if (netns != null && host) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--netns and --host exclude each other");
            }
            if ((netns != null || host) && !apply) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--netns/--host only make sense with --apply");
            }
            String text;
            try {
                text = services.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                        : Files.readString(Path.of(services));
            } catch (NoSuchFileException e) {
                err.println("kplane proxy render: no such file: " + services);
                return 1;
            }
            List<KubeObject> objects;
            try {
                objects = Json.readAll(text);
            } catch (CodecException e) {
                err.println("kplane proxy render: cannot read " + services + ": " + e.getMessage());
                return 1;
            }
            String nodeName = node != null ? node : InetAddress.getLocalHost().getHostName();
            ProxyConfig config = ProxyConfig.defaults(nodeName).withClusterCIDR(clusterCIDR).withNodeIP(nodeIP).withNodeZone(nodeZone)
                    .withNodePortsOnAllAddresses(nodePortsOnAll)
                    .withMasqueradeAll(masqueradeAll).withIpvsScheduler(ipvsScheduler);
            ServiceTracker tracker = new ServiceTracker(nodeName);
            try {
                KubeObjectTranslation.load(tracker, objects);
            } catch (IllegalArgumentException e) {
                err.println("kplane proxy render: " + e.getMessage());
                return 1;
            }
            tracker.applyPending();
            long t0 = System.nanoTime();
            String rules;
            String summary;
            IptablesRuleset ipt = null;
            NftablesRuleset nft = null;
            IpvsRuleset ipvs = null;
            switch (backend) {
                case iptables -> {
                    ipt = new IptablesRenderer(config).render(tracker, Set.of(), true);
                    rules = ipt.text();
                    summary = ipt.filterRules() + " filter rules, " + ipt.natRules() + " nat rules, " + ipt.natChains() + " nat chains";
                }
                case nftables -> {
                    nft = new NftablesRenderer(config).render(tracker, Set.of(), true);
                    rules = nft.text();
                    summary = nft.rules() + " rules, " + nft.elements() + " map elements, " + nft.chainsWritten() + " chains";
                }
                default -> {
                    if (nodeIP == null) {
                        err.println("kplane proxy render: --backend ipvs needs --node-ip (NodePort virtual servers bind to it)");
                        return 1;
                    }
                    ipvs = new IpvsRenderer(config).render(tracker);
                    rules = "### ipvsadm-restore\n" + ipvs.ipvsadmRestore() + "### ip -batch (kube-ipvs0)\n" + ipvs.addressBatch()
                            + "### ipset restore\n" + ipvs.ipsetRestore() + "### iptables-restore --noflush\n" + ipvs.iptablesRestore();
                    summary = ipvs.virtualServers() + " virtual servers, " + ipvs.realServers() + " real servers, "
                            + ipvs.ipsetEntries() + " ipset entries";
                }
            }
            long renderNanos = System.nanoTime() - t0;
            if (output != null) {
                Files.writeString(output, rules);
            } else {
                System.out.print(rules);
                System.out.flush();
            }
            err.printf("kplane proxy render: %d service ports, %d endpoints -> %s backend: %s; %d bytes in %.1f ms%n",
                    tracker.ports().size(), tracker.totalEndpoints(), backend, summary,
                    rules.length(), renderNanos / 1e6);
            if (!apply) {
                return 0;
            }
            NetworkNamespace ns = host ? NetworkNamespace.host() : NetworkNamespace.existing(netns);
            String where = host ? "the host namespace" : "network namespace " + netns;
            try {
                switch (backend) {
                    case iptables -> applyIptables(ns, IptablesRenderer.JUMP_RULES, ipt.text());
                    case nftables -> ns.exec(List.of("nft", "-f", "-"), nft.text()).orThrow("nft -f");
                    default -> {
                        ns.exec(List.of("ipset", "-exist", "restore"), ipvs.ipsetRestore()).orThrow("ipset restore");
                        applyIptables(ns, IpvsRenderer.JUMP_RULES, ipvs.iptablesRestore());
                        ns.exec(List.of("ip", "-force", "-batch", "-"), ipvs.addressBatch())
                                .orThrow("ip -batch (kube-ipvs0; needs the dummy interface module)");
                        ns.exec(List.of("ipvsadm-restore"), ipvs.ipvsadmRestore())
                                .orThrow("ipvsadm-restore (needs the ip_vs kernel module)");
                    }
                }
            } catch (IllegalStateException e) {
                err.println("kplane proxy render: applying in " + where + ": " + e.getMessage());
                return 1;
            }
            err.println("kplane proxy render: applied in " + where);
            return 0;
        }

        private String tool(String base) {
            return switch (iptablesVariant) {
                case "legacy" -> base.replace("iptables", "iptables-legacy");
                case "nft" -> base.replace("iptables", "iptables-nft");
                case "system" -> base;
                default -> throw new CommandLine.ParameterException(spec.commandLine(),
                        "--iptables must be legacy, nft or system, not " + iptablesVariant);
            };
        }

        /** Ensures kube-proxy's jump rules (check, else create chain and insert), then restores without flushing. */
        private void applyIptables(NetworkNamespace ns, List<IptablesRenderer.JumpRule> jumps, String restore) throws IOException {
            String iptables = tool("iptables");
            for (IptablesRenderer.JumpRule j : jumps) {
                List<String> args = IptablesRules.tokenize(j.rule());
                String target = args.get(args.size() - 1);
                List<String> check = new ArrayList<>(List.of(iptables, "-w", "-t", j.table(), "-C", j.chain()));
                check.addAll(args);
                if (ns.exec(check, (byte[]) null).ok()) {
                    continue;
                }
                ns.exec(List.of(iptables, "-w", "-t", j.table(), "-N", target), (byte[]) null); // may exist already
                List<String> insert = new ArrayList<>(List.of(iptables, "-w", "-t", j.table(), "-I", j.chain()));
                insert.addAll(args);
                ns.exec(insert, (byte[]) null).orThrow(String.join(" ", insert));
            }
            ns.exec(List.of(tool("iptables-restore"), "-w", "--noflush"), restore).orThrow(tool("iptables-restore") + " --noflush");
        }
    }
}
