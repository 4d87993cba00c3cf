package io.kplane.proxy.ipvs;

import io.kplane.proxy.Cidr;
import io.kplane.proxy.IpAddress;
import io.kplane.proxy.iptables.IptablesRules;
import io.kplane.proxy.iptables.IptablesTracer;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code ipset restore} input, parsed with each entry checked against its set's type, and
 * membership tests for the iptables tracer's {@code -m set --match-set NAME flags} matches.
 */
public final class IpsetText {
    /** A set: its type and its entries in canonical form. */
    public record IpSet(String name, String type, Set<String> entries) {
    }

    private final Map<String, IpSet> sets = new LinkedHashMap<>();

    public static IpsetText parse(String text) {
        IpsetText out = new IpsetText();
        int lineNo = 0;
        for (String line : text.split("\n")) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            List<String> t = IptablesRules.tokenize(line);
            String cmd = t.get(0);
            String name = t.get(1);
            switch (cmd) {
                case "create": {
                    String type = t.get(2);
                    if (!List.of("hash:ip,port", "hash:ip,port,ip", "hash:ip,port,net", "bitmap:port", "hash:ip", "hash:net").contains(type)) {
                        throw new IllegalArgumentException("ipset line " + lineNo + ": unsupported set type " + type);
                    }
                    out.sets.putIfAbsent(name, new IpSet(name, type, new LinkedHashSet<>()));
                    break;
                }
                case "flush": set(out, name, lineNo).entries().clear(); break;
                case "add": {
                    IpSet s = set(out, name, lineNo);
                    String entry = t.get(2);
                    check(s.type(), entry, lineNo);
                    if (!s.entries().add(entry)) {
                        throw new IllegalArgumentException("ipset line " + lineNo + ": element already added: " + entry);
                    }
                    break;
                }
                default: throw new IllegalArgumentException("ipset line " + lineNo + ": unknown command " + cmd);
            }
        }
        return out;
    }

    private static IpSet set(IpsetText t, String name, int lineNo) {
        IpSet s = t.sets.get(name);
        if (s == null) {
            throw new IllegalArgumentException("ipset line " + lineNo + ": set " + name + " does not exist");
        }
        return s;
    }

    private static void check(String type, String entry, int lineNo) {
        try {
            String[] p = entry.split(",");
            switch (type) {
                case "bitmap:port": port(entry); break;
                case "hash:ip": IpAddress.parse(entry); break;
                case "hash:net": Cidr.parse(entry); break;
                default: {
                    int want = type.equals("hash:ip,port") ? 2 : 3;
                    if (p.length != want) {
                        throw new IllegalArgumentException("wrong number of fields");
                    }
                    IpAddress.parse(p[0]);
                    String[] pp = p[1].split(":");
                    if (pp.length != 2 || !List.of("tcp", "udp", "sctp").contains(pp[0])) {
                        throw new IllegalArgumentException("want proto:port, got " + p[1]);
                    }
                    port(pp[1]);
                    if (want == 3) {
                        if (type.endsWith(",ip")) {
                            IpAddress.parse(p[2]);
                        } else {
                            Cidr.parse(p[2]);
                        }
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ipset line " + lineNo + ": bad " + type + " entry " + entry + ": "
                    + e.getMessage(), e);
        }
    }

    private static int port(String s) {
        int p = Integer.parseInt(s);
        if (p < 0 || p > 65535) {
            throw new IllegalArgumentException("port out of range");
        }
        return p;
    }

    public Map<String, IpSet> sets() {
        return sets;
    }

    /** Adds membership tests for every set to the tracer. */
    public IptablesTracer install(IptablesTracer tracer) {
        for (IpSet s : sets.values()) {
            tracer.withIpset(s.name(), (flags, src, dst, proto, dport) -> contains(s, flags, src, dst, proto, dport));
        }
        return tracer;
    }

    static boolean contains(IpSet s, String flags, String src, String dst, String proto, int dport) {
        String[] f = flags.split(",");
        switch (s.type()) {
            case "bitmap:port": return s.entries().contains(Integer.toString(dport));
            case "hash:ip": return s.entries().contains(f[0].equals("src") ? src : dst);
            case "hash:ip,port": return s.entries().contains((f[0].equals("src") ? src : dst) + "," + proto + ":" + dport);
            case "hash:ip,port,ip":
                return s.entries().contains((f[0].equals("src") ? src : dst) + "," + proto + ":" + dport + ","
                        + (f[2].equals("src") ? src : dst));
            case "hash:ip,port,net": {
                String prefix = (f[0].equals("src") ? src : dst) + "," + proto + ":" + dport + ",";
                String third = f[2].equals("src") ? src : dst;
                for (String e : s.entries()) {
                    if (e.startsWith(prefix) && Cidr.parse(e.substring(prefix.length())).contains(third)) {
                        return true;
                    }
                }
                return false;
            }
            default: return false;
        }
    }
}
