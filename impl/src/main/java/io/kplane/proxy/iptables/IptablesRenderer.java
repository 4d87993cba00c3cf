package io.kplane.proxy.iptables;

import io.kplane.proxy.Cidr;
import io.kplane.proxy.IpFamily;
import io.kplane.proxy.EndpointCategories;
import io.kplane.proxy.EndpointInfo;
import io.kplane.proxy.ExistingChains;
import io.kplane.proxy.NamespacedName;
import io.kplane.proxy.ProxyConfig;
import io.kplane.proxy.ServicePortEntry;
import io.kplane.proxy.ServicePortInfo;
import io.kplane.proxy.ServicePortSpec;
import io.kplane.proxy.ServiceTracker;
import io.kplane.proxy.TrafficPolicy;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders kube-proxy's iptables rules ({@code pkg/proxy/iptables/proxier.go}) as
 * {@code iptables-restore} input: the same chains, names, rule order and arguments, with services in
 * name order (upstream iterates a Go map, i.e. in random order).
 *
 * <p>Partial sync (KEP-3453): the top-level chains (KUBE-SERVICES, KUBE-NODEPORTS, KUBE-POSTROUTING,
 * KUBE-MARK-MASQ and the whole filter table) are written every time; the per-service chains
 * (SVC/SVL/EXT/FW/SEP) only for services that changed, plus flush-and-delete of chains no longer
 * used. Each service port's text is kept between syncs, so a partial sync copies the unchanged
 * services' top-level lines instead of formatting them again.
 *
 * <p>Single writer: one renderer per proxy, called from the sync thread only.
 */
public final class IptablesRenderer {
    static final String KUBE_SERVICES = "KUBE-SERVICES";
    static final String KUBE_EXTERNAL_SERVICES = "KUBE-EXTERNAL-SERVICES";
    static final String KUBE_NODEPORTS = "KUBE-NODEPORTS";
    static final String KUBE_POSTROUTING = "KUBE-POSTROUTING";
    static final String KUBE_MARK_MASQ = "KUBE-MARK-MASQ";
    static final String KUBE_FORWARD = "KUBE-FORWARD";
    static final String KUBE_PROXY_FIREWALL = "KUBE-PROXY-FIREWALL";
    static final String KUBE_FIREWALL = "KUBE-FIREWALL";

    /** A jump from a built-in chain to one of ours; kube-proxy ensures these with {@code iptables -I}, not in the restore input. */
    public record JumpRule(String table, String chain, String rule) {
    }

    /** kube-proxy's {@code iptablesJumpChains} plus the kubelet's KUBE-FIREWALL jumps, in its order. */
    public static final List<JumpRule> JUMP_RULES = List.of(
            new JumpRule("filter", "INPUT", "-m conntrack --ctstate NEW -m comment --comment \"kubernetes externally-visible service portals\" -j KUBE-EXTERNAL-SERVICES"),
            new JumpRule("filter", "FORWARD", "-m conntrack --ctstate NEW -m comment --comment \"kubernetes externally-visible service portals\" -j KUBE-EXTERNAL-SERVICES"),
            new JumpRule("filter", "INPUT", "-m comment --comment \"kubernetes health check service ports\" -j KUBE-NODEPORTS"),
            new JumpRule("filter", "FORWARD", "-m conntrack --ctstate NEW -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES"),
            new JumpRule("filter", "OUTPUT", "-m conntrack --ctstate NEW -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES"),
            new JumpRule("filter", "FORWARD", "-m comment --comment \"kubernetes forwarding rules\" -j KUBE-FORWARD"),
            new JumpRule("filter", "INPUT", "-m conntrack --ctstate NEW -m comment --comment \"kubernetes load balancer firewall\" -j KUBE-PROXY-FIREWALL"),
            new JumpRule("filter", "OUTPUT", "-m conntrack --ctstate NEW -m comment --comment \"kubernetes load balancer firewall\" -j KUBE-PROXY-FIREWALL"),
            new JumpRule("filter", "FORWARD", "-m conntrack --ctstate NEW -m comment --comment \"kubernetes load balancer firewall\" -j KUBE-PROXY-FIREWALL"),
            new JumpRule("nat", "OUTPUT", "-m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES"),
            new JumpRule("nat", "PREROUTING", "-m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES"),
            new JumpRule("nat", "POSTROUTING", "-m comment --comment \"kubernetes postrouting rules\" -j KUBE-POSTROUTING"),
            new JumpRule("filter", "INPUT", "-j KUBE-FIREWALL"),
            new JumpRule("filter", "OUTPUT", "-j KUBE-FIREWALL"));

    /**
     * The jump rules of {@code family}'s proxier: the IPv6 one has no KUBE-FIREWALL (its localnet
     * guard exists only for IPv4's route_localnet).
     */
    public static List<JumpRule> jumpRules(IpFamily family) {
        return family == IpFamily.IPv4 ? JUMP_RULES
                : JUMP_RULES.stream().filter(j -> !j.rule().endsWith("-j " + KUBE_FIREWALL)).toList();
    }

    /** The text of one service port, kept between syncs. */
    private static final class Fragment {
        String filterRules;
        int filterRuleCount;
        String natTopRules;
        int natTopRuleCount;
        /** Chain rules rendered by a partial sync, written by the same sync's pass over all services. */
        String pendingChainRules;
        int natChainRuleCount;
        List<String> chains;
        int noLocalInternal;
        int noLocalExternal;
    }

    private final ProxyConfig config;
    private final String mark;
    private final String ifNotLocal;
    private final String ifLocal;
    private final Map<NamespacedName, List<Fragment>> renderedByService = new HashMap<>();
    /** Service chains installed by the last sync (what a partial sync must not forget to delete). */
    private Set<String> installedChains = new HashSet<>();
    private final List<String> probabilities = new ArrayList<>();
    private final StringBuilder scratch = new StringBuilder(1 << 12);
    private final StringBuilder chainScratch = new StringBuilder(1 << 12);
    private final StringBuilder out = new StringBuilder(1 << 16);
    private final StringBuilder natChainsOut = new StringBuilder(1 << 16);
    private final StringBuilder natRulesOut = new StringBuilder(1 << 16);
    private boolean largeClusterMode;
    private boolean needFullSync = true;
    private int noLocalEndpointsInternal;
    private int noLocalEndpointsExternal;

    public IptablesRenderer(ProxyConfig config) {
        this.config = config;
        this.mark = config.masqueradeMark();
        this.ifNotLocal = config.clusterCIDR() == null ? null : "! -s " + config.clusterCIDR();
        this.ifLocal = config.clusterCIDR() == null ? null : "-s " + config.clusterCIDR();
        probabilities.add("<bad value>");
    }

    /** Forces the next {@link #render} to be a full sync (after a failed restore, or periodically). */
    public void requestFullSync() {
        needFullSync = true;
    }

    public boolean needsFullSync() {
        return needFullSync;
    }

    /** Whether the last render was in large-cluster mode (no per-endpoint comments). */
    public boolean largeClusterMode() {
        return largeClusterMode;
    }

    /** kube-proxy's {@code sync_proxy_rules_no_local_endpoints_total{traffic_policy="internal"}} after the last render. */
    public int noLocalEndpointsInternal() {
        return noLocalEndpointsInternal;
    }

    public int noLocalEndpointsExternal() {
        return noLocalEndpointsExternal;
    }

    /**
     * Renders the restore input for the tracker's current table. {@code changed} are the Services
     * changed since the last render (from {@link ServiceTracker#applyPending()}); {@code full} asks
     * for a full sync. The renderer assumes the input will be applied; if applying fails, call
     * {@link #requestFullSync()}.
     */
    public IptablesRuleset render(ServiceTracker tracker, Set<NamespacedName> changed, boolean full) {
        boolean large = tracker.totalEndpoints() > config.largeClusterThreshold();
        boolean doFull = full || needFullSync || large != largeClusterMode;
        largeClusterMode = large;
        Set<String> previous = doFull ? beginFullSync(tracker) : chainsOfChangedServices(changed);
        Set<String> current = doFull ? installedChains : new HashSet<>();

        out.setLength(0);
        natChainsOut.setLength(0);
        natRulesOut.setLength(0);
        noLocalEndpointsInternal = 0;
        noLocalEndpointsExternal = 0;
        Counts c = new Counts();
        filterHeader(c);
        natHeader(c);
        List<String> deleted = doFull
                ? renderFull(tracker, previous, current, c)
                : renderPartial(tracker, changed, previous, current, c);
        if (!doFull) {
            installedChains.addAll(current);
        }
        needFullSync = false;
        return new IptablesRuleset(out.toString(), doFull, c.filterRules, c.natRules, c.natRulesTotal, c.natChains,
                List.copyOf(deleted), c.servicesWritten);
    }

    /** What one sync wrote, for the ruleset and kube-proxy's metrics. */
    private static final class Counts {
        int filterRules;
        int natRules;
        int natRulesTotal;
        int natChains;
        int servicesWritten;
    }

    /**
     * A full sync: everything installed so far is "previous", the new set is filled by this sync.
     * Sized for this sync's chains (a service chain per port, one per endpoint, a few more): growing
     * a set of ~110k names by rehashing was a tenth of a 10k-service render. The builders are sized
     * once instead of doubling through tens of megabytes.
     */
    private Set<String> beginFullSync(ServiceTracker tracker) {
        Set<String> previous = installedChains;
        int expected = Math.max(previous.size(), 2 * tracker.ports().size() + tracker.totalEndpoints());
        installedChains = new HashSet<>(Math.max(16, (int) (expected / 0.75f) + 1));
        renderedByService.clear();
        long estimate = 256L * tracker.ports().size() + 300L * tracker.totalEndpoints();
        int cap = (int) Math.min(Integer.MAX_VALUE - 64, estimate);
        natRulesOut.ensureCapacity(cap);
        out.ensureCapacity(cap + (cap >> 3));
        natChainsOut.ensureCapacity((int) Math.min(Integer.MAX_VALUE - 64, 40L * (tracker.ports().size() + tracker.totalEndpoints())));
        return previous;
    }

    /** A partial sync: the chains the changed services had before it. */
    private Set<String> chainsOfChangedServices(Set<NamespacedName> changed) {
        Set<String> previous = new HashSet<>();
        for (NamespacedName svc : changed) {
            List<Fragment> old = renderedByService.remove(svc);
            if (old != null) {
                for (Fragment f : old) {
                    previous.addAll(f.chains);
                }
            }
        }
        return previous;
    }

    /** The filter table's fixed chains (and, with localhost NodePorts, the kubelet's KUBE-FIREWALL rule). */
    private void filterHeader(Counts c) {
        out.append("*filter\n");
        for (String chain : new String[] {KUBE_SERVICES, KUBE_EXTERNAL_SERVICES, KUBE_FORWARD, KUBE_NODEPORTS,
                KUBE_PROXY_FIREWALL}) {
            chainLine(out, chain);
        }
        if (config.localhostNodePorts() && config.family() == IpFamily.IPv4) {
            chainLine(out, KUBE_FIREWALL);
            out.append("-A KUBE-FIREWALL -m comment --comment \"block incoming localnet connections\" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP\n");
            c.filterRules++;
        }
    }

    /** The nat table's fixed chains and the KUBE-POSTROUTING / KUBE-MARK-MASQ rules. */
    private void natHeader(Counts c) {
        for (String chain : new String[] {KUBE_SERVICES, KUBE_NODEPORTS, KUBE_POSTROUTING, KUBE_MARK_MASQ}) {
            chainLine(natChainsOut, chain);
            c.natChains++;
        }
        natRulesOut.append("-A KUBE-POSTROUTING -m mark ! --mark ").append(mark).append('/').append(mark).append(" -j RETURN\n");
        natRulesOut.append("-A KUBE-POSTROUTING -j MARK --xor-mark ").append(mark).append('\n');
        natRulesOut.append("-A KUBE-POSTROUTING -m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE --random-fully\n");
        natRulesOut.append("-A KUBE-MARK-MASQ -j MARK --or-mark ").append(mark).append('\n');
        c.natRules += 4;
        c.natRulesTotal += 4;
    }

    /** Every service's chains and rules, written straight into the nat section. Returns the deleted chains. */
    private List<String> renderFull(ServiceTracker tracker, Set<String> previous, Set<String> current, Counts c) {
        for (ServicePortEntry entry : tracker.ports().values()) {
            Fragment f = renderAndKeep(entry, natRulesOut, current, c);
            c.natRules += f.natTopRuleCount + f.natChainRuleCount;
            countAndWriteFilter(f, c);
        }
        List<String> deleted = staleChains(previous, current, c);
        for (String d : deleted) {
            natRulesOut.append("-X ").append(d).append('\n');
        }
        nodePortsTail(natRulesOut, c);
        forwardRules(c);
        out.append("COMMIT\n*nat\n");
        out.ensureCapacity(out.length() + natChainsOut.length() + natRulesOut.length() + 16);
        out.append(natChainsOut).append(natRulesOut).append("COMMIT\n");
        return deleted;
    }

    /**
     * The changed services' chains, and every service's top-level lines copied from its kept text;
     * two passes so that the (large) top-level nat rules go straight into the output.
     */
    private List<String> renderPartial(ServiceTracker tracker, Set<NamespacedName> changed, Set<String> previous,
                                       Set<String> current, Counts c) {
        for (NamespacedName svc : changed) {
            for (ServicePortEntry entry : tracker.entriesOf(svc)) {
                renderAndKeep(entry, null, current, c);
            }
        }
        for (ServicePortEntry entry : tracker.ports().values()) {
            Fragment f = (Fragment) entry.fragment(this);
            if (f == null) {
                // Kept by another renderer since (a renderer keeps the text of the entries it wrote).
                f = renderAndKeep(entry, null, current, c);
            }
            countAndWriteFilter(f, c);
        }
        List<String> deleted = staleChains(previous, current, c);
        forwardRules(c);
        out.append("COMMIT\n*nat\n");
        out.append(natChainsOut).append(natRulesOut);
        for (ServicePortEntry entry : tracker.ports().values()) {
            Fragment f = (Fragment) entry.fragment(this);
            out.append(f.natTopRules);
            c.natRules += f.natTopRuleCount;
            if (f.pendingChainRules != null) {
                out.append(f.pendingChainRules);
                c.natRules += f.natChainRuleCount;
                f.pendingChainRules = null;
            }
        }
        for (String d : deleted) {
            out.append("-X ").append(d).append('\n');
        }
        nodePortsTail(out, c);
        out.append("COMMIT\n");
        return deleted;
    }

    /** Renders one service port (chain lines into the nat chains section) and keeps its text. */
    private Fragment renderAndKeep(ServicePortEntry entry, StringBuilder rulesSink, Set<String> current, Counts c) {
        Fragment f = renderService(entry, natChainsOut, rulesSink);
        entry.keepFragment(this, f);
        renderedByService.computeIfAbsent(entry.info().service(), k -> new ArrayList<>(1)).add(f);
        current.addAll(f.chains);
        c.natChains += f.chains.size();
        c.servicesWritten++;
        return f;
    }

    private void countAndWriteFilter(Fragment f, Counts c) {
        noLocalEndpointsInternal += f.noLocalInternal;
        noLocalEndpointsExternal += f.noLocalExternal;
        out.append(f.filterRules);
        c.filterRules += f.filterRuleCount;
        c.natRulesTotal += f.natTopRuleCount + f.natChainRuleCount;
    }

    /** Chains used before but not now: a chain line (which flushes) now, the {@code -X} after the rules. */
    private List<String> staleChains(Set<String> previous, Set<String> current, Counts c) {
        List<String> deleted = new ArrayList<>();
        for (String ch : previous) {
            if (!current.contains(ch)) {
                deleted.add(ch);
            }
        }
        deleted.sort(null);
        for (String d : deleted) {
            chainLine(natChainsOut, d);
            c.natChains++;
            installedChains.remove(d);
        }
        return deleted;
    }

    private void nodePortsTail(StringBuilder sb, Counts c) {
        sb.append("-A KUBE-SERVICES -m comment --comment \"kubernetes service nodeports; NOTE: this must be the last rule in this chain\" -m addrtype --dst-type LOCAL");
        // Localhost NodePorts never work for IPv6, and for IPv4 only with route_localnet (upstream).
        if (config.family() == IpFamily.IPv6) {
            sb.append(" ! -d ::1/128");
        } else if (!config.localhostNodePorts()) {
            sb.append(" ! -d 127.0.0.0/8");
        }
        sb.append(" -j KUBE-NODEPORTS\n");
        c.natRules++;
        c.natRulesTotal++;
    }

    private void forwardRules(Counts c) {
        out.append("-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP\n");
        out.append("-A KUBE-FORWARD -m comment --comment \"kubernetes forwarding rules\" -m mark --mark ")
                .append(mark).append('/').append(mark).append(" -j ACCEPT\n");
        out.append("-A KUBE-FORWARD -m comment --comment \"kubernetes forwarding conntrack rule\" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n");
        c.filterRules += 3;
    }

    /**
     * Chains found in the kernel ({@link ExistingChains#fromIptablesSave}) before a full sync,
     * e.g. left by an earlier process: they count as installed, so the full sync deletes those no
     * service uses now (upstream reads {@code iptables-save} for the same reason).
     */
    public void adoptExistingChains(java.util.Collection<String> chains) {
        for (String c : chains) {
            if (ExistingChains.isIptablesServiceChain(c)) {
                installedChains.add(c);
            }
        }
        needFullSync = true;
    }

    /** The service chains the rules installed so far define (for tests and for cleanup). */
    public Set<String> installedChains() {
        return java.util.Collections.unmodifiableSet(installedChains);
    }

    private static void chainLine(StringBuilder sb, String chain) {
        sb.append(':').append(chain).append(" - [0:0]\n");
    }

    private String probability(int n) {
        while (probabilities.size() <= n) {
            int i = probabilities.size();
            // Go's %0.10f rounds the exact binary value half-to-even; BigDecimal(double) is that exact value.
            probabilities.add(new BigDecimal(1.0 / i).setScale(10, RoundingMode.HALF_EVEN).toPlainString());
        }
        return probabilities.get(n);
    }

    /** What one service port's rules are made of, computed once and read by the per-chain writers. */
    private static final class ServiceRules {
        ServicePortInfo svc;
        ServicePortSpec spec;
        String proto;
        String name;
        EndpointCategories cat;
        boolean hasEndpoints;
        String clusterPolicyChain;
        String localPolicyChain;
        String internalTrafficChain;
        boolean hasInternalEndpoints;
        String externalPolicyChain;
        boolean hasExternalEndpoints;
        String externalTrafficChain;
        String loadBalancerTrafficChain;
        String fwChain;
        boolean usesFWChain;
        String internalFilterTarget;
        String internalFilterComment;
        String externalFilterTarget;
        String externalFilterComment;
    }

    /**
     * Renders one service port, following syncProxyRules' per-service loop line for line. Chain lines go to {@code chainLines}; the top-level nat rules are
     * kept in the fragment and, with {@code rulesSink} given (full sync), written there followed by
     * the service's chain rules; without it (partial sync) the chain rules are kept in
     * {@link Fragment#pendingChainRules} for the pass that writes every service's top-level rules.
     */
    private Fragment renderService(ServicePortEntry entry, StringBuilder chainLines, StringBuilder rulesSink) {
        ServiceRules r = new ServiceRules();
        r.svc = entry.info();
        r.spec = r.svc.spec();
        r.proto = r.svc.protocol();
        r.name = r.svc.nameString();
        r.cat = EndpointCategories.of(entry.endpoints(), r.svc, config.nodeName(), config.nodeZone());
        TrafficPolicy policy = TrafficPolicy.of(r.svc, r.cat);
        r.hasEndpoints = policy.hasEndpoints();
        r.clusterPolicyChain = r.svc.clusterChain();
        r.localPolicyChain = r.svc.localChain();
        r.internalTrafficChain = policy.internalChain(r.clusterPolicyChain, r.localPolicyChain);
        r.hasInternalEndpoints = policy.hasInternalEndpoints();
        r.externalPolicyChain = policy.externalChain(r.clusterPolicyChain, r.localPolicyChain);
        r.hasExternalEndpoints = policy.hasExternalEndpoints();
        r.externalTrafficChain = r.svc.externalChain();
        r.fwChain = r.svc.firewallChain();
        r.usesFWChain = r.hasEndpoints && !r.spec.loadBalancerIPs().isEmpty() && !r.spec.loadBalancerSourceRanges().isEmpty();
        r.loadBalancerTrafficChain = r.usesFWChain ? r.fwChain : r.externalTrafficChain;

        Fragment f = new Fragment();
        filterVerdicts(r, f);
        StringBuilder sb = scratch;
        sb.setLength(0);
        f.filterRuleCount = filterRules(r, sb);
        f.filterRules = sb.toString();

        // KUBE-SERVICES / KUBE-NODEPORTS lines (written on every sync)
        sb.setLength(0);
        f.natTopRuleCount = natTopRules(r, sb);
        f.natTopRules = sb.toString();
        if (rulesSink != null) {
            rulesSink.append(f.natTopRules);
        }

        // The service's own chains (written only when the service changed)
        List<String> chains = new ArrayList<>(2 + r.cat.reachable().size());
        StringBuilder rules = rulesSink != null ? rulesSink : chainScratch;
        if (rulesSink == null) {
            chainScratch.setLength(0);
        }
        int ruleCount = clusterIPMasqueradeRules(r, rules);
        if (policy.usesExternalTrafficChain()) {
            chains.add(r.externalTrafficChain);
            ruleCount += externalTrafficChainRules(r, rules);
        }
        if (r.usesFWChain) {
            chains.add(r.fwChain);
            ruleCount += firewallChainRules(r, rules);
        }
        if (policy.usesClusterPolicyChain()) {
            chains.add(r.clusterPolicyChain);
            ruleCount += writeServiceToEndpointRules(rules, r.name, r.spec, r.clusterPolicyChain, r.cat.cluster());
        }
        if (policy.usesLocalPolicyChain()) {
            chains.add(r.localPolicyChain);
            ruleCount += writeServiceToEndpointRules(rules, r.name, r.spec, r.localPolicyChain, r.cat.local());
        }
        for (EndpointInfo ep : r.cat.reachable()) {
            chains.add(ep.chain());
            ruleCount += endpointChainRules(r, ep, rules);
        }
        if (rulesSink == null) {
            f.pendingChainRules = rules.toString();
        }
        f.natChainRuleCount = ruleCount;
        for (String c : chains) {
            chainLine(chainLines, c);
        }
        f.chains = chains;
        return f;
    }

    /** REJECT without endpoints at all, DROP without the endpoints a traffic policy needs. */
    private static void filterVerdicts(ServiceRules r, Fragment f) {
        if (!r.hasEndpoints) {
            r.internalFilterTarget = "REJECT";
            r.internalFilterComment = "\"" + r.name + " has no endpoints\"";
            r.externalFilterTarget = "REJECT";
            r.externalFilterComment = r.internalFilterComment;
            return;
        }
        if (!r.hasInternalEndpoints) {
            r.internalFilterTarget = "DROP";
            r.internalFilterComment = "\"" + r.name + " has no local endpoints\"";
            f.noLocalInternal = 1;
        }
        if (!r.hasExternalEndpoints) {
            r.externalFilterTarget = "DROP";
            r.externalFilterComment = "\"" + r.name + " has no local endpoints\"";
            f.noLocalExternal = 1;
        }
    }

    /** The filter table: KUBE-SERVICES, KUBE-EXTERNAL-SERVICES, KUBE-PROXY-FIREWALL, KUBE-NODEPORTS lines. */
    private static int filterRules(ServiceRules r, StringBuilder sb) {
        ServicePortSpec spec = r.spec;
        int n = 0;
        if (!r.hasInternalEndpoints) {
            sb.append("-A KUBE-SERVICES -m comment --comment ").append(r.internalFilterComment);
            protoDst(sb, r.proto, spec.clusterIP(), r.svc.portString());
            sb.append(" -j ").append(r.internalFilterTarget).append('\n');
            n++;
        }
        if (!r.hasExternalEndpoints) {
            for (String ip : spec.externalIPs()) {
                sb.append("-A KUBE-EXTERNAL-SERVICES -m comment --comment ").append(r.externalFilterComment);
                protoDst(sb, r.proto, ip, r.svc.portString());
                sb.append(" -j ").append(r.externalFilterTarget).append('\n');
                n++;
            }
        }
        if (r.usesFWChain) {
            for (String lb : spec.loadBalancerIPs()) {
                sb.append("-A KUBE-PROXY-FIREWALL -m comment --comment \"").append(r.name)
                        .append(" traffic not accepted by ").append(r.fwChain).append('"');
                protoDst(sb, r.proto, lb, r.svc.portString());
                sb.append(" -j DROP\n");
                n++;
            }
        }
        if (!r.hasExternalEndpoints) {
            for (String lb : spec.loadBalancerIPs()) {
                sb.append("-A KUBE-EXTERNAL-SERVICES -m comment --comment ").append(r.externalFilterComment);
                protoDst(sb, r.proto, lb, r.svc.portString());
                sb.append(" -j ").append(r.externalFilterTarget).append('\n');
                n++;
            }
        }
        if (spec.nodePort() != 0 && !r.hasExternalEndpoints) {
            sb.append("-A KUBE-EXTERNAL-SERVICES -m comment --comment ").append(r.externalFilterComment)
                    .append(" -m addrtype --dst-type LOCAL -m ").append(r.proto).append(" -p ").append(r.proto)
                    .append(" --dport ").append(r.svc.nodePortString()).append(" -j ").append(r.externalFilterTarget).append('\n');
            n++;
        }
        if (spec.healthCheckNodePort() != 0) {
            sb.append("-A KUBE-NODEPORTS -m comment --comment \"").append(r.name)
                    .append(" health check node port\" -m tcp -p tcp --dport ").append(spec.healthCheckNodePort())
                    .append(" -j ACCEPT\n");
            n++;
        }
        return n;
    }

    /** The nat table's dispatch: the service's lines in KUBE-SERVICES and KUBE-NODEPORTS. */
    private static int natTopRules(ServiceRules r, StringBuilder sb) {
        ServicePortSpec spec = r.spec;
        int n = 0;
        if (r.hasInternalEndpoints) {
            sb.append("-A KUBE-SERVICES -m comment --comment \"").append(r.name).append(" cluster IP\"");
            protoDst(sb, r.proto, spec.clusterIP(), r.svc.portString());
            sb.append(" -j ").append(r.internalTrafficChain).append('\n');
            n++;
        }
        if (!r.hasEndpoints) {
            return n;
        }
        for (String ip : spec.externalIPs()) {
            sb.append("-A KUBE-SERVICES -m comment --comment \"").append(r.name).append(" external IP\"");
            protoDst(sb, r.proto, ip, r.svc.portString());
            sb.append(" -j ").append(r.externalTrafficChain).append('\n');
            n++;
        }
        for (String lb : spec.loadBalancerIPs()) {
            sb.append("-A KUBE-SERVICES -m comment --comment \"").append(r.name).append(" loadbalancer IP\"");
            protoDst(sb, r.proto, lb, r.svc.portString());
            sb.append(" -j ").append(r.loadBalancerTrafficChain).append('\n');
            n++;
        }
        if (spec.nodePort() != 0) {
            // localhost NodePorts get a separate nfacct-counted rule only when the nfacct
            // counter exists; kplane does not create nfacct objects, so that rule is omitted.
            sb.append("-A KUBE-NODEPORTS -m comment --comment ").append(r.name)
                    .append(" -m ").append(r.proto).append(" -p ").append(r.proto)
                    .append(" --dport ").append(r.svc.nodePortString())
                    .append(" -j ").append(r.externalTrafficChain).append('\n');
            n++;
        }
        return n;
    }

    /** The internal traffic chain's masquerade rule for traffic from outside the cluster CIDR. */
    private int clusterIPMasqueradeRules(ServiceRules r, StringBuilder rules) {
        if (!r.hasInternalEndpoints || !(config.masqueradeAll() || ifNotLocal != null)) {
            return 0;
        }
        rules.append("-A ").append(r.internalTrafficChain).append(" -m comment --comment \"").append(r.name)
                .append(" cluster IP\"");
        protoDst(rules, r.proto, r.spec.clusterIP(), r.svc.portString());
        if (!config.masqueradeAll()) {
            rules.append(' ').append(ifNotLocal);
        }
        rules.append(" -j KUBE-MARK-MASQ\n");
        return 1;
    }

    /** KUBE-EXT-: masquerade (or short-circuit local traffic under Local policy), then the policy chain. */
    private int externalTrafficChainRules(ServiceRules r, StringBuilder rules) {
        String ext = r.externalTrafficChain;
        int n = 0;
        if (!r.svc.externalPolicyLocal()) {
            rules.append("-A ").append(ext).append(" -m comment --comment \"masquerade traffic for ").append(r.name)
                    .append(" external destinations\" -j KUBE-MARK-MASQ\n");
            n++;
        } else {
            if (ifLocal != null) {
                rules.append("-A ").append(ext).append(" -m comment --comment \"pod traffic for ")
                        .append(r.name).append(" external destinations\" ").append(ifLocal)
                        .append(" -j ").append(r.clusterPolicyChain).append('\n');
                n++;
            }
            rules.append("-A ").append(ext).append(" -m comment --comment \"masquerade LOCAL traffic for ").append(r.name)
                    .append(" external destinations\" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ\n");
            rules.append("-A ").append(ext).append(" -m comment --comment \"route LOCAL traffic for ").append(r.name)
                    .append(" external destinations\" -m addrtype --src-type LOCAL -j ")
                    .append(r.clusterPolicyChain).append('\n');
            n += 2;
        }
        if (r.hasExternalEndpoints) {
            rules.append("-A ").append(ext).append(" -j ").append(r.externalPolicyChain).append('\n');
            n++;
        }
        return n;
    }

    /** KUBE-FW-: LoadBalancerSourceRanges (and the LB IPs themselves when the node is in a range). */
    private int firewallChainRules(ServiceRules r, StringBuilder rules) {
        String prefix = "-A " + r.fwChain + " -m comment --comment \"" + r.name + " loadbalancer IP\"";
        int n = 0;
        boolean allowFromNode = false;
        for (String cidr : r.spec.loadBalancerSourceRanges()) {
            rules.append(prefix).append(" -s ").append(cidr).append(" -j ").append(r.externalTrafficChain).append('\n');
            n++;
            if (config.nodeIP() != null && Cidr.parse(cidr).contains(config.nodeIP())) {
                allowFromNode = true;
            }
        }
        if (allowFromNode) {
            for (String lb : r.spec.loadBalancerIPs()) {
                rules.append(prefix).append(" -s ").append(lb).append(" -j ").append(r.externalTrafficChain).append('\n');
                n++;
            }
        }
        rules.append("-A ").append(r.fwChain).append(" -m comment --comment \"other traffic to ").append(r.name)
                .append(" will be dropped by KUBE-PROXY-FIREWALL\"\n");
        return n + 1;
    }

    /** KUBE-SEP-: hairpin masquerade and the DNAT (with the affinity recorder). */
    private int endpointChainRules(ServiceRules r, EndpointInfo ep, StringBuilder rules) {
        String sep = ep.chain();
        rules.append("-A ").append(sep);
        if (!largeClusterMode) {
            rules.append(" -m comment --comment ").append(r.name);
        }
        rules.append(" -s ").append(ep.ip()).append(" -j KUBE-MARK-MASQ\n");
        rules.append("-A ").append(sep);
        if (!largeClusterMode) {
            rules.append(" -m comment --comment ").append(r.name);
        }
        if (r.spec.clientIPAffinity()) {
            rules.append(" -m recent --name ").append(sep).append(" --set");
        }
        rules.append(" -m ").append(r.proto).append(" -p ").append(r.proto).append(" -j DNAT --to-destination ")
                .append(ep.address()).append('\n');
        return 2;
    }

    private int writeServiceToEndpointRules(StringBuilder rules, String name, ServicePortSpec spec, String svcChain,
                                            List<EndpointInfo> endpoints) {
        int count = 0;
        if (spec.clientIPAffinity()) {
            for (EndpointInfo ep : endpoints) {
                rules.append("-A ").append(svcChain);
                if (!largeClusterMode) {
                    rules.append(" -m comment --comment \"").append(name).append(" -> ").append(ep.address()).append('"');
                }
                rules.append(" -m recent --name ").append(ep.chain()).append(" --rcheck --seconds ")
                        .append(spec.stickySeconds()).append(" --reap -j ").append(ep.chain()).append('\n');
                count++;
            }
        }
        int n = endpoints.size();
        for (int i = 0; i < n; i++) {
            EndpointInfo ep = endpoints.get(i);
            rules.append("-A ").append(svcChain);
            if (!largeClusterMode) {
                rules.append(" -m comment --comment \"").append(name).append(" -> ").append(ep.address()).append('"');
            }
            if (i < n - 1) {
                rules.append(" -m statistic --mode random --probability ").append(probability(n - i));
            }
            rules.append(" -j ").append(ep.chain()).append('\n');
            count++;
        }
        return count;
    }

    private static void protoDst(StringBuilder sb, String proto, String ip, String port) {
        sb.append(" -m ").append(proto).append(" -p ").append(proto).append(" -d ").append(ip)
                .append(" --dport ").append(port);
    }
}
