/**
 * kube-proxy's rule generation: Service/EndpointSlice change tracking ({@link
 * io.kplane.proxy.ServiceTracker}), pure renderers for iptables ({@link
 * io.kplane.proxy.IptablesRenderer}), nftables ({@link io.kplane.proxy.NftablesRenderer}) and IPVS
 * ({@link io.kplane.proxy.IpvsRenderer}), packet tracers that interpret the rendered text, and the
 * sync loop ({@link io.kplane.proxy.ProxySyncLoop}) that applies it through a {@link
 * io.kplane.proxy.RulesApplier}.
 *
 * <p>Upstream behaviour carried over, each pinned by a test: endpoint condition defaults
 * (ready/serving unset mean true, {@code EndpointConditionsTest}); topology hints for
 * {@code trafficDistribution: PreferClose} and topology-aware routing (this node's hints, else
 * this node's zone, {@link io.kplane.proxy.ProxyConfig#nodeZone}; {@code TopologyHintsTest});
 * nftables NodePorts on the node's primary IP only, in the {@code nodeport-ips} set (upstream's
 * default {@code --nodeport-addresses=primary}; {@link
 * io.kplane.proxy.ProxyConfig#nodePortsOnAllAddresses} restores every local address); and
 * removal of per-service chains left by an earlier process: before each full sync the loop lists
 * what the kernel holds ({@code iptables-save -t nat} / {@code nft list chains ip}, {@link
 * io.kplane.proxy.ExistingChains}) and the renderer deletes what no service uses
 * ({@code LeftoverChainsTest}, with the real tools in a throw-away network namespace).
 *
 * <p>Golden files: {@code impl/src/test/resources/io/kplane/proxy/golden/} holds the exact text
 * each backend renders for the test fixture (full and partial syncs). {@code GoldenRulesTest}
 * compares byte for byte; after a deliberate change regenerate them with
 * {@code mvn -pl impl -am test -Dtest=GoldenRulesTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dkplane.golden.update=true} and review the diff.
 *
 * <p>Not modelled: IPv6 and dual-stack ({@code table ip6 kube-proxy}, ip6tables); only IPv4
 * slices are proxied.
 */
package io.kplane.proxy;
