package io.kplane.check;

import java.util.List;

/** A shortest behaviour that ends in a violation of {@code invariant}. */
public record CounterexampleTrace(String invariant, List<Step> steps) {

    /** One numbered step: the action taken and the state it produced. */
    public record Step(int number, String action, String state) {}

    /** The numbered, readable rendering printed by {@code kplane check}. */
    public String render() {
        StringBuilder b = new StringBuilder();
        b.append("Counterexample: ").append(invariant).append(" is violated after ")
                .append(steps.size() - 1).append(" step(s)\n");
        for (Step s : steps) {
            b.append(String.format("%3d. %s%n", s.number(), s.action()));
            s.state().lines().forEach(l -> b.append("       ").append(l).append('\n'));
        }
        return b.toString();
    }
}
