package io.kplane.proxy.nftables;

import io.kplane.proxy.Cidr;
import io.kplane.proxy.IpAddress;
import io.kplane.proxy.Packet;
import io.kplane.proxy.Trace;
import io.kplane.proxy.TracedPacket;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A packet-flow tracer over the nftables transactions kplane writes: it applies the transactions
 * (so a partial sync can be applied on top of a full one), then follows a new connection through
 * the base chains in hook and priority order, forking at {@code numgen random} maps.
 * It understands the rule vocabulary of kube-proxy's nftables mode, not nftables in general.
 */
public final class NftablesTracer {
    private record BaseChain(String name, String type, String hook, int priority) {
    }

    private final Map<String, List<String>> chains = new LinkedHashMap<>();
    private final Map<String, BaseChain> baseChains = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> maps = new HashMap<>();
    private final Map<String, Set<String>> sets = new HashMap<>();
    private final Set<IpAddress> local = new HashSet<>();

    public NftablesTracer(List<String> localAddresses) {
        for (String a : localAddresses) {
            local.add(IpAddress.parse(a));
        }
    }

    /** Applies one transaction ({@code nft -f} input) to the traced state. */
    public NftablesTracer apply(String script) {
        for (String line : script.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] w = line.split(" ", 5);
            String verb = w[0] + " " + w[1];
            String obj = w.length > 4 ? w[4] : "";
            String name = obj.contains(" ") ? obj.substring(0, obj.indexOf(' ')) : obj;
            switch (verb) {
                case "add table": break;
                case "add chain": {
                    chains.computeIfAbsent(name, k -> new ArrayList<>());
                    int t = obj.indexOf("{ type ");
                    if (t >= 0) {
                        String[] p = obj.substring(t + 7).split(" ");
                        baseChains.put(name, new BaseChain(name, p[0], p[2], Integer.parseInt(p[4])));
                    }
                    break;
                }
                case "flush chain": chains.get(name).clear(); break;
                case "delete chain": chains.remove(name); baseChains.remove(name); break;
                case "add rule": chains.get(name).add(obj.substring(name.length() + 1)); break;
                case "add map": maps.computeIfAbsent(name, k -> new LinkedHashMap<>()); break;
                case "add set": sets.computeIfAbsent(name, k -> new HashSet<>()); break;
                case "flush map": maps.get(name).clear(); break;
                case "flush set": sets.get(name).clear(); break;
                case "delete set": sets.remove(name); break;
                case "add element": case "delete element": {
                    String body = obj.substring(obj.indexOf("{ ") + 2, obj.lastIndexOf(" }"));
                    String value = null;
                    int colon = body.indexOf(" : ");
                    if (colon >= 0) {
                        value = body.substring(colon + 3);
                        body = body.substring(0, colon);
                    }
                    int comment = body.indexOf(" comment ");
                    String key = canonical(comment >= 0 ? body.substring(0, comment) : body);
                    boolean add = w[0].equals("add");
                    if (maps.containsKey(name)) {
                        if (add) {
                            maps.get(name).put(key, value);
                        } else {
                            maps.get(name).remove(key);
                        }
                    } else if (add) {
                        sets.get(name).add(key);
                    } else {
                        sets.get(name).remove(key);
                    }
                    break;
                }
                default: throw new IllegalArgumentException("unsupported nft command: " + line);
            }
        }
        return this;
    }

    /** An element key with its addresses in canonical text, so that lookups match however the rules spelled them. */
    private static String canonical(String key) {
        String[] parts = key.split(" \\. ");
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].indexOf(':') >= 0 || IpAddress.isValid(parts[i])) {
                parts[i] = IpAddress.isValid(parts[i]) ? IpAddress.parse(parts[i]).toString() : parts[i];
            }
        }
        return String.join(" . ", parts);
    }

    public Set<String> chainNames() {
        return chains.keySet();
    }

    public Map<String, String> map(String name) {
        return maps.getOrDefault(name, Map.of());
    }

    private enum Kind { CONTINUE, ACCEPT, DROP, REJECT }

    private record Res(TracedPacket s, double p, Kind kind) {
    }

    public Trace trace(Packet packet) {
        List<String> hooks = packet.fromHost() ? List.of("output") : List.of("prerouting");
        List<Res> cur = List.of(new Res(new TracedPacket(packet), 1.0, Kind.CONTINUE));
        cur = runHook("output".equals(hooks.get(0)) ? "output" : "prerouting", cur);
        List<Res> next = new ArrayList<>();
        List<Trace.Outcome> outcomes = new ArrayList<>();
        for (Res r : cur) {
            if (r.kind == Kind.DROP || r.kind == Kind.REJECT) {
                outcomes.add(outcome(r));
            } else {
                next.add(r);
            }
        }
        for (Res r : next) {
            String hook = packet.fromHost() ? null : (local.contains(r.s.dst) ? "input" : "forward");
            List<Res> after = hook == null ? List.of(r) : runHook(hook, List.of(r));
            for (Res a : after) {
                if (a.kind == Kind.DROP || a.kind == Kind.REJECT) {
                    outcomes.add(outcome(a));
                    continue;
                }
                for (Res post : runHook("postrouting", List.of(new Res(a.s, a.p, Kind.CONTINUE)))) {
                    outcomes.add(outcome(post));
                }
            }
        }
        return new Trace(outcomes);
    }

    private static Trace.Outcome outcome(Res r) {
        Trace.Verdict v = r.kind == Kind.DROP ? Trace.Verdict.DROP : r.kind == Kind.REJECT ? Trace.Verdict.REJECT
                : Trace.Verdict.ACCEPT;
        String ep = r.s.dnat ? r.s.destination() : null;
        return new Trace.Outcome(r.p, ep, r.s.masq, v);
    }

    /** Runs every base chain on {@code hook} in priority order; a DNAT in a nat chain ends that chain's evaluation. */
    private List<Res> runHook(String hook, List<Res> in) {
        List<BaseChain> bases = new ArrayList<>();
        for (BaseChain b : baseChains.values()) {
            if (b.hook.equals(hook)) {
                bases.add(b);
            }
        }
        bases.sort(Comparator.comparingInt(BaseChain::priority));
        List<Res> cur = in;
        for (BaseChain b : bases) {
            List<Res> next = new ArrayList<>();
            for (Res r : cur) {
                if (r.kind == Kind.DROP || r.kind == Kind.REJECT) {
                    next.add(r);
                    continue;
                }
                for (Res o : evalChain(b.name, new TracedPacket(r.s), r.p, 0)) {
                    next.add(new Res(o.s, o.p, o.kind == Kind.ACCEPT ? Kind.CONTINUE : o.kind));
                }
            }
            cur = next;
        }
        return cur;
    }

    private List<Res> evalChain(String chain, TracedPacket s, double p, int depth) {
        List<String> rules = chains.get(chain);
        if (rules == null) {
            throw new IllegalStateException("reference to missing chain " + chain);
        }
        if (depth > 32) {
            throw new IllegalStateException("chain depth exceeded at " + chain);
        }
        return evalFrom(rules, 0, s, p, depth);
    }

    private List<Res> evalFrom(List<String> rules, int from, TracedPacket s, double p, int depth) {
        for (int i = from; i < rules.size(); i++) {
            String rule = rules.get(i);
            int c = rule.indexOf(" comment \"");
            if (c >= 0) {
                rule = rule.substring(0, c);
            }
            List<Res> r = evalRule(rule.split(" "), s, p, depth, rules, i);
            if (r != null) {
                return r;
            }
        }
        return List.of(new Res(s, p, Kind.CONTINUE));
    }

    /** Returns null when the rule did not match (or was non-terminal): evaluation goes on with the next rule. */
    private List<Res> evalRule(String[] t, TracedPacket s, double p, int depth, List<String> rules, int idx) {
        int i = 0;
        while (i < t.length) {
            String w = t[i];
            switch (w) {
                case "ct": i += 3; break; // "ct state new": traced packets open a connection
                case "ip": case "ip6": {
                    boolean daddr = t[i + 1].equals("daddr");
                    IpAddress addr = daddr ? s.dst : s.srcAddr;
                    if (daddr && i + 2 < t.length && t[i + 2].equals(".")) {
                        // ip daddr . meta l4proto . th dport vmap @map
                        String key = s.dst + " . " + s.proto + " . " + s.dport;
                        return vmap(t[i + 9].substring(1), key, s, p, depth, rules, idx);
                    }
                    boolean neg = t[i + 2].equals("!=");
                    int v = neg ? i + 3 : i + 2;
                    boolean in;
                    int end;
                    if (t[v].equals("{")) {
                        in = false;
                        end = v + 1;
                        while (!t[end].equals("}")) {
                            if (!t[end].equals(",")) {
                                in |= Cidr.parse(t[end]).contains(addr);
                            }
                            end++;
                        }
                        end++;
                    } else if (t[v].startsWith("@")) {
                        in = sets.getOrDefault(t[v].substring(1), Set.of()).contains(addr.toString());
                        end = v + 1;
                    } else {
                        in = Cidr.parse(t[v]).contains(addr);
                        end = v + 1;
                    }
                    if (in == neg) {
                        return null;
                    }
                    i = end;
                    break;
                }
                case "tcp": case "udp": case "sctp":
                    if (!s.proto.equals(w) || s.dport != Integer.parseInt(t[i + 2])) {
                        return null;
                    }
                    i += 3;
                    break;
                case "fib": {
                    boolean daddr = t[i + 1].equals("daddr");
                    if (!local.contains(daddr ? s.dst : s.srcAddr)) {
                        return null;
                    }
                    i += 4;
                    break;
                }
                case "meta":
                    if (t[i + 1].equals("l4proto") && i + 2 < t.length && t[i + 2].equals(".")) {
                        // meta l4proto . th dport vmap @map
                        return vmap(t[i + 6].substring(1), s.proto + " . " + s.dport, s, p, depth, rules, idx);
                    }
                    if (!s.proto.equals(t[i + 2])) {
                        return null;
                    }
                    i += 3;
                    break;
                case "mark":
                    if (t[i + 1].equals("set")) {
                        int m = (int) Long.parseLong(t[i + 4].substring(2), 16);
                        s.mark = t[i + 3].equals("or") ? s.mark | m : s.mark ^ m;
                        return null;
                    }
                    // mark and M == 0
                    if ((s.mark & (int) Long.parseLong(t[i + 2].substring(2), 16)) != Integer.parseInt(t[i + 4])) {
                        return null;
                    }
                    i += 5;
                    break;
                case "numgen": {
                    int n = Integer.parseInt(t[i + 3]);
                    List<Res> out = new ArrayList<>();
                    int k = i + 6;
                    for (int e = 0; e < n; e++) {
                        String verdict = t[k + 2];
                        String target = t[k + 3];
                        out.addAll(verdict(verdict, target, new TracedPacket(s), p / n, depth, rules, idx));
                        k += 5;
                    }
                    return out;
                }
                case "update":
                    sets.computeIfAbsent(t[i + 1].substring(1), x -> new HashSet<>()).add(s.src);
                    return null;
                case "dnat": {
                    s.dnatTo(t[i + 2]);
                    return List.of(new Res(s, p, Kind.ACCEPT));
                }
                case "masquerade":
                    s.masq = true;
                    return List.of(new Res(s, p, Kind.ACCEPT));
                case "jump": case "goto":
                    return verdict(w, t[i + 1], s, p, depth, rules, idx);
                case "return": return List.of(new Res(s, p, Kind.CONTINUE));
                case "drop": return List.of(new Res(s, p, Kind.DROP));
                case "reject": return List.of(new Res(s, p, Kind.REJECT));
                case "accept": return List.of(new Res(s, p, Kind.ACCEPT));
                default: throw new IllegalArgumentException("unsupported nft rule word '" + w + "' in: " + String.join(" ", t));
            }
        }
        return null;
    }

    private List<Res> vmap(String map, String key, TracedPacket s, double p, int depth, List<String> rules, int idx) {
        String v = maps.getOrDefault(map, Map.of()).get(key);
        if (v == null) {
            return null;
        }
        String[] vt = v.split(" ");
        return verdict(vt[0], vt.length > 1 ? vt[1] : null, s, p, depth, rules, idx);
    }

    /** A verdict reached inside rule {@code idx} of {@code rules}: jump returns there, goto does not. */
    private List<Res> verdict(String verdict, String target, TracedPacket s, double p, int depth, List<String> rules, int idx) {
        switch (verdict) {
            case "drop": return List.of(new Res(s, p, Kind.DROP));
            case "accept": return List.of(new Res(s, p, Kind.ACCEPT));
            case "jump": {
                List<Res> out = new ArrayList<>();
                for (Res r : evalChain(target, s, p, depth + 1)) {
                    if (r.kind == Kind.CONTINUE) {
                        out.addAll(evalFrom(rules, idx + 1, r.s, r.p, depth));
                    } else {
                        out.add(r);
                    }
                }
                return out;
            }
            case "goto": return evalChain(target, s, p, depth + 1);
            default: throw new IllegalArgumentException("unsupported verdict " + verdict);
        }
    }
}
