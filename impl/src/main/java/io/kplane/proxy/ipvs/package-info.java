/**
 * kube-proxy's IPVS mode: {@link io.kplane.proxy.ipvs.IpvsRenderer} writes the virtual servers
 * ({@code ipvsadm-restore}), the kube-ipvs0 addresses, the KUBE-* ipsets and the helper iptables
 * rules; {@link io.kplane.proxy.ipvs.IpvsadmText} and {@link io.kplane.proxy.ipvs.IpsetText} parse
 * them back, and {@link io.kplane.proxy.ipvs.IpvsTracer} follows a packet. The helper rules use
 * the iptables package's rule model and tracer, as upstream's IPVS mode programs iptables too.
 */
package io.kplane.proxy.ipvs;
