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
        return new RulesApplier() {
            @Override
            public void apply(String text, boolean full) throws Exception {
                ns.exec(List.of("iptables-legacy-restore", "--noflush"), text).orThrow("iptables-legacy-restore");
            }

            @Override
            public Set<String> existingChains() throws Exception {
                return ExistingChains.fromIptablesSave(
                        ns.exec(List.of("iptables-legacy-save", "-t", "nat"), (byte[]) null).orThrow("iptables-legacy-save").stdout());
            }
        };
    }

    /** {@code nft -f} in a namespace, listing with {@code nft list chains ip}. */
    static RulesApplier nftablesInNamespace(NetworkNamespace ns) {
        return new RulesApplier() {
            @Override
            public void apply(String text, boolean full) throws Exception {
                ns.exec(List.of("nft", "-f", "-"), text).orThrow("nft -f");
            }

            @Override
            public Set<String> existingChains() throws Exception {
                return ExistingChains.fromNftList(
                        ns.exec(List.of("nft", "list", "chains", "ip"), (byte[]) null).orThrow("nft list chains").stdout());
            }
        };
    }
}
