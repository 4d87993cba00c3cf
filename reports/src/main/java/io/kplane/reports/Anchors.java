package io.kplane.reports;

/**
 * The published anchors of DESIGN.md §5, in one place so that every area cites them the same way.
 * They are context ({@link Anchor.Kind#PUBLISHED}: other hardware, other days): the front page shows
 * them but never calls a figure better or worse than one. Peers measured in the same run (etcd on
 * this machine) are built with {@link #measured}, the project's targets with {@link #goal}.
 */
public final class Anchors {

    private Anchors() {}

    /** The source of every peer measured in the same run. */
    public static final String MEASURED_IN_THIS_RUN = "measured in this run";
    /** The source prefix of the project's goals. */
    public static final String PROJECT_GOAL = "project goal";

    /** How to get the etcd peer on Debian/Ubuntu, said wherever a run had to go without it. */
    public static final String ETCD_INSTALL = "apt-get install -y etcd-server etcd-client";

    private static final String ETCD_DOCS = "etcd docs, Performance page (etcd 3.x, 3 members x 8 vCPU)";
    private static final String SCHED_PERF = "Kubernetes scheduler_perf (test/integration/scheduler_perf)";

    public static final Anchor ETCD_WRITES_1000_CLIENTS =
            new Anchor("etcd writes, 1000 clients", 44_341, "ops/s", ETCD_DOCS);
    public static final Anchor ETCD_WRITES_1_CLIENT =
            new Anchor("etcd writes, 1 client", 583, "ops/s", ETCD_DOCS);
    public static final Anchor ETCD_WRITES_1_CLIENT_LATENCY =
            new Anchor("etcd write latency avg, 1 client", 1.6, "ms", ETCD_DOCS);
    public static final Anchor ETCD_READS_LINEARIZABLE =
            new Anchor("etcd linearizable reads, 1000 clients", 141_578, "ops/s", ETCD_DOCS);
    public static final Anchor ETCD_READS_SERIALIZABLE =
            new Anchor("etcd serializable reads, 1000 clients", 185_758, "ops/s", ETCD_DOCS);
    public static final Anchor ETCD_WATCH_BYTES_PER_WATCHING =
            new Anchor("etcd memory per watching", 350, "B", "etcd docs, Watch memory usage benchmark");
    public static final Anchor ETCD_WATCH_BYTES_PER_STREAM =
            new Anchor("etcd memory per watch stream", 18_000, "B", "etcd docs, Watch memory usage benchmark");

    public static final Anchor SCHED_BASIC =
            new Anchor("SchedulingBasic 5000 nodes/10000 pods", 680, "pods/s", SCHED_PERF);
    public static final Anchor SCHED_POD_ANTI_AFFINITY =
            new Anchor("SchedulingPodAntiAffinity 5000/2000", 60, "pods/s", SCHED_PERF);
    public static final Anchor SCHED_POD_AFFINITY =
            new Anchor("SchedulingPodAffinity 5000/5000", 35, "pods/s", SCHED_PERF);
    public static final Anchor SCHED_NODE_AFFINITY =
            new Anchor("SchedulingNodeAffinity 5000/10000", 220, "pods/s", SCHED_PERF);
    public static final Anchor SCHED_TOPOLOGY_SPREADING =
            new Anchor("TopologySpreading 5000/5000", 460, "pods/s", SCHED_PERF);
    public static final Anchor SCHED_PREEMPTION_ASYNC =
            new Anchor("PreemptionAsync 5000 nodes", 570, "pods/s", SCHED_PERF);

    public static final Anchor PROXY_NETWORK_PROGRAMMING_P50 =
            new Anchor("kube-proxy network programming p50, 5000 nodes", 13, "s", "KEP-3453 (minimizing iptables-restore)");
    public static final Anchor IPTABLES_RESTORE_10K_SERVICES =
            new Anchor("iptables-restore (legacy) of 10k services x 5 endpoints", 5.4, "s", "measured on this machine (DESIGN.md §5)");
    public static final Anchor NFT_RESTORE_10K_SERVICES =
            new Anchor("iptables-restore (nft) of 10k services x 5 endpoints", 10.5, "s", "measured on this machine (DESIGN.md §5)");

    public static final Anchor FDATASYNC_4K_P50 =
            new Anchor("fdatasync of 4 KiB, p50", 0.35, "ms", "measured on this machine (DESIGN.md §5)");

    /** A peer measured in the same run on the same machine, e.g. etcd 3.4 via the same client. */
    public static Anchor measured(String name, double value, String unit) {
        return new Anchor(name, value, unit, MEASURED_IN_THIS_RUN);
    }

    /** The project's goal for a figure, e.g. "partial sync under 1 ms", citing where it was set. */
    public static Anchor goal(String name, double value, String unit, String setBy) {
        return new Anchor(name, value, unit, PROJECT_GOAL + " (" + setBy + ")");
    }
}
