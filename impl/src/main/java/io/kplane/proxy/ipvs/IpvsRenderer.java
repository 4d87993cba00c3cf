package io.kplane.proxy.ipvs;

import io.kplane.proxy.EndpointCategories;
import io.kplane.proxy.EndpointInfo;
import io.kplane.proxy.IpFamily;
import io.kplane.proxy.ProxyConfig;
import io.kplane.proxy.ServicePortEntry;
import io.kplane.proxy.ServicePortInfo;
import io.kplane.proxy.ServicePortSpec;
import io.kplane.proxy.ServiceTracker;
import io.kplane.proxy.iptables.IptablesRenderer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Renders kube-proxy's IPVS mode: a virtual server per service address (cluster IP, external IPs,
 * load-balancer IPs, and the node IP for NodePorts) with the endpoints as masqueraded real
 * servers, every virtual address bound to {@code kube-ipvs0}, the KUBE-* ipsets, and the helper
 * iptables rules that mark for SNAT, filter by source range and fix hairpin traffic by matching
 * those sets. The output is the full desired state (IPVS mode reconciles through netlink rather
 * than by restore), so there is no partial variant.
 */
public final class IpvsRenderer {
    /** Set name, type and comment, in the order kube-proxy declares them. */
    private static final String[][] SETS = {
        {"KUBE-LOOP-BACK", "hash:ip,port,ip", "Kubernetes endpoints dst ip:port, source ip for solving hairpin purpose"},
        {"KUBE-CLUSTER-IP", "hash:ip,port", "Kubernetes service cluster ip + port for masquerade purpose"},
        {"KUBE-EXTERNAL-IP", "hash:ip,port", "Kubernetes service external ip + port for masquerade and filter purpose"},
        {"KUBE-EXTERNAL-IP-LOCAL", "hash:ip,port", "Kubernetes service external ip + port with externalTrafficPolicy=local"},
        {"KUBE-LOAD-BALANCER", "hash:ip,port", "Kubernetes service lb portal"},
        {"KUBE-LOAD-BALANCER-LOCAL", "hash:ip,port", "Kubernetes service load balancer ip + port with externalTrafficPolicy=local"},
        {"KUBE-LOAD-BALANCER-FW", "hash:ip,port", "Kubernetes service load balancer ip + port for load balancer with sourceRange"},
        {"KUBE-LOAD-BALANCER-SOURCE-CIDR", "hash:ip,port,net", "Kubernetes service load balancer ip + port + source cidr for packet filter purpose"},
        {"KUBE-NODE-PORT-TCP", "bitmap:port", "Kubernetes nodeport TCP port for masquerade purpose"},
        {"KUBE-NODE-PORT-LOCAL-TCP", "bitmap:port", "Kubernetes nodeport TCP port with externalTrafficPolicy=local"},
        {"KUBE-NODE-PORT-UDP", "bitmap:port", "Kubernetes nodeport UDP port for masquerade purpose"},
        {"KUBE-NODE-PORT-LOCAL-UDP", "bitmap:port", "Kubernetes nodeport UDP port with externalTrafficPolicy=local"},
        {"KUBE-NODE-PORT-SCTP-HASH", "hash:ip,port", "Kubernetes nodeport SCTP port for masquerade purpose with type 'hash ip:port'"},
        {"KUBE-NODE-PORT-LOCAL-SCTP-HASH", "hash:ip,port", "Kubernetes nodeport SCTP port with externalTrafficPolicy=local with type 'hash ip:port'"},
        {"KUBE-HEALTH-CHECK-NODE-PORT", "bitmap:port", "Kubernetes health check node port"},
    };

    private final ProxyConfig config;

    public IpvsRenderer(ProxyConfig config) {
        this.config = config;
        if (config.nodeIP() == null) {
            throw new IllegalArgumentException("the IPVS renderer needs the node IP (NodePort virtual servers bind to it)");
        }
    }

    public IpvsRuleset render(ServiceTracker tracker) {
        Desired d = new Desired();
        for (ServicePortEntry entry : tracker.ports().values()) {
            renderService(entry, d);
        }
        int[] entries = new int[1];
        String ipset = ipsetRestore(d.sets, entries, config.family());
        return new IpvsRuleset(d.ipvs.toString(), addressBatch(d.addresses, config.family()), ipset, helperRules(), d.virtualServers,
                d.realServers, entries[0]);
    }

    /** The desired state one render collects: ipset members, bound addresses, virtual servers. */
    private static final class Desired {
        final Map<String, Set<String>> sets = new LinkedHashMap<>();
        final Set<String> addresses = new TreeSet<>();
        final StringBuilder ipvs = new StringBuilder(1 << 14);
        int virtualServers;
        int realServers;

        Desired() {
            for (String[] s : SETS) {
                sets.put(s[0], new TreeSet<>());
            }
        }

        void virtualServer(String flag, String ip, int port, String sched, String persist, List<EndpointInfo> reals) {
            virtualServers++;
            realServers += IpvsRenderer.virtualServer(ipvs, flag, ip, port, sched, persist, reals);
        }
    }

    /** One service port's virtual servers (cluster IP, external IPs, LB IPs, NodePort) and set members. */
    private void renderService(ServicePortEntry entry, Desired d) {
        ServicePortInfo svc = entry.info();
        ServicePortSpec spec = svc.spec();
        String proto = svc.protocol();
        String flag = proto.equals("tcp") ? "-t" : proto.equals("udp") ? "-u" : "--sctp-service";
        EndpointCategories cat = EndpointCategories.of(entry.endpoints(), svc, config.nodeName(), config.nodeZone());
        List<EndpointInfo> internal = svc.internalPolicyLocal() ? cat.local() : cat.cluster();
        List<EndpointInfo> external = svc.externalPolicyLocal() ? cat.local() : cat.cluster();
        String persist = spec.clientIPAffinity() ? " -p " + spec.stickySeconds() : "";
        String sched = config.ipvsScheduler();
        String ipPort = "," + proto + ":" + spec.port();

        d.addresses.add(spec.clusterIP());
        d.sets.get("KUBE-CLUSTER-IP").add(spec.clusterIP() + ipPort);
        d.virtualServer(flag, spec.clusterIP(), spec.port(), sched, persist, internal);
        for (String ip : spec.externalIPs()) {
            d.addresses.add(ip);
            d.sets.get("KUBE-EXTERNAL-IP").add(ip + ipPort);
            if (svc.externalPolicyLocal()) {
                d.sets.get("KUBE-EXTERNAL-IP-LOCAL").add(ip + ipPort);
            }
            d.virtualServer(flag, ip, spec.port(), sched, persist, external);
        }
        for (String ip : spec.loadBalancerIPs()) {
            d.addresses.add(ip);
            loadBalancerSets(svc, ip, ipPort, d.sets);
            d.virtualServer(flag, ip, spec.port(), sched, persist, external);
        }
        if (spec.nodePort() != 0) {
            nodePortSets(svc, d.sets);
            d.virtualServer(flag, config.nodeIP(), spec.nodePort(), sched, persist, external);
        }
        if (spec.healthCheckNodePort() != 0) {
            d.sets.get("KUBE-HEALTH-CHECK-NODE-PORT").add(Integer.toString(spec.healthCheckNodePort()));
        }
        for (EndpointInfo ep : cat.reachable()) {
            d.sets.get("KUBE-LOOP-BACK").add(ep.ip() + "," + proto + ":" + ep.port() + "," + ep.ip());
        }
    }

    private static void loadBalancerSets(ServicePortInfo svc, String ip, String ipPort, Map<String, Set<String>> sets) {
        ServicePortSpec spec = svc.spec();
        sets.get("KUBE-LOAD-BALANCER").add(ip + ipPort);
        if (svc.externalPolicyLocal()) {
            sets.get("KUBE-LOAD-BALANCER-LOCAL").add(ip + ipPort);
        }
        if (!spec.loadBalancerSourceRanges().isEmpty()) {
            sets.get("KUBE-LOAD-BALANCER-FW").add(ip + ipPort);
            for (String cidr : spec.loadBalancerSourceRanges()) {
                sets.get("KUBE-LOAD-BALANCER-SOURCE-CIDR").add(ip + ipPort + "," + cidr);
            }
        }
    }

    /** NodePorts: TCP/UDP in bitmap sets by port, SCTP in hash sets by node IP and port. */
    private void nodePortSets(ServicePortInfo svc, Map<String, Set<String>> sets) {
        int nodePort = svc.spec().nodePort();
        String proto = svc.protocol();
        if (proto.equals("sctp")) {
            sets.get("KUBE-NODE-PORT-SCTP-HASH").add(config.nodeIP() + ",sctp:" + nodePort);
            if (svc.externalPolicyLocal()) {
                sets.get("KUBE-NODE-PORT-LOCAL-SCTP-HASH").add(config.nodeIP() + ",sctp:" + nodePort);
            }
        } else {
            String upper = proto.toUpperCase();
            sets.get("KUBE-NODE-PORT-" + upper).add(Integer.toString(nodePort));
            if (svc.externalPolicyLocal()) {
                sets.get("KUBE-NODE-PORT-LOCAL-" + upper).add(Integer.toString(nodePort));
            }
        }
    }

    /** {@code ip -batch} input: the dummy interface and every virtual address bound to it. */
    private static String addressBatch(Set<String> addresses, IpFamily family) {
        StringBuilder addr = new StringBuilder();
        addr.append("link add kube-ipvs0 type dummy\n");
        for (String a : addresses) {
            addr.append("address add ").append(a).append('/').append(family.bits()).append(" dev kube-ipvs0\n");
        }
        return addr.toString();
    }

    /** {@code ipset restore} input: every set created and flushed, then its members. */
    private static String ipsetRestore(Map<String, Set<String>> sets, int[] entries, IpFamily family) {
        StringBuilder ipset = new StringBuilder();
        for (String[] s : SETS) {
            ipset.append("create ").append(s[0]).append(' ').append(s[1]);
            if (s[1].startsWith("bitmap:port")) {
                ipset.append(" range 0-65535");
            } else {
                ipset.append(" family ").append(family.ipsetFamily()).append(" hashsize 1024 maxelem 65536");
            }
            ipset.append(" comment\n");
            ipset.append("flush ").append(s[0]).append('\n');
            for (String e : sets.get(s[0])) {
                ipset.append("add ").append(s[0]).append(' ').append(e).append(" comment \"").append(s[2]).append("\"\n");
                entries[0]++;
            }
        }
        return ipset.toString();
    }

    private static int virtualServer(StringBuilder sb, String flag, String ip, int port, String sched, String persist,
                                     List<EndpointInfo> reals) {
        sb.append("-A ").append(flag).append(' ').append(IpFamily.hostPort(ip, port)).append(" -s ").append(sched)
                .append(persist).append('\n');
        for (EndpointInfo ep : reals) {
            // Terminating endpoints stay as real servers with weight 0 (graceful termination).
            int weight = ep.ready() ? 1 : 0;
            sb.append("-a ").append(flag).append(' ').append(IpFamily.hostPort(ip, port)).append(" -r ")
                    .append(ep.address()).append(" -m -w ").append(weight).append('\n');
        }
        return reals.size();
    }

    /** The helper iptables rules of IPVS mode: they match the ipsets instead of listing services. */
    private String helperRules() {
        String m = config.masqueradeMark();
        StringBuilder sb = new StringBuilder(4096);
        sb.append("*filter\n");
        sb.append(":KUBE-PROXY-FIREWALL - [0:0]\n:KUBE-SOURCE-RANGES-FIREWALL - [0:0]\n:KUBE-FORWARD - [0:0]\n:KUBE-NODE-PORT - [0:0]\n");
        sb.append("-A KUBE-PROXY-FIREWALL -m comment --comment \"Kubernetes service load balancer ip + port for load balancer with sourceRange\" -m set --match-set KUBE-LOAD-BALANCER-FW dst,dst -j KUBE-SOURCE-RANGES-FIREWALL\n");
        sb.append("-A KUBE-SOURCE-RANGES-FIREWALL -m comment --comment \"Kubernetes service load balancer ip + port + source cidr for packet filter purpose\" -m set --match-set KUBE-LOAD-BALANCER-SOURCE-CIDR dst,dst,src -j RETURN\n");
        sb.append("-A KUBE-SOURCE-RANGES-FIREWALL -j DROP\n");
        sb.append("-A KUBE-FORWARD -m comment --comment \"kubernetes forwarding rules\" -m mark --mark ").append(m).append('/').append(m).append(" -j ACCEPT\n");
        sb.append("-A KUBE-FORWARD -m comment --comment \"kubernetes forwarding conntrack rule\" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n");
        sb.append("-A KUBE-NODE-PORT -m comment --comment \"Kubernetes health check node port\" -m set --match-set KUBE-HEALTH-CHECK-NODE-PORT dst -j ACCEPT\n");
        sb.append("COMMIT\n*nat\n");
        sb.append(":KUBE-SERVICES - [0:0]\n:KUBE-POSTROUTING - [0:0]\n:KUBE-NODE-PORT - [0:0]\n:KUBE-LOAD-BALANCER - [0:0]\n:KUBE-MARK-MASQ - [0:0]\n");
        sb.append("-A KUBE-POSTROUTING -m comment --comment \"Kubernetes endpoints dst ip:port, source ip for solving hairpin purpose\" -m set --match-set KUBE-LOOP-BACK dst,dst,src -j MASQUERADE\n");
        sb.append("-A KUBE-POSTROUTING -m mark ! --mark ").append(m).append('/').append(m).append(" -j RETURN\n");
        sb.append("-A KUBE-POSTROUTING -j MARK --xor-mark ").append(m).append('\n');
        sb.append("-A KUBE-POSTROUTING -m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE --random-fully\n");
        sb.append("-A KUBE-MARK-MASQ -j MARK --or-mark ").append(m).append('\n');
        sb.append("-A KUBE-SERVICES -m comment --comment \"Kubernetes service lb portal\" -m set --match-set KUBE-LOAD-BALANCER dst,dst -j KUBE-LOAD-BALANCER\n");
        sb.append("-A KUBE-SERVICES -m comment --comment \"Kubernetes service external ip + port with externalTrafficPolicy=local\" -m set --match-set KUBE-EXTERNAL-IP-LOCAL dst,dst -j RETURN\n");
        sb.append("-A KUBE-SERVICES -m comment --comment \"Kubernetes service external ip + port for masquerade and filter purpose\" -m set --match-set KUBE-EXTERNAL-IP dst,dst -j KUBE-MARK-MASQ\n");
        if (config.masqueradeAll()) {
            sb.append("-A KUBE-SERVICES -m comment --comment \"Kubernetes service cluster ip + port for masquerade purpose\" -m set --match-set KUBE-CLUSTER-IP dst,dst -j KUBE-MARK-MASQ\n");
        } else if (config.clusterCIDR() != null) {
            sb.append("-A KUBE-SERVICES ! -s ").append(config.clusterCIDR())
                    .append(" -m comment --comment \"Kubernetes service cluster ip + port for masquerade purpose\" -m set --match-set KUBE-CLUSTER-IP dst,dst -j KUBE-MARK-MASQ\n");
        }
        sb.append("-A KUBE-SERVICES -m addrtype --dst-type LOCAL -j KUBE-NODE-PORT\n");
        sb.append("-A KUBE-SERVICES -m set --match-set KUBE-CLUSTER-IP dst,dst -j ACCEPT\n");
        sb.append("-A KUBE-SERVICES -m set --match-set KUBE-LOAD-BALANCER dst,dst -j ACCEPT\n");
        for (String p : new String[] {"TCP", "UDP"}) {
            String lp = p.toLowerCase();
            sb.append("-A KUBE-NODE-PORT -p ").append(lp).append(" -m comment --comment \"Kubernetes nodeport ").append(p)
                    .append(" port with externalTrafficPolicy=local\" -m set --match-set KUBE-NODE-PORT-LOCAL-").append(p)
                    .append(" dst -j RETURN\n");
            sb.append("-A KUBE-NODE-PORT -p ").append(lp).append(" -m comment --comment \"Kubernetes nodeport ").append(p)
                    .append(" port for masquerade purpose\" -m set --match-set KUBE-NODE-PORT-").append(p)
                    .append(" dst -j KUBE-MARK-MASQ\n");
        }
        sb.append("-A KUBE-NODE-PORT -p sctp -m comment --comment \"Kubernetes nodeport SCTP port with externalTrafficPolicy=local with type 'hash ip:port'\" -m set --match-set KUBE-NODE-PORT-LOCAL-SCTP-HASH dst,dst -j RETURN\n");
        sb.append("-A KUBE-NODE-PORT -p sctp -m comment --comment \"Kubernetes nodeport SCTP port for masquerade purpose with type 'hash ip:port'\" -m set --match-set KUBE-NODE-PORT-SCTP-HASH dst,dst -j KUBE-MARK-MASQ\n");
        sb.append("-A KUBE-LOAD-BALANCER -m comment --comment \"Kubernetes service load balancer ip + port with externalTrafficPolicy=local\" -m set --match-set KUBE-LOAD-BALANCER-LOCAL dst,dst -j RETURN\n");
        sb.append("-A KUBE-LOAD-BALANCER -j KUBE-MARK-MASQ\n");
        sb.append("COMMIT\n");
        return sb.toString();
    }

    /** Jump rules from built-in chains to the helper chains (ensured with {@code iptables -I}). */
    public static final List<IptablesRenderer.JumpRule> JUMP_RULES = List.of(
            new IptablesRenderer.JumpRule("nat", "OUTPUT", "-m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES"),
            new IptablesRenderer.JumpRule("nat", "PREROUTING", "-m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES"),
            new IptablesRenderer.JumpRule("nat", "POSTROUTING", "-m comment --comment \"kubernetes postrouting rules\" -j KUBE-POSTROUTING"),
            new IptablesRenderer.JumpRule("filter", "INPUT", "-m comment --comment \"kubernetes health check rules\" -j KUBE-NODE-PORT"),
            new IptablesRenderer.JumpRule("filter", "FORWARD", "-m comment --comment \"kubernetes forwarding rules\" -j KUBE-FORWARD"),
            new IptablesRenderer.JumpRule("filter", "INPUT", "-m comment --comment \"kube-proxy firewall rules\" -j KUBE-PROXY-FIREWALL"),
            new IptablesRenderer.JumpRule("filter", "FORWARD", "-m comment --comment \"kube-proxy firewall rules\" -j KUBE-PROXY-FIREWALL"));

    static List<String> setNames() {
        List<String> out = new ArrayList<>();
        for (String[] s : SETS) {
            out.add(s[0]);
        }
        return out;
    }
}
