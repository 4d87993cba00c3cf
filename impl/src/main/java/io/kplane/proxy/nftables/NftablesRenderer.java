package io.kplane.proxy.nftables;

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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders kube-proxy's nftables rules (KEP-3866, {@code pkg/proxy/nftables/proxier.go}) as an
 * {@code nft -f} transaction in the form knftables writes: {@code table ip kube-proxy}, base
 * chains at the upstream priorities, dispatch through the {@code service-ips} and
 * {@code service-nodeports} verdict maps, {@code numgen random mod N vmap} load balancing,
 * per-endpoint affinity sets, and chain names {@code service-HASH8-ns/svc/proto/port}.
 *
 * <p>A full sync sets up the table and every chain and element; a partial sync touches only the
 * chains of changed services and the map elements that differ. Chains that fell out of use are
 * flushed at once and deleted by the next sync (as upstream does, because older kernels notice
 * a map element's removal only a little later). Single writer.
 */
public final class NftablesRenderer {
    /** {@code ip kube-proxy } or {@code ip6 kube-proxy }: the table every command names. */
    private final String T;
    /** {@code ip} / {@code ip6}: the address match keyword. */
    private final String ipX;
    private final String addrType;
    private final String noLocalhost;

    /** One map/set element a service contributes. */
    private record Elem(String container, String key, String value, String comment) {
        String id() {
            return container + "|" + key;
        }
    }

    private static final class Fragment {
        int ruleCount;
        List<Elem> elems;
        List<String> chains;
        List<String> affinitySets;
    }

    private final ProxyConfig config;
    private final String mark;
    private final Map<NamespacedName, List<Fragment>> renderedByService = new HashMap<>();
    private Set<String> installedChains = new HashSet<>();
    private final Set<String> installedAffinitySets = new HashSet<>();
    private final List<String> pendingChainDeletes = new ArrayList<>();
    private final StringBuilder out = new StringBuilder(1 << 16);
    private boolean needFullSync = true;
    private boolean baseChainsRecreated;

    public NftablesRenderer(ProxyConfig config) {
        this.config = config;
        this.mark = config.masqueradeMark();
        IpFamily f = config.family();
        this.T = f.nft() + " kube-proxy ";
        this.ipX = f.nft();
        this.addrType = f.nftAddressType();
        // upstream's noLocalhost
        this.noLocalhost = f == IpFamily.IPv4 ? "ip daddr != 127.0.0.0/8" : "ip6 daddr != ::1";
    }

    public void requestFullSync() {
        needFullSync = true;
    }

    public boolean needsFullSync() {
        return needFullSync;
    }

    /**
     * Chains found in the kernel ({@link ExistingChains#fromNftList}) before a full sync, e.g.
     * left by an earlier process: they count as installed, so the full sync flushes those no
     * service uses now and the next sync deletes them, as for chains this process dropped.
     */
    public void adoptExistingChains(java.util.Collection<String> chains) {
        if (installedChains.isEmpty()) {
            installedChains = new HashSet<>();
        }
        for (String c : chains) {
            if (c.indexOf('/') >= 0) {
                installedChains.add(c);
            }
        }
        needFullSync = true;
    }

    public Set<String> installedChains() {
        return java.util.Collections.unmodifiableSet(installedChains);
    }

    public NftablesRuleset render(ServiceTracker tracker, Set<NamespacedName> changed, boolean full) {
        boolean doFull = full || needFullSync;
        out.setLength(0);
        int[] counts = new int[3]; // rules, elements, chains
        deletePendingChains();
        Previous previous = new Previous();
        if (doFull) {
            out.ensureCapacity((int) Math.min(Integer.MAX_VALUE - 64, estimateFullSize(tracker)));
            setup(counts);
            previous.chains.addAll(installedChains);
            previous.sets.addAll(installedAffinitySets);
            renderedByService.clear();
        } else {
            previous.takeFrom(renderedByService, changed);
        }
        // Sized up front: a full sync of 10k services adds ~110k chain names, and rehashing them
        // while the set grows showed up as a fifth of the render time.
        Set<String> currentChains = doFull
                ? new HashSet<>((int) ((tracker.ports().size() + tracker.totalEndpoints()) / 0.75f) + 16)
                : new HashSet<>();
        Set<String> currentSets = new HashSet<>();
        List<ServicePortEntry> toWrite = doFull ? List.copyOf(tracker.ports().values()) : entriesOf(tracker, changed);
        for (ServicePortEntry entry : toWrite) {
            Fragment f = renderService(entry, out, doFull);
            entry.keepFragment(this, f);
            renderedByService.computeIfAbsent(entry.info().service(), k -> new ArrayList<>(1)).add(f);
            currentChains.addAll(f.chains);
            currentSets.addAll(f.affinitySets);
            counts[2] += f.chains.size();
            counts[0] += f.ruleCount;
            if (doFull) {
                counts[1] += f.elems.size();
            }
        }
        if (!doFull) {
            counts[1] += writeElementChanges(toWrite, previous.elems);
        }
        // Elements of changed services that no longer exist.
        for (Elem e : previous.elems.values()) {
            deleteElement(out, e);
        }
        List<String> stale = flushStaleChains(previous.chains, currentChains);
        deleteStaleSets(previous.sets, currentSets);
        if (installedChains.isEmpty()) {
            installedChains = currentChains;  // the first full sync: no need to copy 100k names
        } else {
            installedChains.addAll(currentChains);
        }
        installedAffinitySets.addAll(currentSets);
        needFullSync = false;
        return new NftablesRuleset(out.toString(), doFull, counts[0], counts[1], counts[2], List.copyOf(stale), toWrite.size());
    }

    /** What the services rewritten by this sync had before it: chains, affinity sets, map elements. */
    private static final class Previous {
        final Set<String> chains = new HashSet<>();
        final Set<String> sets = new HashSet<>();
        final Map<String, Elem> elems = new LinkedHashMap<>();

        void takeFrom(Map<NamespacedName, List<Fragment>> rendered, Set<NamespacedName> changed) {
            for (NamespacedName svc : changed) {
                List<Fragment> old = rendered.remove(svc);
                if (old != null) {
                    for (Fragment f : old) {
                        chains.addAll(f.chains);
                        sets.addAll(f.affinitySets);
                        for (Elem e : f.elems) {
                            elems.put(e.id(), e);
                        }
                    }
                }
            }
        }
    }

    private static List<ServicePortEntry> entriesOf(ServiceTracker tracker, Set<NamespacedName> changed) {
        List<ServicePortEntry> out = new ArrayList<>();
        for (NamespacedName svc : changed) {
            out.addAll(tracker.entriesOf(svc));
        }
        return out;
    }

    /** Chains flushed by the previous sync are deleted now that no map element can point at them. */
    private void deletePendingChains() {
        for (String c : pendingChainDeletes) {
            out.append("delete chain ").append(T).append(c).append('\n');
            installedChains.remove(c);
        }
        pendingChainDeletes.clear();
    }

    /** A partial sync writes only the elements of the changed services that differ. Returns how many it added. */
    private int writeElementChanges(List<ServicePortEntry> written, Map<String, Elem> previousElems) {
        int added = 0;
        for (ServicePortEntry entry : written) {
            for (Elem e : ((Fragment) entry.fragment(this)).elems) {
                Elem old = previousElems.remove(e.id());
                if (old != null && old.equals(e)) {
                    continue;
                }
                if (old != null) {
                    deleteElement(out, old);
                }
                addElement(out, e);
                added++;
            }
        }
        return added;
    }

    /** Chains no service uses any more: flushed now, deleted by the next sync. */
    private List<String> flushStaleChains(Set<String> previousChains, Set<String> currentChains) {
        List<String> stale = new ArrayList<>();
        for (String c : previousChains) {
            if (!currentChains.contains(c)) {
                stale.add(c);
            }
        }
        stale.sort(null);
        for (String c : stale) {
            out.append("flush chain ").append(T).append(c).append('\n');
            pendingChainDeletes.add(c);
        }
        return stale;
    }

    private void deleteStaleSets(Set<String> previousSets, Set<String> currentSets) {
        List<String> staleSets = new ArrayList<>();
        for (String s : previousSets) {
            if (!currentSets.contains(s)) {
                staleSets.add(s);
            }
        }
        staleSets.sort(null);
        for (String s : staleSets) {
            out.append("delete set ").append(T).append(s).append('\n');
            installedAffinitySets.remove(s);
        }
    }

    /**
     * Bytes a full sync will write, a little over: growing a 50 MB builder by doubling would copy
     * it and leave half of the new array unused. Per endpoint the text holds its chain name five
     * times (add, flush, the service's vmap, two rules) and its address twice.
     */
    private static long estimateFullSize(ServiceTracker tracker) {
        long bytes = 16_384;
        for (ServicePortEntry entry : tracker.ports().values()) {
            ServicePortInfo svc = entry.info();
            bytes += 800 + 8L * svc.nftServiceChain().length() + 64L * (svc.spec().externalIPs().size() + svc.spec().loadBalancerIPs().size());
            for (EndpointInfo ep : entry.endpoints()) {
                bytes += 200 + 5L * ep.nftChain().length() + 2L * ep.address().length();
            }
        }
        return bytes + bytes / 32;
    }

    private void addElement(StringBuilder sb, Elem e) {
        sb.append("add element ").append(T).append(e.container).append(" { ").append(e.key);
        if (e.comment != null) {
            sb.append(" comment \"").append(e.comment).append('"');
        }
        if (e.value != null) {
            sb.append(" : ").append(e.value);
        }
        sb.append(" }\n");
    }

    private void deleteElement(StringBuilder sb, Elem e) {
        sb.append("delete element ").append(T).append(e.container).append(" { ").append(e.key).append(" }\n");
    }

    private void chain(String name, int[] counts) {
        out.append("add chain ").append(T).append(name).append('\n');
        out.append("flush chain ").append(T).append(name).append('\n');
        counts[2]++;
    }

    private void rule(String chain, String rule, int[] counts) {
        out.append("add rule ").append(T).append(chain).append(' ').append(rule).append('\n');
        counts[0]++;
    }

    /** The table, base chains, jump chains, maps and sets: kube-proxy's setupNFTables. */
    private void setup(int[] counts) {
        out.append("add table ").append(T).append("{ comment \"rules for kube-proxy\" ; }\n");
        baseChains(counts);
        jumpChains(counts);
        masquerading(counts);
        clusterIPsAndNodePortIPs(counts);
        verdictMaps(counts);
    }

    /** The base chains at upstream's hooks and priorities. */
    private void baseChains(int[] counts) {
        String[][] base = {
            {"filter-prerouting", "filter", "prerouting", "-110"},
            {"filter-input", "filter", "input", "-110"},
            {"filter-forward", "filter", "forward", "-110"},
            {"filter-output", "filter", "output", "-110"},
            {"filter-output-post-dnat", "filter", "output", "-90"},
            {"nat-prerouting", "nat", "prerouting", "-100"},
            {"nat-output", "nat", "output", "-100"},
            {"nat-postrouting", "nat", "postrouting", "100"},
        };
        if (!baseChainsRecreated) {
            // Once per process: recreate base chains so that changed properties (priority) apply.
            for (String[] b : base) {
                out.append("add chain ").append(T).append(b[0]).append('\n');
                out.append("delete chain ").append(T).append(b[0]).append('\n');
            }
            baseChainsRecreated = true;
        }
        for (String[] b : base) {
            out.append("add chain ").append(T).append(b[0]).append(" { type ").append(b[1]).append(" hook ")
                    .append(b[2]).append(" priority ").append(b[3]).append(" ; }\n");
            out.append("flush chain ").append(T).append(b[0]).append('\n');
            counts[2]++;
        }
    }

    /** The regular chains the base chains jump to, with those jumps. */
    private void jumpChains(int[] counts) {
        String[][] jumps = {
            {"nodeport-endpoints-check", "filter-input", "ct state new"},
            {"service-endpoints-check", "filter-input", "ct state new"},
            {"service-endpoints-check", "filter-forward", "ct state new"},
            {"service-endpoints-check", "filter-output", "ct state new"},
            {"firewall-check", "filter-prerouting", "ct state new"},
            {"firewall-check", "filter-output", "ct state new"},
            {"services", "nat-output", ""},
            {"services", "nat-prerouting", ""},
            {"masquerading", "nat-postrouting", ""},
            {"cluster-ips-check", "filter-forward", "ct state new"},
            {"cluster-ips-check", "filter-output-post-dnat", "ct state new"},
        };
        Set<String> created = new HashSet<>();
        for (String[] j : jumps) {
            if (created.add(j[0])) {
                chain(j[0], counts);
            }
            rule(j[1], (j[2].isEmpty() ? "" : j[2] + " ") + "jump " + j[0], counts);
        }
    }

    /** mark-for-masquerade sets the mark; masquerading SNATs what carries it. */
    private void masquerading(int[] counts) {
        chain("mark-for-masquerade", counts);
        rule("mark-for-masquerade", "mark set mark or " + mark, counts);
        rule("masquerading", "mark and " + mark + " == 0 return", counts);
        rule("masquerading", "mark set mark xor " + mark, counts);
        rule("masquerading", "masquerade fully-random", counts);
    }

    /** The cluster-ips set (traffic to unused ports of a cluster IP is rejected) and the nodeport-ips set. */
    private void clusterIPsAndNodePortIPs(int[] counts) {
        out.append("add set ").append(T).append("cluster-ips { type " + addrType + " ; comment \"Active ClusterIPs\" ; }\n");
        rule("cluster-ips-check", ipX + " daddr @cluster-ips reject comment \"Reject traffic to invalid ports of ClusterIPs\"", counts);
        // NodePorts on the node's primary IPs (upstream's default) fill the nodeport-ips set; when
        // they are accepted on every address the set is ensured absent (add, then delete).
        List<String> nodePortIPs = config.nodePortIPs();
        out.append("add set ").append(T).append("nodeport-ips { type " + addrType + " ; comment \"IPs that accept NodePort traffic\" ; }\n");
        if (nodePortIPs.isEmpty()) {
            out.append("delete set ").append(T).append("nodeport-ips\n");
        } else {
            out.append("flush set ").append(T).append("nodeport-ips\n");
            for (String ip : nodePortIPs) {
                out.append("add element ").append(T).append("nodeport-ips { ").append(ip).append(" }\n");
            }
        }
    }

    /** The verdict maps services put their elements in, the rules that consult them, and their flush. */
    private void verdictMaps(int[] counts) {
        List<String> nodePortIPs = config.nodePortIPs();
        out.append("add map ").append(T).append("no-endpoint-services { type " + addrType + " . inet_proto . inet_service : verdict ; comment \"vmap to drop or reject packets to services with no endpoints\" ; }\n");
        out.append("add map ").append(T).append("no-endpoint-nodeports { type inet_proto . inet_service : verdict ; comment \"vmap to drop or reject packets to service nodeports with no endpoints\" ; }\n");
        out.append("add chain ").append(T).append("reject-chain { comment \"helper for @no-endpoint-services / @no-endpoint-nodeports\" ; }\n");
        out.append("flush chain ").append(T).append("reject-chain\n");
        counts[2]++;
        rule("reject-chain", "reject", counts);
        rule("service-endpoints-check", ipX + " daddr . meta l4proto . th dport vmap @no-endpoint-services", counts);
        rule("nodeport-endpoints-check", (nodePortIPs.isEmpty() ? noLocalhost : ipX + " daddr @nodeport-ips")
                + " meta l4proto . th dport vmap @no-endpoint-nodeports", counts);
        out.append("add map ").append(T).append("firewall-ips { type " + addrType + " . inet_proto . inet_service : verdict ; comment \"destinations that are subject to LoadBalancerSourceRanges\" ; }\n");
        rule("firewall-check", ipX + " daddr . meta l4proto . th dport vmap @firewall-ips", counts);
        out.append("add map ").append(T).append("service-ips { type " + addrType + " . inet_proto . inet_service : verdict ; comment \"ClusterIP, ExternalIP and LoadBalancer IP traffic\" ; }\n");
        out.append("add map ").append(T).append("service-nodeports { type inet_proto . inet_service : verdict ; comment \"NodePort traffic\" ; }\n");
        rule("services", ipX + " daddr . meta l4proto . th dport vmap @service-ips", counts);
        rule("services", (nodePortIPs.isEmpty() ? "fib daddr type local " + noLocalhost : ipX + " daddr @nodeport-ips")
                + " meta l4proto . th dport vmap @service-nodeports", counts);
        out.append("flush set ").append(T).append("cluster-ips\n");
        for (String m : new String[] {"service-ips", "firewall-ips", "no-endpoint-services", "no-endpoint-nodeports",
                "service-nodeports"}) {
            out.append("flush map ").append(T).append(m).append('\n');
        }
    }

    /** What one service port's rules are made of, computed once and read by the per-chain writers. */
    private static final class ServiceRules {
        ServicePortInfo svc;
        ServicePortSpec spec;
        String proto;
        String port;
        String name;
        EndpointCategories cat;
        TrafficPolicy policy;
        String clusterPolicyChain;
        String localPolicyChain;
        String internalTrafficChain;
        String externalPolicyChain;
        String externalTrafficChain;
        String fwChain;
        boolean usesFWChain;
        String internalVerdict;
        String externalVerdict;
    }

    /**
     * Renders one service port into {@code sink}: its chains (add + flush), in a full sync its map
     * elements, and its rules. The elements are also kept so a later partial sync can diff them.
     */
    private Fragment renderService(ServicePortEntry entry, StringBuilder sink, boolean writeElements) {
        ServiceRules r = new ServiceRules();
        r.svc = entry.info();
        r.spec = r.svc.spec();
        r.proto = r.svc.protocol();
        r.port = r.svc.portString();
        r.name = r.svc.nameString();
        String base = r.svc.nftBase();
        r.cat = EndpointCategories.of(entry.endpoints(), r.svc, config.nodeName(), config.nodeZone());
        r.policy = TrafficPolicy.of(r.svc, r.cat);
        r.clusterPolicyChain = r.svc.nftServiceChain();
        r.localPolicyChain = "local-" + base;
        r.internalTrafficChain = r.policy.internalChain(r.clusterPolicyChain, r.localPolicyChain);
        r.externalPolicyChain = r.policy.externalChain(r.clusterPolicyChain, r.localPolicyChain);
        r.externalTrafficChain = "external-" + base;
        r.fwChain = "firewall-" + base;
        r.usesFWChain = !r.spec.loadBalancerIPs().isEmpty() && !r.spec.loadBalancerSourceRanges().isEmpty();
        if (!r.policy.hasEndpoints()) {
            r.internalVerdict = "goto reject-chain";
            r.externalVerdict = "goto reject-chain";
        } else {
            r.internalVerdict = r.policy.hasInternalEndpoints() ? null : "drop";
            r.externalVerdict = r.policy.hasExternalEndpoints() ? null : "drop";
        }

        Fragment f = new Fragment();
        f.chains = chains(r);
        f.affinitySets = new ArrayList<>();
        if (r.spec.clientIPAffinity()) {
            for (EndpointInfo ep : r.cat.reachable()) {
                f.affinitySets.add("affinity-" + ep.nftBase());
            }
        }
        f.elems = elements(r);
        for (String c : f.chains) {
            sink.append("add chain ").append(T).append(c).append('\n');
            sink.append("flush chain ").append(T).append(c).append('\n');
        }
        if (writeElements) {
            for (Elem e : f.elems) {
                addElement(sink, e);
            }
        }
        int n = clusterIPMasqueradeRules(r, sink);
        if (r.policy.usesExternalTrafficChain()) {
            n += externalTrafficChainRules(r, sink);
        }
        if (r.usesFWChain) {
            n += firewallChainRules(r, sink);
        }
        if (r.spec.clientIPAffinity()) {
            for (EndpointInfo ep : r.cat.reachable()) {
                sink.append("add set ").append(T).append("affinity-").append(ep.nftBase())
                        .append(" { type " + addrType + " ; flags dynamic,timeout ; timeout ").append(r.spec.stickySeconds())
                        .append("s ; }\n");
            }
        }
        if (r.policy.usesClusterPolicyChain()) {
            n += writeServiceToEndpointRules(sink, r.spec, r.clusterPolicyChain, r.cat.cluster());
        }
        if (r.policy.usesLocalPolicyChain()) {
            n += writeServiceToEndpointRules(sink, r.spec, r.localPolicyChain, r.cat.local());
        }
        for (EndpointInfo ep : r.cat.reachable()) {
            n += endpointChainRules(r, ep, sink);
        }
        f.ruleCount = n;
        return f;
    }

    /** The service's chains, in the order they are created: endpoints, policy chains, external, firewall. */
    private static List<String> chains(ServiceRules r) {
        List<String> chains = new ArrayList<>(r.cat.reachable().size() + 4);
        for (EndpointInfo ep : r.cat.reachable()) {
            chains.add(ep.nftChain());
        }
        if (r.policy.usesClusterPolicyChain()) {
            chains.add(r.clusterPolicyChain);
        }
        if (r.policy.usesLocalPolicyChain()) {
            chains.add(r.localPolicyChain);
        }
        if (r.policy.usesExternalTrafficChain()) {
            chains.add(r.externalTrafficChain);
        }
        if (r.usesFWChain) {
            chains.add(r.fwChain);
        }
        return chains;
    }

    /** The service's entries in the shared sets and verdict maps (dispatch, no-endpoint verdicts, firewall). */
    private static List<Elem> elements(ServiceRules r) {
        ServicePortSpec spec = r.spec;
        String proto = r.proto;
        String port = r.port;
        boolean hasEndpoints = r.policy.hasEndpoints();
        boolean hasExternalEndpoints = r.policy.hasExternalEndpoints();
        List<Elem> elems = new ArrayList<>();
        elems.add(new Elem("cluster-ips", spec.clusterIP(), null, null));
        if (r.policy.hasInternalEndpoints()) {
            elems.add(new Elem("service-ips", spec.clusterIP() + " . " + proto + " . " + port, "goto " + r.internalTrafficChain, null));
        } else {
            elems.add(new Elem("no-endpoint-services", spec.clusterIP() + " . " + proto + " . " + port, r.internalVerdict, r.name));
        }
        for (String ip : spec.externalIPs()) {
            if (hasEndpoints) {
                elems.add(new Elem("service-ips", ip + " . " + proto + " . " + port, "goto " + r.externalTrafficChain, null));
            }
            if (!hasExternalEndpoints) {
                elems.add(new Elem("no-endpoint-services", ip + " . " + proto + " . " + port, r.externalVerdict, r.name));
            }
        }
        for (String lb : spec.loadBalancerIPs()) {
            if (hasEndpoints) {
                elems.add(new Elem("service-ips", lb + " . " + proto + " . " + port, "goto " + r.externalTrafficChain, null));
            }
            if (r.usesFWChain) {
                elems.add(new Elem("firewall-ips", lb + " . " + proto + " . " + port, "goto " + r.fwChain, null));
            }
        }
        if (!hasExternalEndpoints) {
            for (String lb : spec.loadBalancerIPs()) {
                elems.add(new Elem("no-endpoint-services", lb + " . " + proto + " . " + port, r.externalVerdict, r.name));
            }
        }
        if (spec.nodePort() != 0) {
            if (hasEndpoints) {
                elems.add(new Elem("service-nodeports", proto + " . " + spec.nodePort(), "goto " + r.externalTrafficChain, null));
            }
            if (!hasExternalEndpoints) {
                elems.add(new Elem("no-endpoint-nodeports", proto + " . " + spec.nodePort(), r.externalVerdict, r.name));
            }
        }
        return elems;
    }

    /** The internal traffic chain's masquerade rule for traffic from outside the cluster CIDR. */
    private int clusterIPMasqueradeRules(ServiceRules r, StringBuilder sink) {
        if (!r.policy.hasInternalEndpoints()) {
            return 0;
        }
        if (config.masqueradeAll()) {
            return rule(sink, r.internalTrafficChain, ipX + " daddr " + r.spec.clusterIP() + " " + r.proto + " dport " + r.port
                    + " jump mark-for-masquerade");
        }
        if (config.clusterCIDR() != null) {
            return rule(sink, r.internalTrafficChain, ipX + " daddr " + r.spec.clusterIP() + " " + r.proto + " dport " + r.port
                    + " " + ipX + " saddr != " + config.clusterCIDR() + " jump mark-for-masquerade");
        }
        return 0;
    }

    /** external-: masquerade (or short-circuit pod and local traffic under Local policy), then the policy chain. */
    private int externalTrafficChainRules(ServiceRules r, StringBuilder sink) {
        String ext = r.externalTrafficChain;
        int n = 0;
        if (!r.svc.externalPolicyLocal()) {
            n += rule(sink, ext, "jump mark-for-masquerade");
        } else {
            if (config.clusterCIDR() != null) {
                n += rule(sink, ext, ipX + " saddr " + config.clusterCIDR() + " goto " + r.clusterPolicyChain
                        + " comment \"short-circuit pod traffic\"");
            }
            n += rule(sink, ext, "fib saddr type local jump mark-for-masquerade comment \"masquerade local traffic\"");
            n += rule(sink, ext, "fib saddr type local goto " + r.clusterPolicyChain + " comment \"short-circuit local traffic\"");
        }
        if (r.policy.hasExternalEndpoints()) {
            n += rule(sink, ext, "goto " + r.externalPolicyChain);
        }
        return n;
    }

    /** firewall-: drop sources outside LoadBalancerSourceRanges (the LB IPs too when the node is in a range). */
    private int firewallChainRules(ServiceRules r, StringBuilder sink) {
        StringBuilder sources = new StringBuilder();
        boolean allowFromNode = false;
        for (String cidr : r.spec.loadBalancerSourceRanges()) {
            if (sources.length() > 0) {
                sources.append(" , ");
            }
            sources.append(cidr);
            if (config.nodeIP() != null && Cidr.parse(cidr).contains(config.nodeIP())) {
                allowFromNode = true;
            }
        }
        if (allowFromNode) {
            for (String lb : r.spec.loadBalancerIPs()) {
                sources.append(" , ").append(lb);
            }
        }
        return rule(sink, r.fwChain, ipX + " saddr != { " + sources + " } drop");
    }

    /** endpoint-: hairpin masquerade, the affinity update, the DNAT. The bulk of a full sync: no intermediate strings. */
    private int endpointChainRules(ServiceRules r, EndpointInfo ep, StringBuilder sink) {
        String chain = ep.nftChain();
        int n = 2;
        sink.append("add rule ").append(T).append(chain).append(" " + ipX + " saddr ").append(ep.ip()).append(" jump mark-for-masquerade\n");
        if (r.spec.clientIPAffinity()) {
            n += rule(sink, chain, "update @affinity-" + ep.nftBase() + " { " + ipX + " saddr }");
        }
        sink.append("add rule ").append(T).append(chain).append(" meta l4proto ").append(r.proto).append(" dnat to ")
                .append(ep.address()).append('\n');
        return n;
    }

    private int writeServiceToEndpointRules(StringBuilder r, ServicePortSpec spec, String svcChain, List<EndpointInfo> eps) {
        int n = 0;
        if (spec.clientIPAffinity()) {
            for (EndpointInfo ep : eps) {
                n += rule(r, svcChain, ipX + " saddr @affinity-" + ep.nftBase() + " goto " + ep.nftChain());
            }
        }
        r.append("add rule ").append(T).append(svcChain).append(" numgen random mod ").append(eps.size()).append(" vmap {");
        for (int i = 0; i < eps.size(); i++) {
            r.append(' ').append(i).append(" : goto ").append(eps.get(i).nftChain());
            if (i != eps.size() - 1) {
                r.append(" ,");
            }
        }
        r.append(" }\n");
        return n + 1;
    }

    private int rule(StringBuilder r, String chain, String rule) {
        r.append("add rule ").append(T).append(chain).append(' ').append(rule).append('\n');
        return 1;
    }
}
