package io.kplane.check.torture;

/** The faults a torture run injects ({@code --nemesis} takes their names). */
enum Fault {
    /** SIGKILL the leader, restart it after the hold. */
    KILL_LEADER("kill-leader"),
    /** SIGKILL a follower, restart it after the hold. */
    KILL_FOLLOWER("kill-follower"),
    /** SIGSTOP the leader, SIGCONT after the hold. */
    PAUSE_LEADER("pause-leader"),
    /** SIGSTOP a follower, SIGCONT after the hold. */
    PAUSE_FOLLOWER("pause-follower"),
    /** Cut the leader off from every other member (iptables DROP both ways). */
    PARTITION_LEADER("partition-leader"),
    /** Split the members into a random minority and majority. */
    PARTITION_HALVES("partition-halves"),
    /** Fill one member's data disk (its tmpfs) to the last byte; free it after the hold. */
    DISK_FULL("disk-full"),
    /** Remove a follower from the cluster, wipe it, add it back (Cluster API MemberRemove/MemberAdd). */
    MEMBER_REPLACE("member-replace"),
    /**
     * A membership change during a fault: replace a follower as {@link #MEMBER_REPLACE} does and,
     * while the new member is still joining (empty log, waiting for the leader's snapshot), kill,
     * pause or cut off the leader. The removal and the addition themselves need a healthy cluster
     * on etcd 3.4 (it refuses them as "unhealthy" while any voter is down), so the fault follows
     * the reconfiguration instead of preceding it: the new voter must help elect a leader and be
     * caught up by it while the old one is gone.
     */
    MEMBER_REPLACE_UNDER_FAULT("member-replace-under-fault");

    final String cliName;

    Fault(String cliName) {
        this.cliName = cliName;
    }

    static Fault parse(String name) {
        for (Fault f : values()) {
            if (f.cliName.equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown nemesis '" + name + "' (known: "
                + String.join(", ", java.util.Arrays.stream(values()).map(f -> f.cliName).toList()) + ")");
    }

    /** One injected fault, for the report: what, on whom, when (seconds since the run started). */
    record Injected(String fault, String detail, double startSeconds, double endSeconds, String outcome) {
    }
}
