package io.kplane.proxy.ipvs;

import io.kplane.proxy.Packet;
import io.kplane.proxy.Trace;
import io.kplane.proxy.iptables.IptablesRenderer;
import io.kplane.proxy.iptables.IptablesRules;
import io.kplane.proxy.iptables.IptablesTracer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A packet-flow tracer for IPVS mode: the helper iptables rules (with the ipsets' contents)
 * decide marking, filtering and hairpin masquerade; the virtual servers parsed from the
 * {@code ipvsadm-restore} text decide where the packet goes, each real server getting its
 * weight's share.
 */
public final class IpvsTracer {
    private final IptablesTracer iptables;
    private final Map<IpvsadmText.VirtualKey, IpvsadmText.VirtualServer> services;

    public IpvsTracer(IpvsRuleset rules, List<String> nodeAddresses) {
        List<String> local = new ArrayList<>(nodeAddresses);
        for (String line : rules.addressBatch().split("\n")) {
            if (line.startsWith("address add ")) {
                String a = line.substring("address add ".length());
                local.add(a.substring(0, a.indexOf('/')));
            }
        }
        IptablesRules parsed = IptablesRules.parse(rules.iptablesRestore());
        for (IptablesRenderer.JumpRule j : IpvsRenderer.JUMP_RULES) {
            parsed.insert(j.table(), j.chain(), j.rule());
        }
        this.iptables = IpsetText.parse(rules.ipsetRestore()).install(new IptablesTracer(parsed, local));
        this.services = IpvsadmText.parse(rules.ipvsadmRestore());
    }

    public Trace trace(Packet p) {
        return iptables.trace(p, (dst, proto, dport) -> {
            IpvsadmText.VirtualServer vs = services.get(new IpvsadmText.VirtualKey(proto, dst, dport));
            if (vs == null) {
                return null;
            }
            int total = 0;
            for (IpvsadmText.RealServer r : vs.reals()) {
                total += r.weight();
            }
            Map<String, Double> out = new LinkedHashMap<>();
            for (IpvsadmText.RealServer r : vs.reals()) {
                if (r.weight() > 0) {
                    out.put(io.kplane.proxy.IpFamily.hostPort(r.ip(), r.port()), (double) r.weight() / total);
                }
            }
            return out;
        });
    }
}
