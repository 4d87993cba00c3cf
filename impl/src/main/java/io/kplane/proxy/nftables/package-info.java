/**
 * kube-proxy's nftables mode (KEP-3866): {@link io.kplane.proxy.nftables.NftablesRenderer} writes
 * {@code nft -f} transactions for {@code table ip kube-proxy} (full and partial), and {@link
 * io.kplane.proxy.nftables.NftablesTracer} applies them and follows a packet through the base
 * chains.
 */
package io.kplane.proxy.nftables;
