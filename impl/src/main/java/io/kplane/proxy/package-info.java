/**
 * kube-proxy's rule generation, the shared part: Service/EndpointSlice change tracking ({@link
 * io.kplane.proxy.ServiceTracker}), the service and endpoint model with kube-proxy's derived names
 * ({@link io.kplane.proxy.ChainNames}), endpoint categorisation and traffic policy shared by the
 * backends, and the tracing vocabulary ({@link io.kplane.proxy.Packet}, {@link
 * io.kplane.proxy.Trace}). One package per backend renders and traces rules:
 * {@code io.kplane.proxy.iptables}, {@code io.kplane.proxy.nftables}, {@code io.kplane.proxy.ipvs}
 * (which also writes iptables helper rules); {@code io.kplane.proxy.runtime} holds the sync loop
 * and the running component, which apply rules through a {@link io.kplane.proxy.RulesApplier}.
 * The shared package knows no backend, and backends do not use each other except IPVS using the
 * iptables rule model ({@code ArchitectureTest.proxyBackendsAreSeparate}).
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
 * <p>Dual-stack: as kube-proxy, one proxier per IP family ({@link io.kplane.proxy.IpFamily}):
 * {@link io.kplane.proxy.ProxyConfig#forFamily} gives the IPv6 proxier its node IP and cluster
 * CIDR, a {@link io.kplane.proxy.ServiceTracker} per family takes that family's cluster IP
 * ({@code spec.ipFamilies}/{@code clusterIPs}, upstream's GetClusterIPByFamily), addresses and
 * source ranges and only EndpointSlices of its {@code addressType}; the IPv6 renderers write
 * {@code ip6tables-restore} input, {@code table ip6 kube-proxy} and IPv6 virtual servers
 * ({@code DualStackTest}, with the real ip6tables-legacy, nft and ipset in a throw-away namespace).
 * {@link io.kplane.proxy.runtime.ProxyRuntime} runs one loop per family from the same informers,
 * each with its own applier ({@code iptables-restore}/{@code ip6tables-restore}, or the
 * {@code ip}/{@code ip6 kube-proxy} table) and rules file; {@link io.kplane.proxy.ProxierFamilies}
 * decides the families as kube-proxy does (primary from the node IP, the other whenever the host
 * can program it; {@code --ip-families} pins them). {@code DualStackProxyRuntimeTest} runs it
 * against a dual-stack API server and checks both families' files with the real tools.
 * Endpoints for both families: in a dual-stack {@code kplane up} the hollow kubelets give each pod
 * an IPv4 and an IPv6 address ({@code kubelet --dual-stack}, {@code DualStackHollowNodeTest}) and
 * the EndpointSlice controller writes one slice set per family of the Service
 * ({@code EndpointSliceSyncTest.aDualStackServiceGetsOneSliceOfEachFamilyWithThePodsAddressOfThatFamily}).
 *
 * <p>{@code kplane proxy run} takes its node IP and zone from its own Node object unless given as
 * flags ({@link io.kplane.proxy.NodeIdentity}: the family's first InternalIP, else ExternalIP, and
 * the {@code topology.kubernetes.io/zone} label; {@code NodeIdentityTest}).
 */
package io.kplane.proxy;
