package io.kplane.proxy.iptables;

import java.util.List;

/**
 * The result of one iptables sync: the {@code iptables-restore --noflush} input for the filter and
 * nat tables, and what it contains.
 *
 * @param text          restore input (ASCII)
 * @param full          whether this was a full sync (every service chain written)
 * @param filterRules   rules in the filter table
 * @param natRules      nat rules written in this input (kube-proxy's {@code sync_proxy_rules_iptables_last})
 * @param natRulesTotal nat rules installed after it is applied (kube-proxy's {@code sync_proxy_rules_iptables_total})
 * @param natChains     chain lines in the nat table section (including the top-level ones)
 * @param deletedChains stale service chains this input deletes
 * @param servicesWritten service ports whose chains were (re)written
 */
public record IptablesRuleset(String text, boolean full, int filterRules, int natRules, int natRulesTotal,
                              int natChains, List<String> deletedChains, int servicesWritten) {
}
