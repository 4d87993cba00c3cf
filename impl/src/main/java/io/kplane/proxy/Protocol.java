package io.kplane.proxy;

/** The L4 protocols a Service port can carry. Chain-name hashing uses the lower-case spelling. */
public enum Protocol {
    TCP("tcp"),
    UDP("udp"),
    SCTP("sctp");

    private final String lower;

    Protocol(String lower) {
        this.lower = lower;
    }

    /** "tcp", "udp" or "sctp": the spelling used in rules and in kube-proxy's chain-name hashes. */
    public String lower() {
        return lower;
    }

    /** Parses the Kubernetes spelling ("TCP"); null or empty means TCP, as the API defaults it. */
    public static Protocol parse(String s) {
        if (s == null || s.isEmpty()) {
            return TCP;
        }
        switch (s) {
            case "TCP": case "tcp": return TCP;
            case "UDP": case "udp": return UDP;
            case "SCTP": case "sctp": return SCTP;
            default: throw new IllegalArgumentException("unsupported protocol \"" + s + "\" (want TCP, UDP or SCTP)");
        }
    }
}
