package io.kplane.proxy.nftables;

import java.util.List;

/**
 * The result of one nftables sync: an {@code nft -f} transaction for {@code table ip kube-proxy}.
 *
 * @param text            the transaction (ASCII)
 * @param full            whether the whole table was (re)written
 * @param rules           {@code add rule} lines in this transaction
 * @param elements        {@code add element} lines in this transaction
 * @param chainsWritten   chains created or flushed and refilled
 * @param staleChains     service chains flushed now and deleted by the next sync
 * @param servicesWritten service ports whose chains were (re)written
 */
public record NftablesRuleset(String text, boolean full, int rules, int elements, int chainsWritten,
                              List<String> staleChains, int servicesWritten) {
}
