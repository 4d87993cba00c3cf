package io.kplane.proxy.iptables;

import io.kplane.proxy.IpAddress;
import io.kplane.proxy.Packet;
import io.kplane.proxy.Trace;
import io.kplane.proxy.TracedPacket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A packet-flow tracer over iptables rules (nat PREROUTING/OUTPUT, filter INPUT/FORWARD/OUTPUT,
 * nat POSTROUTING), for tests: which endpoints a new connection can reach and with what
 * probability, whether it is masqueraded, rejected or dropped. {@code -m statistic} rules fork
 * the trace into both outcomes; {@code -m recent} consults the affinity memory given to it.
 */
public final class IptablesTracer {
    private final IptablesRules rules;
    private final Set<IpAddress> localAddresses = new HashSet<>();
    private final Map<String, Set<String>> recent = new HashMap<>();
    private final Map<String, IpsetMembership> ipsets = new HashMap<>();

    /** Membership test of an ipset for a packet, for IPVS helper rules. */
    public interface IpsetMembership {
        boolean contains(String flags, String src, String dst, String proto, int dport);
    }

    public IptablesTracer(IptablesRules rules, List<String> localAddresses) {
        this.rules = rules;
        for (String a : localAddresses) {
            this.localAddresses.add(IpAddress.parse(a));
        }
    }

    /** A tracer over kplane's restore input, with kube-proxy's jump rules from the built-in chains added. */
    public static IptablesTracer forRestoreInput(String text, List<String> localAddresses) {
        IptablesRules r = IptablesRules.parse(text);
        for (IptablesRenderer.JumpRule j : IptablesRenderer.JUMP_RULES) {
            if (r.table(j.table()).containsKey(targetOf(j.rule()))) {
                r.insert(j.table(), j.chain(), j.rule());
            }
        }
        return new IptablesTracer(r, localAddresses);
    }

    private static String targetOf(String rule) {
        return rule.substring(rule.lastIndexOf("-j ") + 3).trim();
    }

    /** Remembers that {@code src} was sent through the endpoint chain {@code recentName} (session affinity). */
    public IptablesTracer withRecent(String recentName, String src) {
        recent.computeIfAbsent(recentName, k -> new HashSet<>()).add(src);
        return this;
    }

    public IptablesTracer withIpset(String name, IpsetMembership set) {
        ipsets.put(name, set);
        return this;
    }

    private enum Kind { FALLTHROUGH, ACCEPT, DROP, REJECT }

    private record Res(TracedPacket state, double p, Kind kind) {
    }

    /**
     * Local delivery to IPVS virtual services (which sits between the filter table and nat
     * POSTROUTING): the real servers {@code ip:port} with their shares, an empty list when the
     * virtual service has no usable real server, or null when the address is no virtual service.
     */
    public interface VirtualServices {
        Map<String, Double> lookup(String dst, String proto, int dport);
    }

    public Trace trace(Packet packet) {
        return trace(packet, null);
    }

    public Trace trace(Packet packet, VirtualServices ipvs) {
        List<Trace.Outcome> outcomes = new ArrayList<>();
        String natEntry = packet.fromHost() ? "OUTPUT" : "PREROUTING";
        for (Res nat : runBuiltin("nat", natEntry, new TracedPacket(packet), 1.0)) {
            if (nat.kind == Kind.DROP || nat.kind == Kind.REJECT) {
                outcomes.add(outcome(nat, nat.kind == Kind.DROP ? Trace.Verdict.DROP : Trace.Verdict.REJECT));
                continue;
            }
            String filterEntry = packet.fromHost() ? "OUTPUT" : (localAddresses.contains(nat.state.dst) ? "INPUT" : "FORWARD");
            for (Res filter : runBuiltin("filter", filterEntry, nat.state, nat.p)) {
                if (filter.kind == Kind.DROP || filter.kind == Kind.REJECT) {
                    outcomes.add(outcome(filter, filter.kind == Kind.DROP ? Trace.Verdict.DROP : Trace.Verdict.REJECT));
                    continue;
                }
                List<Res> delivered = List.of(filter);
                Map<String, Double> reals = ipvs == null || filter.state.dnat ? null
                        : ipvs.lookup(filter.state.dst.toString(), filter.state.proto, filter.state.dport);
                if (reals != null) {
                    if (reals.isEmpty()) {
                        outcomes.add(outcome(filter, Trace.Verdict.DROP));
                        continue;
                    }
                    delivered = new ArrayList<>();
                    for (Map.Entry<String, Double> r : reals.entrySet()) {
                        TracedPacket s = new TracedPacket(filter.state);
                        s.dnatTo(r.getKey());
                        delivered.add(new Res(s, filter.p * r.getValue(), Kind.ACCEPT));
                    }
                }
                for (Res d : delivered) {
                    for (Res post : runBuiltin("nat", "POSTROUTING", d.state, d.p)) {
                        outcomes.add(outcome(post, Trace.Verdict.ACCEPT));
                    }
                }
            }
        }
        return new Trace(outcomes);
    }

    private static Trace.Outcome outcome(Res r, Trace.Verdict v) {
        String ep = r.state.dnat ? r.state.destination() : null;
        return new Trace.Outcome(r.p, ep, r.state.masq, v);
    }

    private List<Res> runBuiltin(String table, String chain, TracedPacket s, double p) {
        List<IptablesRules.Rule> list = rules.chain(table, chain);
        if (list == null) {
            return List.of(new Res(s, p, Kind.FALLTHROUGH));
        }
        return evalFrom(table, list, 0, s, p, 0);
    }

    private List<Res> evalFrom(String table, List<IptablesRules.Rule> list, int from, TracedPacket s, double p, int depth) {
        if (depth > 64) {
            throw new IllegalStateException("jump depth exceeded (loop in rules?)");
        }
        for (int j = from; j < list.size(); j++) {
            IptablesRules.Rule r = list.get(j);
            if (!matches(r, s)) {
                continue;
            }
            if (r.probability() != null) {
                List<Res> out = new ArrayList<>();
                double prob = r.probability();
                out.addAll(evalTarget(table, list, j, r, new TracedPacket(s), p * prob, depth));
                out.addAll(evalFrom(table, list, j + 1, new TracedPacket(s), p * (1 - prob), depth));
                return out;
            }
            return evalTarget(table, list, j, r, s, p, depth);
        }
        return List.of(new Res(s, p, Kind.FALLTHROUGH));
    }

    private List<Res> evalTarget(String table, List<IptablesRules.Rule> list, int j, IptablesRules.Rule r, TracedPacket s,
                                 double p, int depth) {
        if (r.recentSet()) {
            recentAdd(r.recentName(), s.src);
        }
        String t = r.target();
        if (t == null) {
            return evalFrom(table, list, j + 1, s, p, depth);
        }
        switch (t) {
            case "ACCEPT": return List.of(new Res(s, p, Kind.ACCEPT));
            case "DROP": return List.of(new Res(s, p, Kind.DROP));
            case "REJECT": return List.of(new Res(s, p, Kind.REJECT));
            case "RETURN": return List.of(new Res(s, p, Kind.FALLTHROUGH));
            case "DNAT": {
                s.dnatTo(r.toDestination());
                return List.of(new Res(s, p, Kind.ACCEPT));
            }
            case "MASQUERADE": case "SNAT":
                s.masq = true;
                return List.of(new Res(s, p, Kind.ACCEPT));
            case "MARK": {
                int v = r.targetMark();
                switch (r.markOp()) {
                    case "--or-mark": s.mark |= v; break;
                    case "--xor-mark": s.mark ^= v; break;
                    case "--set-mark": s.mark = v; break;
                    case "--and-mark": s.mark &= v; break;
                    default: { // --set-xmark value/mask: clear mask bits, then xor value
                        int mask = r.targetMask() == null ? -1 : r.targetMask();
                        s.mark = (s.mark & ~mask) ^ v;
                    }
                }
                return evalFrom(table, list, j + 1, s, p, depth);
            }
            default: {
                List<IptablesRules.Rule> sub = rules.chain(table, t);
                if (sub == null) {
                    throw new IllegalStateException("jump to missing chain " + t + " in " + table + ": " + r.text());
                }
                List<Res> out = new ArrayList<>();
                for (Res res : evalFrom(table, sub, 0, s, p, depth + 1)) {
                    if (res.kind == Kind.FALLTHROUGH) {
                        out.addAll(evalFrom(table, list, j + 1, res.state, res.p, depth));
                    } else {
                        out.add(res);
                    }
                }
                return out;
            }
        }
    }

    private void recentAdd(String name, String src) {
        recent.computeIfAbsent(name, k -> new HashSet<>()).add(src);
    }

    private boolean matches(IptablesRules.Rule r, TracedPacket s) {
        if (r.proto() != null && !r.proto().equals(s.proto)) {
            return false;
        }
        if (r.src() != null && r.src().contains(s.srcAddr) == r.srcNeg()) {
            return false;
        }
        if (r.dst() != null && r.dst().contains(s.dst) == r.dstNeg()) {
            return false;
        }
        if (r.dport() >= 0 && r.dport() != s.dport) {
            return false;
        }
        if (r.dstTypeLocal() != null && localAddresses.contains(s.dst) != r.dstTypeLocal()) {
            return false;
        }
        if (r.srcTypeLocal() != null && localAddresses.contains(s.srcAddr) != r.srcTypeLocal()) {
            return false;
        }
        if (r.recentCheck() && !recent.getOrDefault(r.recentName(), Set.of()).contains(s.src)) {
            return false;
        }
        if (r.markValue() != null && ((s.mark & r.markMask()) == r.markValue()) == r.markNeg()) {
            return false;
        }
        if (r.ctstate() != null) {
            boolean in = false;
            for (String st : r.ctstate().split(",")) {
                // The traced packet opens a new connection; DNAT is set once the nat table rewrote it.
                in |= st.equals("NEW") || (st.equals("DNAT") && s.dnat);
            }
            if (in == r.ctstateNeg()) {
                return false;
            }
        }
        if (r.matchSet() != null) {
            IpsetMembership set = ipsets.get(r.matchSet());
            if (set == null) {
                throw new IllegalStateException("rule uses unknown ipset " + r.matchSet() + ": " + r.text());
            }
            boolean in = set.contains(r.matchSetFlags(), s.src, s.dst.toString(), s.proto, s.dport);
            if (in == r.matchSetNeg()) {
                return false;
            }
        }
        return true;
    }
}
