/**
 * kube-proxy's iptables mode: {@link io.kplane.proxy.iptables.IptablesRenderer} writes
 * {@code iptables-restore} input (full and partial syncs, KEP-3453), {@link
 * io.kplane.proxy.iptables.IptablesRules} parses restore/save text, and {@link
 * io.kplane.proxy.iptables.IptablesTracer} follows a packet through it. The renderer writes one
 * method per chain kind (filter verdicts, KUBE-SERVICES/KUBE-NODEPORTS dispatch, KUBE-SVC/SVL,
 * KUBE-EXT, KUBE-FW, KUBE-SEP).
 */
package io.kplane.proxy.iptables;
