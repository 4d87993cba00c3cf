package io.kplane.proxy;

/** Loads rendered rules into the kernel (or anywhere); the sync loop's only side effect. */
@FunctionalInterface
public interface RulesApplier {
    /** Applies {@code text}; throws with the tool's message when it is rejected. */
    void apply(String text, boolean full) throws Exception;

    /** {@code iptables-restore --noflush} (or {@code nft -f}) inside a network namespace. */
    static RulesApplier inNamespace(NetworkNamespace ns, java.util.List<String> command) {
        return (text, full) -> ns.exec(command, text).orThrow(String.join(" ", command));
    }
}
