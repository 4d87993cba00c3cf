package io.kplane.proxy;

import java.util.List;
import java.util.Set;

/** Loads rendered rules into the kernel (or anywhere); the sync loop's only side effect. */
@FunctionalInterface
public interface RulesApplier {
    /** Applies {@code text}; throws with the tool's message when it is rejected. */
    void apply(String text, boolean full) throws Exception;

    /**
     * kube-proxy's per-service chains the kernel holds now ({@link ExistingChains}), listed before a
     * full sync so that chains left by an earlier process are removed. Empty when unknown.
     */
    default Set<String> existingChains() throws Exception {
        return Set.of();
    }

    /** {@code iptables-restore --noflush} (or {@code nft -f}) inside a network namespace. */
    static RulesApplier inNamespace(NetworkNamespace ns, List<String> command) {
        return (text, full) -> ns.exec(command, text).orThrow(String.join(" ", command));
    }

    /** {@code iptables-legacy-restore --noflush} in a namespace, listing with {@code iptables-legacy-save -t nat}. */
    static RulesApplier iptablesInNamespace(NetworkNamespace ns) {
        return iptablesInNamespace(ns, IpFamily.IPv4);
    }

    /** The same with {@code ip6tables-legacy-restore}/{@code ip6tables-legacy-save} for the IPv6 proxier. */
    static RulesApplier iptablesInNamespace(NetworkNamespace ns, IpFamily family) {
        String tool = family == IpFamily.IPv4 ? "iptables-legacy" : "ip6tables-legacy";
        return new RulesApplier() {
            @Override
            public void apply(String text, boolean full) throws Exception {
                ns.exec(List.of(tool + "-restore", "--noflush"), text).orThrow(tool + "-restore");
            }

            @Override
            public Set<String> existingChains() throws Exception {
                return ExistingChains.fromIptablesSave(
                        ns.exec(List.of(tool + "-save", "-t", "nat"), (byte[]) null).orThrow(tool + "-save").stdout());
            }
        };
    }

    /** {@code nft -f} in a namespace, listing with {@code nft list chains ip}. */
    static RulesApplier nftablesInNamespace(NetworkNamespace ns) {
        return nftablesInNamespace(ns, IpFamily.IPv4);
    }

    /** {@code nft -f} in a namespace for {@code family}'s table, listing with {@code nft list chains ip|ip6}. */
    static RulesApplier nftablesInNamespace(NetworkNamespace ns, IpFamily family) {
        return new RulesApplier() {
            @Override
            public void apply(String text, boolean full) throws Exception {
                ns.exec(List.of("nft", "-f", "-"), text).orThrow("nft -f");
            }

            @Override
            public Set<String> existingChains() throws Exception {
                return ExistingChains.fromNftList(
                        ns.exec(List.of("nft", "list", "chains", family.nft()), (byte[]) null).orThrow("nft list chains").stdout(),
                        family);
            }
        };
    }
}
