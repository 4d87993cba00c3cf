package io.kplane.check.trace;

/**
 * The first trace line that no step of the spec's rules explains.
 *
 * @param line    the offending line
 * @param rule    the rule it breaks (e.g. ElectionSafety, ReceiveWasSent)
 * @param message what is wrong, with the values involved
 */
public record TraceViolation(TraceLine line, String rule, String message) {

    @Override
    public String toString() {
        return "line " + line.position() + " (" + line.where() + "): [" + rule + "] " + message;
    }
}
