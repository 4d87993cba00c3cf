package io.kplane.proxy.ipvs;

/**
 * kube-proxy's IPVS mode as text: what it programs through netlink, in the tools' own formats.
 *
 * @param ipvsadmRestore   virtual and real servers ({@code ipvsadm-restore} input)
 * @param addressBatch     the addresses bound to the {@code kube-ipvs0} dummy interface ({@code ip -batch} input)
 * @param ipsetRestore     the ipsets ({@code ipset restore} input)
 * @param iptablesRestore  the helper iptables rules matching those sets ({@code iptables-restore --noflush} input)
 * @param virtualServers   number of virtual servers
 * @param realServers      number of real servers
 * @param ipsetEntries     number of ipset entries
 */
public record IpvsRuleset(String ipvsadmRestore, String addressBatch, String ipsetRestore, String iptablesRestore,
                          int virtualServers, int realServers, int ipsetEntries) {
}
