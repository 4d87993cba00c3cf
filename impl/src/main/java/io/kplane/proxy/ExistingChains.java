package io.kplane.proxy;

import java.util.Set;
import java.util.TreeSet;

/**
 * Reads which of kube-proxy's per-service chains the kernel holds, from the tools' listings, so
 * that a fresh process can remove the chains an earlier one left behind (upstream lists them
 * too: {@code iptables-save} in the iptables mode, {@code nft list chains} in the nftables mode).
 * Only chains kube-proxy names per service or endpoint count; the fixed chains are rewritten by
 * every full sync anyway.
 */
public final class ExistingChains {

    private ExistingChains() {}

    /** The per-service nat chain prefixes of the iptables mode. */
    private static final String[] IPTABLES_PREFIXES = {"KUBE-SVC-", "KUBE-SVL-", "KUBE-EXT-", "KUBE-FW-", "KUBE-SEP-"};

    /** Chains declared in {@code iptables-save -t nat} output ({@code :NAME POLICY [p:b]} lines). */
    public static Set<String> fromIptablesSave(String saved) {
        Set<String> out = new TreeSet<>();
        for (String line : saved.split("\n")) {
            if (!line.startsWith(":")) {
                continue;
            }
            int sp = line.indexOf(' ');
            String name = sp < 0 ? line.substring(1) : line.substring(1, sp);
            if (isIptablesServiceChain(name)) {
                out.add(name);
            }
        }
        return out;
    }

    public static boolean isIptablesServiceChain(String name) {
        for (String p : IPTABLES_PREFIXES) {
            if (name.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Chains of {@code table ip kube-proxy} in {@code nft list chains ip} output ({@code chain NAME
     * {} lines) whose name has a slash: kube-proxy's service and endpoint chains
     * ({@code service-HASH-ns/svc/...}).
     */
    public static Set<String> fromNftList(String listed) {
        return fromNftList(listed, IpFamily.IPv4);
    }

    /** The same for {@code family}'s table ({@code table ip kube-proxy} / {@code table ip6 kube-proxy}). */
    public static Set<String> fromNftList(String listed, IpFamily family) {
        String table = "table " + family.nft() + " kube-proxy ";
        Set<String> out = new TreeSet<>();
        boolean inKubeProxy = false;
        for (String line : listed.split("\n")) {
            String t = line.strip();
            if (t.startsWith("table ")) {
                inKubeProxy = t.startsWith(table);
                continue;
            }
            if (!inKubeProxy || !t.startsWith("chain ")) {
                continue;
            }
            String name = t.substring(6);
            int sp = name.indexOf(' ');
            if (sp >= 0) {
                name = name.substring(0, sp);
            }
            if (name.indexOf('/') >= 0) {
                out.add(name);
            }
        }
        return out;
    }
}
