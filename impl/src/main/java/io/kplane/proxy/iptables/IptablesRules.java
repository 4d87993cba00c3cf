package io.kplane.proxy.iptables;

import io.kplane.proxy.Cidr;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parsed {@code iptables-restore}/{@code iptables-save} text: tables, chains, and each rule's
 * matches and target, for the subset of iptables that kube-proxy writes. Both kplane's restore
 * input and the kernel's read-back (with its normalised spellings) parse into the same form, which
 * is what lets tests compare them by behaviour.
 */
public final class IptablesRules {

    /** One rule. Null/negative fields mean "no such match". */
    public record Rule(String chain, String proto, Cidr src, boolean srcNeg, Cidr dst, boolean dstNeg, int dport,
                       Boolean srcTypeLocal, Boolean dstTypeLocal, Double probability, String recentName,
                       boolean recentSet, boolean recentCheck, Integer markValue, Integer markMask, boolean markNeg,
                       String ctstate, boolean ctstateNeg, String matchSet, String matchSetFlags, boolean matchSetNeg,
                       String target, String toDestination, String markOp, Integer targetMark, Integer targetMask,
                       String text) {
    }

    private final Map<String, Map<String, List<Rule>>> tables = new LinkedHashMap<>();

    public static IptablesRules parse(String text) {
        IptablesRules r = new IptablesRules();
        String table = null;
        int lineNo = 0;
        for (String line : text.split("\n")) {
            lineNo++;
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("*")) {
                table = line.substring(1).trim();
                r.tables.computeIfAbsent(table, k -> new LinkedHashMap<>());
            } else if (line.equals("COMMIT")) {
                table = null;
            } else if (line.startsWith(":")) {
                String chain = line.substring(1, line.indexOf(' '));
                // A chain line (re)creates and flushes the chain.
                r.tables.get(table).put(chain, new ArrayList<>());
            } else if (line.startsWith("-X ")) {
                r.tables.get(table).remove(line.substring(3).trim());
            } else if (line.startsWith("-A ") || line.startsWith("-I ")) {
                if (table == null) {
                    throw new IllegalArgumentException("line " + lineNo + ": rule outside a table");
                }
                List<String> tok = tokenize(line);
                String chain = tok.get(1);
                List<Rule> rules = r.tables.get(table).computeIfAbsent(chain, k -> new ArrayList<>());
                Rule rule = parseRule(chain, tok.subList(2, tok.size()), line, lineNo);
                if (line.startsWith("-I ")) {
                    rules.add(0, rule);
                } else {
                    rules.add(rule);
                }
            } else {
                throw new IllegalArgumentException("line " + lineNo + ": cannot parse: " + line);
            }
        }
        return r;
    }

    /** Adds a rule the way {@code iptables -t table -I chain ...} would (used for kube-proxy's jump rules). */
    public void insert(String table, String chain, String ruleArgs) {
        List<Rule> rules = tables.computeIfAbsent(table, k -> new LinkedHashMap<>())
                .computeIfAbsent(chain, k -> new ArrayList<>());
        rules.add(0, parseRule(chain, tokenize(ruleArgs), ruleArgs, 0));
    }

    public Map<String, List<Rule>> table(String name) {
        return tables.getOrDefault(name, Map.of());
    }

    public List<Rule> chain(String table, String chain) {
        return table(table).get(chain);
    }

    /** Splits a rule into words, honouring double quotes (as iptables-restore does). */
    public static List<String> tokenize(String line) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (c == ' ') {
                i++;
                continue;
            }
            StringBuilder sb = new StringBuilder();
            if (c == '"') {
                i++;
                while (i < n && line.charAt(i) != '"') {
                    if (line.charAt(i) == '\\' && i + 1 < n) {
                        i++;
                    }
                    sb.append(line.charAt(i++));
                }
                i++;
            } else {
                while (i < n && line.charAt(i) != ' ') {
                    sb.append(line.charAt(i++));
                }
            }
            out.add(sb.toString());
        }
        return out;
    }

    private static Rule parseRule(String chain, List<String> t, String text, int lineNo) {
        String proto = null;
        Cidr src = null;
        Cidr dst = null;
        boolean srcNeg = false;
        boolean dstNeg = false;
        int dport = -1;
        Boolean srcTypeLocal = null;
        Boolean dstTypeLocal = null;
        Double probability = null;
        String recentName = null;
        boolean recentSet = false;
        boolean recentCheck = false;
        Integer markValue = null;
        Integer markMask = null;
        boolean markNeg = false;
        String ctstate = null;
        boolean ctstateNeg = false;
        String matchSet = null;
        String matchSetFlags = null;
        boolean matchSetNeg = false;
        String target = null;
        String toDest = null;
        String markOp = null;
        Integer targetMark = null;
        Integer targetMask = null;
        boolean neg = false;
        for (int i = 0; i < t.size(); i++) {
            String a = t.get(i);
            switch (a) {
                case "!": neg = true; continue;
                case "-m": i++; break;
                case "-p": proto = t.get(++i); break;
                case "-s": src = Cidr.parse(t.get(++i)); srcNeg = neg; break;
                case "-d": dst = Cidr.parse(t.get(++i)); dstNeg = neg; break;
                case "--dport": dport = Integer.parseInt(t.get(++i)); break;
                case "--dst-type": dstTypeLocal = t.get(++i).equals("LOCAL") != neg; break;
                case "--src-type": srcTypeLocal = t.get(++i).equals("LOCAL") != neg; break;
                case "--mode": i++; break;
                case "--probability": probability = Double.parseDouble(t.get(++i)); break;
                case "--name": recentName = t.get(++i); break;
                case "--set":
                    if (target == null) {
                        recentSet = true;
                    }
                    break;
                case "--rcheck": recentCheck = true; break;
                case "--seconds": case "--mask": case "--comment": case "--nfacct-name": case "--reject-with":
                    i++;
                    break;
                case "--reap": case "--rsource": case "--random-fully": break;
                case "--mark": {
                    String[] vm = t.get(++i).split("/");
                    markValue = (int) Long.parseLong(vm[0].substring(2), 16);
                    markMask = vm.length > 1 ? (int) Long.parseLong(vm[1].substring(2), 16) : -1;
                    markNeg = neg;
                    break;
                }
                case "--ctstate": ctstate = t.get(++i); ctstateNeg = neg; break;
                case "--match-set": matchSet = t.get(++i); matchSetFlags = t.get(++i); matchSetNeg = neg; break;
                case "-j": target = t.get(++i); break;
                case "--to-destination": toDest = t.get(++i); break;
                case "--or-mark": case "--xor-mark": case "--set-xmark": case "--set-mark": case "--and-mark": {
                    markOp = a;
                    String[] vm = t.get(++i).split("/");
                    targetMark = (int) Long.parseLong(vm[0].substring(2), 16);
                    targetMask = vm.length > 1 ? (int) Long.parseLong(vm[1].substring(2), 16) : null;
                    break;
                }
                default:
                    throw new IllegalArgumentException("line " + lineNo + ": unsupported iptables argument '" + a
                            + "' in: " + text);
            }
            neg = false;
        }
        return new Rule(chain, proto, src, srcNeg, dst, dstNeg, dport, srcTypeLocal, dstTypeLocal, probability,
                recentName, recentSet, recentCheck, markValue, markMask, markNeg, ctstate, ctstateNeg, matchSet,
                matchSetFlags, matchSetNeg, target, toDest, markOp, targetMark, targetMask, text);
    }
}
