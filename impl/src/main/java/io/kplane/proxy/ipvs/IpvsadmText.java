package io.kplane.proxy.ipvs;

import io.kplane.proxy.IpAddress;
import io.kplane.proxy.IpFamily;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code ipvsadm-restore} / {@code ipvsadm-save -n} text format: parsed with the checks
 * {@code ipvsadm} applies (known scheduler, valid addresses and ports, real servers only under an
 * existing virtual server, no duplicates), and formatted back. IPVS itself cannot be loaded in
 * every kernel, so this is how IPVS output is validated.
 */
public final class IpvsadmText {
    private static final Set<String> SCHEDULERS = Set.of("rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed",
            "nq", "fo", "ovf", "mh", "twos");

    /** A virtual service address. {@code proto} is tcp, udp or sctp. */
    public record VirtualKey(String proto, String ip, int port) {
        String flag() {
            return proto.equals("tcp") ? "-t" : proto.equals("udp") ? "-u" : "--sctp-service";
        }
    }

    /** A real server; method is m (masquerade/NAT), g (gatewaying) or i (ipip). */
    public record RealServer(String ip, int port, String method, int weight) {
    }

    public record VirtualServer(VirtualKey key, String scheduler, Integer persistence, List<RealServer> reals) {
    }

    private IpvsadmText() {
    }

    public static Map<VirtualKey, VirtualServer> parse(String text) {
        Map<VirtualKey, VirtualServer> out = new LinkedHashMap<>();
        int lineNo = 0;
        for (String line : text.split("\n")) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            String[] t = line.trim().split("\\s+");
            String cmd = t[0];
            VirtualKey key = null;
            String sched = "wlc"; // ipvsadm's default
            Integer persistence = null;
            String realIp = null;
            int realPort = 0;
            String method = "g";
            int weight = 1;
            for (int i = 1; i < t.length; i++) {
                switch (t[i]) {
                    case "-t": case "--tcp-service": key = key("tcp", t[++i], lineNo); break;
                    case "-u": case "--udp-service": key = key("udp", t[++i], lineNo); break;
                    case "--sctp-service": key = key("sctp", t[++i], lineNo); break;
                    case "-s": case "--scheduler":
                        sched = t[++i];
                        if (!SCHEDULERS.contains(sched)) {
                            throw error(lineNo, "unknown scheduler " + sched);
                        }
                        break;
                    case "-p": case "--persistent":
                        persistence = 300;
                        if (i + 1 < t.length && t[i + 1].matches("\\d+")) {
                            persistence = Integer.parseInt(t[++i]);
                        }
                        break;
                    case "-r": case "--real-server": {
                        String[] hp = hostPort(t[++i], lineNo);
                        realIp = hp[0];
                        realPort = Integer.parseInt(hp[1]);
                        break;
                    }
                    case "-m": case "--masquerading": method = "m"; break;
                    case "-g": case "--gatewaying": method = "g"; break;
                    case "-i": case "--ipip": method = "i"; break;
                    case "-w": case "--weight":
                        weight = Integer.parseInt(t[++i]);
                        if (weight < 0 || weight > 65535) {
                            throw error(lineNo, "weight out of range: " + weight);
                        }
                        break;
                    default: throw error(lineNo, "unknown option " + t[i]);
                }
            }
            if (key == null) {
                throw error(lineNo, "no service address");
            }
            if (cmd.equals("-A") || cmd.equals("--add-service")) {
                if (out.containsKey(key)) {
                    throw error(lineNo, "service already exists: " + key);
                }
                out.put(key, new VirtualServer(key, sched, persistence, new ArrayList<>()));
            } else if (cmd.equals("-a") || cmd.equals("--add-server")) {
                VirtualServer vs = out.get(key);
                if (vs == null) {
                    throw error(lineNo, "no such service: " + key);
                }
                if (realIp == null) {
                    throw error(lineNo, "no real server");
                }
                for (RealServer r : vs.reals()) {
                    if (r.ip().equals(realIp) && r.port() == realPort) {
                        throw error(lineNo, "destination already exists: " + realIp + ":" + realPort);
                    }
                }
                vs.reals().add(new RealServer(realIp, realPort, method, weight));
            } else {
                throw error(lineNo, "unknown command " + cmd);
            }
        }
        return out;
    }

    public static String format(Collection<VirtualServer> servers) {
        StringBuilder sb = new StringBuilder();
        for (VirtualServer vs : servers) {
            VirtualKey k = vs.key();
            sb.append("-A ").append(k.flag()).append(' ').append(IpFamily.hostPort(k.ip(), k.port())).append(" -s ")
                    .append(vs.scheduler());
            if (vs.persistence() != null) {
                sb.append(" -p ").append(vs.persistence());
            }
            sb.append('\n');
            for (RealServer r : vs.reals()) {
                sb.append("-a ").append(k.flag()).append(' ').append(IpFamily.hostPort(k.ip(), k.port())).append(" -r ")
                        .append(IpFamily.hostPort(r.ip(), r.port())).append(" -").append(r.method()).append(" -w ")
                        .append(r.weight()).append('\n');
            }
        }
        return sb.toString();
    }

    private static VirtualKey key(String proto, String hostPort, int lineNo) {
        String[] hp = hostPort(hostPort, lineNo);
        return new VirtualKey(proto, hp[0], Integer.parseInt(hp[1]));
    }

    private static String[] hostPort(String s, int lineNo) {
        int colon = s.lastIndexOf(':');
        if (colon < 0) {
            throw error(lineNo, "address without port: " + s);
        }
        String ip = s.substring(0, colon);
        if (ip.startsWith("[") && ip.endsWith("]")) {
            ip = ip.substring(1, ip.length() - 1);
        }
        if (!IpAddress.isValid(ip)) {
            throw error(lineNo, "not an IP address: " + ip);
        }
        ip = IpAddress.parse(ip).toString();
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw error(lineNo, "bad port in " + s);
        }
        if (port < 0 || port > 65535) {
            throw error(lineNo, "port out of range in " + s);
        }
        return new String[] {ip, Integer.toString(port)};
    }

    private static IllegalArgumentException error(int line, String msg) {
        return new IllegalArgumentException("ipvsadm line " + line + ": " + msg);
    }
}
